"""Pages stay within a fixed number of SQL queries however many institutions a period covers.
Each page is measured with a small and a larger subtree under the same bound."""

import pytest
from django.urls import reverse

from governance.models import Institution, Role
from governance.tests.factories import InstitutionFactory, make_member
from members.models import StaffMember
from reports.models import AssessmentPeriod, Entry
from reports.tests.factories import make_period, small_rubric

State = AssessmentPeriod.State
SIZES = [3, 14]
# The most queries each page may run, whatever the size (middleware, session and menu included).
# Measured with every app's menu items, banners and dashboard panels in place; the same at both sizes.
# A warm visit: the session, the code in force, the panels and the ranking come from the cache.
BOUNDS = {
    "results": 6, "result_entry": 13, "scoring_list": 10, "scoring_entry": 12, "period_list": 6,
    "card_detail": 11, "card_list": 4, "dashboard_assessor": 3, "dashboard_humas": 4,
}


@pytest.fixture
def sized(db, unscoped, request):
    size = request.param
    kanwil = InstitutionFactory(slug="kanwil-besar", kind=Institution.Kind.REGIONAL_OFFICE, regency_code="")
    assessors = [make_member(kanwil, Role.ASSESSOR), make_member(kanwil, Role.ASSESSOR)]
    madrasahs = [InstitutionFactory(parent=kanwil, regency_code=f"16.{index % 4:02d}") for index in range(size)]
    for madrasah in madrasahs:
        StaffMember.objects.create(institution=madrasah, full_name="Pegawai", joined_on="2020-01-01")
    humas = make_member(madrasahs[0], Role.PUBLIC_RELATIONS)
    rubric = small_rubric(kanwil, weights=(20, 30, 50), indicator="acknowledgement_share")
    make_period(kanwil, year=2023, semester=2, rubric=rubric, state=State.FINALIZED, scorer=assessors[0],
                score=lambda e, c: e.institution_id % 5)
    final = make_period(kanwil, year=2024, semester=1, rubric=rubric, state=State.SCORING, scorer=assessors[0],
                        score=lambda e, c: (e.institution_id + c.pk) % 5)
    from reports.tests.factories import score_all
    score_all(final, assessors[1], lambda e, c: (e.institution_id * c.pk) % 5)
    from reports import services
    services.period_finalize(actor=assessors[0], period=final)
    scoring = make_period(kanwil, year=2024, semester=2, rubric=rubric, state=State.SCORING, scorer=assessors[1])
    return {
        "kanwil": kanwil, "assessor": assessors[0], "humas": humas, "madrasah": madrasahs[0], "final": final,
        "scoring": scoring, "final_entry": Entry.objects.get(period=final, institution=madrasahs[0]),
        "scoring_entry": Entry.objects.get(period=scoring, institution=madrasahs[0]),
    }


def pages(w):
    kanwil, madrasah = w["kanwil"].slug, w["madrasah"].slug
    return {
        "results": (w["assessor"], reverse("reports:results", kwargs={"institution": kanwil, "pk": w["final"].pk})),
        "result_entry": (w["assessor"], reverse("reports:result_entry", kwargs={
            "institution": kanwil, "pk": w["final"].pk, "entry": w["final_entry"].pk})),
        "scoring_list": (w["assessor"], reverse("reports:scoring_list", kwargs={"institution": kanwil, "pk": w["scoring"].pk})),
        "scoring_entry": (w["assessor"], reverse("reports:scoring_entry", kwargs={
            "institution": kanwil, "pk": w["scoring"].pk, "entry": w["scoring_entry"].pk})),
        "period_list": (w["assessor"], reverse("reports:period_list", kwargs={"institution": kanwil})),
        "card_detail": (w["humas"], reverse("reports:card_detail", kwargs={"institution": madrasah, "pk": w["final_entry"].pk})),
        "card_list": (w["humas"], reverse("reports:card_list", kwargs={"institution": madrasah})),
        "dashboard_assessor": (w["assessor"], reverse("governance:dashboard", kwargs={"institution": kanwil})),
        "dashboard_humas": (w["humas"], reverse("governance:dashboard", kwargs={"institution": madrasah})),
    }


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=lambda n: f"{n}-institutions")
def test_pages_run_a_fixed_number_of_queries(sized, client, django_assert_max_num_queries):
    for name, (user, address) in pages(sized).items():
        client.force_login(user)
        client.get(address)  # warm the session and caches: count a typical visit
        assert client.get(address).status_code == 200, name
        with django_assert_max_num_queries(BOUNDS[name], info=name):
            client.get(address)


@pytest.mark.django_db
def test_cached_ranking_shows_a_new_score_and_a_new_name_at_once(client, unscoped):
    """The ranking's rendered table is cached: a rescored institution or a renamed one shows on the
    very next visit, never the old HTML."""
    from reports import services
    from reports.selectors import criteria_for

    kanwil = InstitutionFactory(slug="kanwil-segar", kind=Institution.Kind.REGIONAL_OFFICE, regency_code="")
    assessor = make_member(kanwil, Role.ASSESSOR)
    madrasahs = [InstitutionFactory(parent=kanwil, name=f"MTsN Segar {n}") for n in (1, 2)]
    period = make_period(kanwil, year=2024, semester=2, rubric=small_rubric(kanwil, weights=(40, 60)),
                         state=State.SCORING, scorer=assessor, score=lambda e, c: 1)
    address = reverse("reports:results", kwargs={"institution": kanwil.slug, "pk": period.pk})
    client.force_login(assessor)
    before = client.get(address).content.decode()
    assert "MTsN Segar 1" in before and "100" not in before.split("ranking-table", 1)[1].split("</table>", 1)[0]

    entry = Entry.objects.get(period=period, institution=madrasahs[0])
    services.scores_record(actor=assessor, entry=entry,
                           values={c.pk: (period.rubric.scale_max, "") for c in criteria_for(period)})
    table = client.get(address).content.decode().split("ranking-table", 1)[1].split("</table>", 1)[0]
    assert "100" in table  # the full marks of the rescored institution

    madrasahs[1].name = "MAN Segar Baru"
    madrasahs[1].save()
    assert "MAN Segar Baru" in client.get(address).content.decode()
