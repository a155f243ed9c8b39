"""Every tenant URL of the reports app, who may open it, and the objects it needs.

``side.institution`` plays both parts: it is assessed by ``side.parent`` (report card and
self-assessment pages) and it assesses a child institution of its own (periods, scoring, results,
exports and rubrics)."""

from django.core.files.base import ContentFile

from governance.tests.factories import InstitutionFactory
from reports import selectors, services
from reports.models import AssessmentPeriod, Evidence, Export
from reports.tests.factories import make_period, pdf_upload
from tests.urlwalk import UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = set()

State = AssessmentPeriod.State
ASSESSOR = frozenset({"penilai"})
CARD = frozenset({"kepala", "humas"})
HUMAS = frozenset({"humas"})
PARENT_ASSESSOR = frozenset({"penilai"})
STATISTICS = frozenset({"kepala", "plt", "humas", "penilai"})


def objects(side) -> dict:
    institution, parent = side.institution, side.parent
    penilai, parent_penilai, humas = side.users["penilai"], side.parent_users["penilai"], side.users["humas"]
    child = InstitutionFactory(parent=institution, slug=f"anak-{institution.slug}", name=f"Madrasah anak {institution.slug}")

    # side.institution is assessed by its parent.
    open_there = make_period(parent, year=2023, semester=2, state=State.SELF_ASSESSMENT)
    card_open = open_there.entries.get(institution=institution)
    criterion = selectors.criteria_for(open_there)[0]
    evidence_open = services.evidence_add(actor=humas, entry=card_open, criterion=criterion, upload=pdf_upload())
    final_there = make_period(parent, year=2024, semester=2, state=State.FINALIZED, scorer=parent_penilai)
    card_final = final_there.entries.get(institution=institution)
    evidence_final = Evidence.objects.create(entry=card_final, criterion=selectors.criteria_for(final_there)[0],
                                             file=evidence_open.file.name, original_name="bukti.pdf",
                                             content_type="application/pdf", size=10)

    # side.institution assesses its child.
    own_rubric = services.rubric_create_default(actor=penilai, institution=institution)
    draft = make_period(institution, year=2023, semester=1, state=State.DRAFT)
    collecting = make_period(institution, year=2023, semester=2, state=State.SELF_ASSESSMENT)
    scoring = make_period(institution, year=2024, semester=1, state=State.SCORING)
    scoring_entry = scoring.entries.get(institution=child)
    scoring_evidence = Evidence.objects.create(entry=scoring_entry, criterion=selectors.criteria_for(scoring)[0],
                                               file=evidence_open.file.name, original_name="bukti.pdf",
                                               content_type="application/pdf", size=10)
    final = make_period(institution, year=2024, semester=2, state=State.FINALIZED, scorer=penilai)
    done = Export.objects.create(institution=institution, period=final, format="xlsx", key=f"done-{final.pk}",
                                 state=Export.State.DONE, progress=100, stamp=final.results_stamp)
    done.file.save(f"reports/exports/{institution.pk}/{done.pk}.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    failed = Export.objects.create(institution=institution, period=final, format="pdf", key=f"failed-{final.pk}",
                                   state=Export.State.FAILED)
    return {
        "card_open": card_open, "card_final": card_final, "criterion": criterion, "evidence_open": evidence_open,
        "evidence_final": evidence_final, "own_rubric": own_rubric, "draft": draft, "collecting": collecting,
        "scoring": scoring, "scoring_entry": scoring_entry, "scoring_evidence": scoring_evidence, "final": final,
        "final_entry": final.entries.get(institution=child), "export_done": done, "export_failed": failed,
    }


def _post(name, roles, kwargs, data=None, parent_roles=frozenset()):
    return UrlCase(name, roles=roles, parent_roles=parent_roles, kwargs=kwargs, method="post", data=data,
                   ok=frozenset({302}))


CASES = [
    # The assessed institution.
    UrlCase("reports:card_list", roles=CARD, parent_roles=PARENT_ASSESSOR),
    UrlCase("reports:card_detail", roles=CARD, parent_roles=PARENT_ASSESSOR, kwargs=lambda o: {"pk": o["card_final"].pk}),
    UrlCase("reports:card_xlsx", roles=CARD, parent_roles=PARENT_ASSESSOR, kwargs=lambda o: {"pk": o["card_final"].pk}),
    UrlCase("reports:card_pdf", roles=CARD, parent_roles=PARENT_ASSESSOR, kwargs=lambda o: {"pk": o["card_final"].pk}),
    UrlCase("reports:card_evidence", roles=CARD, parent_roles=PARENT_ASSESSOR,
            kwargs=lambda o: {"pk": o["card_final"].pk, "evidence": o["evidence_final"].pk}),
    UrlCase("reports:self_assessment", roles=HUMAS, kwargs=lambda o: {"pk": o["card_open"].pk}),
    UrlCase("reports:answer_edit", roles=HUMAS,
            kwargs=lambda o: {"pk": o["card_open"].pk, "criterion": o["criterion"].pk}),
    _post("reports:evidence_upload", HUMAS, lambda o: {"pk": o["card_open"].pk, "criterion": o["criterion"].pk}),
    _post("reports:evidence_delete", HUMAS, lambda o: {"pk": o["card_open"].pk, "evidence": o["evidence_open"].pk}),
    _post("reports:self_assessment_submit", HUMAS, lambda o: {"pk": o["card_open"].pk}),
    # Moderation statistics.
    UrlCase("reports:statistics", roles=STATISTICS, parent_roles=PARENT_ASSESSOR),
    UrlCase("reports:statistics_csv", roles=STATISTICS, parent_roles=PARENT_ASSESSOR),
    UrlCase("reports:statistics_xlsx", roles=STATISTICS, parent_roles=PARENT_ASSESSOR),
    # The assessor institution.
    UrlCase("reports:period_list", roles=ASSESSOR),
    UrlCase("reports:period_create", roles=ASSESSOR),
    UrlCase("reports:period_detail", roles=ASSESSOR, kwargs=lambda o: {"pk": o["draft"].pk}),
    UrlCase("reports:period_edit", roles=ASSESSOR, kwargs=lambda o: {"pk": o["draft"].pk}),
    _post("reports:period_open", ASSESSOR, lambda o: {"pk": o["draft"].pk}),
    _post("reports:period_start_scoring", ASSESSOR, lambda o: {"pk": o["collecting"].pk}),
    _post("reports:period_recompute", ASSESSOR, lambda o: {"pk": o["scoring"].pk}),
    _post("reports:period_finalize", ASSESSOR, lambda o: {"pk": o["scoring"].pk}),
    _post("reports:period_revise", ASSESSOR, lambda o: {"pk": o["final"].pk}, data=lambda o: {"reason": "Salah hitung"}),
    UrlCase("reports:scoring_list", roles=ASSESSOR, kwargs=lambda o: {"pk": o["scoring"].pk}),
    UrlCase("reports:scoring_entry", roles=ASSESSOR,
            kwargs=lambda o: {"pk": o["scoring"].pk, "entry": o["scoring_entry"].pk}),
    UrlCase("reports:scoring_evidence", roles=ASSESSOR,
            kwargs=lambda o: {"pk": o["scoring"].pk, "entry": o["scoring_entry"].pk, "evidence": o["scoring_evidence"].pk}),
    UrlCase("reports:results", roles=ASSESSOR, kwargs=lambda o: {"pk": o["final"].pk}),
    UrlCase("reports:result_entry", roles=ASSESSOR, kwargs=lambda o: {"pk": o["final"].pk, "entry": o["final_entry"].pk}),
    _post("reports:export_request", ASSESSOR, lambda o: {"pk": o["final"].pk}, data=lambda o: {"format": "xlsx"}),
    UrlCase("reports:export_status", roles=ASSESSOR, kwargs=lambda o: {"pk": o["final"].pk, "export": o["export_done"].pk}),
    UrlCase("reports:export_download", roles=ASSESSOR,
            kwargs=lambda o: {"pk": o["final"].pk, "export": o["export_done"].pk}),
    _post("reports:export_retry", ASSESSOR, lambda o: {"pk": o["final"].pk, "export": o["export_failed"].pk}),
    UrlCase("reports:rubric_list", roles=ASSESSOR),
    _post("reports:rubric_create", ASSESSOR, lambda o: {}),
    UrlCase("reports:rubric_detail", roles=ASSESSOR, kwargs=lambda o: {"pk": o["own_rubric"].pk}),
    UrlCase("reports:rubric_edit", roles=ASSESSOR, kwargs=lambda o: {"pk": o["own_rubric"].pk}),
    _post("reports:rubric_copy", ASSESSOR, lambda o: {"pk": o["own_rubric"].pk}),
]
