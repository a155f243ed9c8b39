"""The writes: rubrics, period states and freezing, self-assessment, scoring and corrections.
Every refusal leaves everything as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import AuditEntry, Institution, Notification
from governance.tenancy import subtree_scope
from reports import services
from reports.models import Answer, AssessmentPeriod, AssessorScore, Criterion, Entry, Evidence, Rubric
from reports.selectors import criteria_for
from reports.tests.factories import PDF_BYTES, make_period, pdf_upload, small_rubric
from sanctions.tests.factories import jpeg_bytes, png_bytes

State = AssessmentPeriod.State


def entry_of(period, institution) -> Entry:
    return Entry.objects.with_scope(institution=institution).select_related("period", "institution").get(
        period=period, institution=institution)


def rows(rubric):
    return [{"id": c.pk, "code": c.code, "title": c.title, "guidance": c.guidance, "weight": c.weight,
             "evidence_required": c.evidence_required, "indicator": c.indicator} for c in rubric.criteria.all()]


def bands(rubric):
    return [{"label": b.label, "min_total": b.min_total} for b in rubric.bands.all()]


# --- Rubrics -------------------------------------------------------------------------------------


def test_the_default_rubric_is_complete_and_in_indonesian(world, unscoped):
    rubric = services.rubric_create_default(actor=world.penilai, institution=world.sumsel)
    criteria = list(rubric.criteria.all())
    assert len(criteria) == 8 and sum(c.weight for c in criteria) == Decimal(100)
    assert [b.label for b in rubric.bands.all()] == [
        "Informatif", "Menuju Informatif", "Cukup Informatif", "Kurang Informatif", "Tidak Informatif"]
    assert [b.min_total for b in rubric.bands.all()] == [90, 80, 60, 40, 0]
    assert next(c for c in criteria if c.code == "K4").indicator == "acknowledgement_share"
    assert rubric.scale_max == 4 and rubric.scale_labels[4] == "Sangat baik"
    assert "jadwal" in criteria[0].title.lower()


def test_weights_not_adding_up_to_100_are_refused_and_nothing_changes(world, unscoped):
    rubric = services.rubric_create_default(actor=world.penilai, institution=world.sumsel)
    before = rows(rubric)
    changed = rows(rubric)
    changed[0]["weight"] = Decimal(5)
    changed[1]["title"] = "Judul baru"
    with pytest.raises(ValidationError) as error:
        services.rubric_update(actor=world.penilai, rubric=rubric, name="Baru", description="", scale_max=4,
                               scale_labels=[], criteria=changed, bands=bands(rubric))
    assert "90,00" in " ".join(error.value.messages) and "100" in " ".join(error.value.messages)
    rubric.refresh_from_db()
    assert rows(rubric) == before and rubric.name != "Baru"


def test_a_rubric_update_checks_codes_bands_and_scale_together(world, unscoped):
    rubric = small_rubric(world.sumsel)
    criteria = rows(rubric)
    criteria[1]["code"] = "K1"
    with pytest.raises(ValidationError) as error:
        services.rubric_update(actor=None, rubric=rubric, name="R", description="", scale_max=4,
                               scale_labels=["a", "b"], criteria=criteria,
                               bands=[{"label": "Baik", "min_total": Decimal(50)}])
    messages = " ".join(error.value.messages)
    assert "K1" in messages and "0" in messages and "(5" in messages


def test_a_rubric_update_can_swap_codes_add_and_remove_criteria(world, unscoped):
    rubric = small_rubric(world.sumsel, weights=(40, 30, 30))
    criteria = rows(rubric)
    criteria[0]["code"], criteria[1]["code"] = "K2", "K1"
    criteria = criteria[:2] + [{"id": None, "code": "K9", "title": "Baru", "weight": Decimal(30)}]
    services.rubric_update(actor=None, rubric=rubric, name="Rubrik baru", description="", scale_max=5,
                           scale_labels=[], criteria=criteria, bands=[{"label": "Semua", "min_total": 0}])
    assert [(c.code, c.weight) for c in rubric.criteria.all()] == [("K2", 40), ("K1", 30), ("K9", 30)]
    assert AuditEntry.objects.filter(action="reports.rubric.updated").count() == 1


def test_a_rubric_in_use_is_locked_and_its_copy_can_be_adapted(world, unscoped):
    rubric = small_rubric(world.sumsel)
    make_period(world.sumsel, rubric=rubric, state=State.SELF_ASSESSMENT)
    rubric.refresh_from_db()
    assert rubric.is_locked
    with pytest.raises(ValidationError):
        services.rubric_update(actor=None, rubric=rubric, name="X", description="", scale_max=4, scale_labels=[],
                               criteria=rows(rubric), bands=bands(rubric))
    copy = services.rubric_copy(actor=world.penilai, rubric=rubric, institution=world.sumsel)
    assert not copy.is_locked and copy.copied_from == rubric and copy.name.startswith("Salinan")
    assert [c.code for c in copy.criteria.all()] == ["K1", "K2"] and copy.bands.count() == 5


def test_an_assessor_may_copy_an_ancestors_rubric_but_not_another_trees(world, unscoped):
    above = small_rubric(world.sumsel)
    copy = services.rubric_copy(actor=None, rubric=above, institution=world.kankemenag)
    assert copy.institution == world.kankemenag
    with pytest.raises(ValidationError):
        services.rubric_copy(actor=None, rubric=small_rubric(world.kalsel), institution=world.sumsel)


# --- Periods --------------------------------------------------------------------------------------


def test_a_period_covers_the_subtree_filtered_by_kind(world, unscoped):
    period = make_period(world.sumsel, kinds=[Institution.Kind.MADRASAH], state=State.SELF_ASSESSMENT)
    covered = set(Entry.objects.filter(period=period).values_list("institution__slug", flat=True))
    assert covered == {"mts-satu", "mts-dua", "man-lahat"}
    everyone = make_period(world.sumsel, year=2025, state=State.SELF_ASSESSMENT)
    assert Entry.objects.filter(period=everyone).count() == 4  # the district office too
    assert Notification.objects.filter(recipient=world.humas["mts-satu"], kind="reports.self_assessment_open").count() == 2
    assert not Entry.objects.filter(institution__in=[world.kalsel, world.kalsel_madrasah]).exists()



def test_the_opening_notice_carries_a_deadline_and_is_e_mailed_at_once_even_to_a_digest_reader(
        world, unscoped, django_capture_on_commit_callbacks, mailoutbox):
    humas = world.humas["mts-satu"]
    humas.notification_mode = humas.NotificationMode.DIGEST
    humas.save(update_fields=["notification_mode"])
    with django_capture_on_commit_callbacks(execute=True):
        make_period(world.sumsel, kinds=[Institution.Kind.MADRASAH], state=State.SELF_ASSESSMENT)
    notice = Notification.objects.get(recipient=humas, kind="reports.self_assessment_open")
    assert not notice.digest_pending and any(humas.email in message.to for message in mailoutbox)

@pytest.mark.parametrize(("change", "message"), [
    ({"scoring_deadline": datetime.date(2024, 7, 1)}, "tenggat penilaian"),
    ({"self_assessment_deadline": datetime.date(2023, 12, 31)}, "semester dimulai"),
    ({"semester": 3}, "semester"),
    ({"year": 1999}, "tahun"),
])
def test_period_fields_are_checked(world, unscoped, change, message):
    fields = {"year": 2024, "semester": 1, "rubric": small_rubric(world.sumsel), "kinds": [],
              "self_assessment_deadline": datetime.date(2024, 7, 31), "scoring_deadline": datetime.date(2024, 8, 31)}
    with pytest.raises(ValidationError) as error:
        services.period_create(actor=None, institution=world.sumsel, **{**fields, **change})
    assert message in " ".join(error.value.messages).lower()
    assert not AssessmentPeriod.objects.exists()


def test_one_period_per_semester_and_only_own_rubrics(world, unscoped):
    make_period(world.sumsel, year=2024, semester=1)
    with pytest.raises(ValidationError, match="(?i)sudah ada"):
        make_period(world.sumsel, year=2024, semester=1)
    with pytest.raises(ValidationError, match="rubrik"):
        make_period(world.sumsel, year=2025, rubric=small_rubric(world.kalsel))


def test_the_states_run_draft_open_scoring_finalized(world, unscoped):
    period = make_period(world.sumsel, state=State.DRAFT)
    with pytest.raises(ValidationError):
        services.period_start_scoring(actor=None, period=period)
    services.period_open(actor=world.penilai, period=period)
    with pytest.raises(ValidationError):
        services.period_finalize(actor=None, period=period)
    services.period_start_scoring(actor=world.penilai, period=period)
    services.scores_record(actor=world.penilai, entry=entry_of(period, world.madrasahs[0]),
                           values={c.pk: (4, "") for c in criteria_for(period)})
    with pytest.raises(ValidationError, match="3 instansi"):
        services.period_finalize(actor=world.penilai, period=period)
    assert AssessmentPeriod.objects.get(pk=period.pk).state == State.SCORING
    from reports.tests.factories import score_all
    score_all(period, world.penilai)
    services.period_finalize(actor=world.penilai, period=period)
    period.refresh_from_db()
    assert period.state == State.FINALIZED and period.finalized_by == world.penilai
    assert period.summary["count"] == 4 and period.summary["average_total"] == 100.0
    actions = list(AuditEntry.objects.filter(institution=world.sumsel, action__startswith="reports.period")
                   .values_list("action", flat=True))
    assert actions == ["reports.period.created", "reports.period.opened", "reports.period.scoring_started",
                       "reports.period.finalized"]
    assert Notification.objects.filter(recipient=world.kepala["mts-satu"], kind="reports.results_published").exists()


def test_a_finalized_period_is_frozen(world, unscoped):
    period = make_period(world.sumsel, state=State.FINALIZED, scorer=world.penilai)
    entry = entry_of(period, world.madrasahs[0])
    criterion = criteria_for(period)[0]
    with pytest.raises(ValidationError, match="final"):
        services.period_update(actor=None, period=period, scoring_deadline=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="final"):
        services.scores_record(actor=world.penilai, entry=entry, values={criterion.pk: (1, "")})
    with pytest.raises(ValidationError):
        services.answer_save(actor=world.humas["mts-satu"], entry=entry, criterion=criterion, answer="terlambat")
    with pytest.raises(ValidationError):
        services.period_recompute(actor=None, period=period)
    assert AssessorScore.objects.filter(entry=entry, criterion=criterion).get().score == 4
    assert not Answer.objects.filter(entry=entry).exists()


def test_an_open_period_changes_only_its_deadlines_threshold_and_ranks(world, unscoped):
    period = make_period(world.sumsel, state=State.SELF_ASSESSMENT)
    services.period_update(actor=None, period=period, self_assessment_deadline=period.self_assessment_deadline
                           + datetime.timedelta(days=7), publish_ranks=False)
    with pytest.raises(ValidationError, match="tenggat"):
        services.period_update(actor=None, period=period, kinds=["madrasah"])
    period.refresh_from_db()
    assert period.kinds == [] and not period.publish_ranks


def test_a_correction_is_a_new_revision_and_the_original_stays(world, unscoped):
    period = make_period(world.sumsel, state=State.FINALIZED, scorer=world.penilai)
    with pytest.raises(ValidationError):
        services.period_revise(actor=world.penilai, period=period, reason="  ")
    revision = services.period_revise(actor=world.penilai, period=period, reason="Salah input nilai K1")
    assert (revision.revision, revision.state, revision.revises) == (2, State.SCORING, period)
    assert AssessorScore.objects.filter(entry__period=revision).count() == AssessorScore.objects.filter(
        entry__period=period).count()
    entry = entry_of(revision, world.madrasahs[0])
    services.scores_record(actor=world.penilai, entry=entry, values={criteria_for(revision)[0].pk: (0, "koreksi")})
    assert entry_of(period, world.madrasahs[0]).total == Decimal(100)
    assert entry_of(revision, world.madrasahs[0]).total < Decimal(100)
    with pytest.raises(ValidationError, match="revisi"):
        services.period_revise(actor=world.penilai, period=period, reason="lagi")
    assert AuditEntry.objects.filter(action="reports.period.revised", target_id=str(revision.pk)).exists()


def test_finalizing_ranks_peers_of_the_same_kind_and_compares_with_the_previous_semester(world, unscoped):
    rubric = small_rubric(world.sumsel)
    first = make_period(world.sumsel, year=2024, semester=1, rubric=rubric, state=State.FINALIZED,
                        scorer=world.penilai, score=lambda e, c: 2)
    scores = {"mts-satu": 4, "mts-dua": 3, "man-lahat": 3, "kankemenag-me": 1}
    second = make_period(world.sumsel, year=2024, semester=2, rubric=rubric, state=State.FINALIZED,
                         scorer=world.penilai, score=lambda e, c: scores[e.institution.slug])
    entries = {e.institution.slug: e for e in Entry.objects.filter(period=second).select_related("institution")}
    assert [(entries[s].peer_rank, entries[s].peer_count) for s in ("mts-satu", "mts-dua", "man-lahat", "kankemenag-me")] == [
        (1, 3), (2, 3), (2, 3), (1, 1)]
    assert entries["mts-satu"].previous_total == Decimal(50) and entries["mts-satu"].change == Decimal(50)
    assert first.summary["average_total"] == 50.0


# --- Self-assessment ------------------------------------------------------------------------------


@pytest.fixture
def open_entry(world, unscoped):
    period = make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.SELF_ASSESSMENT)
    Criterion.objects.filter(rubric=period.rubric, code="K2").update(evidence_required=True)
    return entry_of(period, world.madrasahs[0])


def test_humas_answers_attaches_evidence_and_submits(world, open_entry):
    humas = world.humas["mts-satu"]
    k1, k2 = criteria_for(open_entry.period)
    services.answer_save(actor=humas, entry=open_entry, criterion=k1, answer="Jadwal unggah harian ada.")
    services.answer_save(actor=humas, entry=open_entry, criterion=k2, answer="Daftar periksa dipakai.")
    with pytest.raises(ValidationError, match="K2"):
        services.self_assessment_submit(actor=humas, entry=open_entry)
    evidence = services.evidence_add(actor=humas, entry=open_entry, criterion=k2, upload=pdf_upload("daftar periksa.pdf"))
    assert evidence.content_type == "application/pdf" and evidence.file.name.endswith(".pdf")
    assert "daftar" not in evidence.file.name
    services.self_assessment_submit(actor=humas, entry=open_entry)
    open_entry.refresh_from_db()
    assert open_entry.submitted_by == humas
    assert Notification.objects.filter(recipient=world.penilai, kind="reports.self_assessment_submitted").exists()
    with pytest.raises(ValidationError, match="dikirim"):
        services.answer_save(actor=humas, entry=open_entry, criterion=k1, answer="ubah")


def test_a_self_assessment_after_the_deadline_is_refused(world, open_entry):
    late = open_entry.period.self_assessment_deadline + datetime.timedelta(days=1)
    k1 = criteria_for(open_entry.period)[0]
    with pytest.raises(ValidationError, match="tenggat"):
        services.answer_save(actor=world.humas["mts-satu"], entry=open_entry, criterion=k1, answer="x", today=late)
    with pytest.raises(ValidationError, match="tenggat"):
        services.self_assessment_submit(actor=world.humas["mts-satu"], entry=open_entry, today=late)
    assert not Answer.objects.exists()


def test_links_must_be_web_addresses(world, open_entry):
    k1 = criteria_for(open_entry.period)[0]
    with pytest.raises(ValidationError, match="alamat web"):
        services.answer_save(actor=None, entry=open_entry, criterion=k1, answer="x", links="javascript:alert(1)")
    saved = services.answer_save(actor=None, entry=open_entry, criterion=k1, answer="x",
                                 links=" https://instagram.com/mtssatu \n\n")
    assert saved.link_list == ["https://instagram.com/mtssatu"]


@pytest.mark.parametrize(("content", "ok"), [
    (PDF_BYTES, True), (png_bytes(), True), (jpeg_bytes(), True), (b"\x89PNG\r\n\x1a\n....", False),
    (b"MZ\x90\x00 not a document", False), (b"<html><script>", False),
])
def test_evidence_type_is_read_from_the_content_not_the_name(world, open_entry, content, ok):
    k1 = criteria_for(open_entry.period)[0]
    upload = SimpleUploadedFile("laporan.pdf", content)
    if ok:
        services.evidence_add(actor=None, entry=open_entry, criterion=k1, upload=upload)
    else:
        with pytest.raises(ValidationError, match="PDF"):
            services.evidence_add(actor=None, entry=open_entry, criterion=k1, upload=upload)
    assert Evidence.objects.count() == (1 if ok else 0)


def test_evidence_is_size_capped(world, open_entry, settings):
    k1 = criteria_for(open_entry.period)[0]
    upload = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="5 MB"):
        services.evidence_add(actor=None, entry=open_entry, criterion=k1, upload=upload)


def test_removing_evidence_deletes_the_file_after_commit(world, open_entry, django_capture_on_commit_callbacks):
    k1 = criteria_for(open_entry.period)[0]
    evidence = services.evidence_add(actor=None, entry=open_entry, criterion=k1, upload=pdf_upload())
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(actor=None, evidence=evidence)
    assert not storage.exists(name) and not Evidence.objects.exists()


# --- Scoring --------------------------------------------------------------------------------------


@pytest.fixture
def scoring(world, unscoped):
    return make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.SCORING, threshold=1)


def test_scores_outside_the_scale_are_refused_and_nothing_is_saved(world, scoring):
    k1, k2 = criteria_for(scoring)
    entry = entry_of(scoring, world.madrasahs[0])
    for bad in (5, -1, "2.5", "tiga"):
        with pytest.raises(ValidationError, match="0 sampai 4"):
            services.scores_record(actor=world.penilai, entry=entry, values={k1.pk: (3, ""), k2.pk: (bad, "")})
    assert not AssessorScore.objects.exists()
    with pytest.raises(ValidationError, match="catatan"):
        services.scores_record(actor=world.penilai, entry=entry, values={k1.pk: (None, "tanpa nilai")})


def test_only_assessors_of_the_period_may_score(world, scoring):
    entry = entry_of(scoring, world.madrasahs[0])
    values = {c.pk: (4, "") for c in criteria_for(scoring)}
    for outsider in (world.kalsel_penilai, world.humas["mts-satu"]):
        with pytest.raises(ValidationError, match="penilai"):
            services.scores_record(actor=outsider, entry=entry, values=values)
    assert not AssessorScore.objects.exists()


def test_scoring_an_institution_outside_the_subtree_is_refused(world, scoring):
    foreign = Entry.objects.create(period=scoring, institution=world.kalsel_madrasah)  # forged: never made by a service
    with pytest.raises(ValidationError, match="di bawah"):
        services.scores_record(actor=world.penilai, entry=foreign, values={c.pk: (4, "") for c in criteria_for(scoring)})
    assert not AssessorScore.objects.exists()


def test_two_assessors_are_averaged_and_their_disagreement_is_flagged(world, scoring):
    k1, k2 = criteria_for(scoring)
    entry = entry_of(scoring, world.madrasahs[0])
    services.scores_record(actor=world.penilai, entry=entry, values={k1.pk: (4, "Lengkap"), k2.pk: (3, "")})
    services.scores_record(actor=world.penilai2, entry=entry, values={k1.pk: (2, "Kurang bukti"), k2.pk: (2, "")})
    entry.refresh_from_db()
    assert entry.disagreement_count == 1  # K1 differs by 2 > 1; K2 by 1
    assert entry.total == Decimal("67.50")  # 40 × 3/4 + 60 × 2.5/4
    # Clearing a score takes it out again.
    services.scores_record(actor=world.penilai2, entry=entry, values={k1.pk: (None, "")})
    entry.refresh_from_db()
    assert entry.disagreement_count == 0 and entry.total == Decimal("77.50")
    assert AuditEntry.objects.filter(action="reports.scores.recorded", institution=world.sumsel).count() == 3


def test_recomputing_picks_up_new_indicator_data(world, unscoped):
    from members.models import StaffMember

    rubric = small_rubric(world.sumsel, indicator="acknowledgement_share")
    period = make_period(world.sumsel, rubric=rubric, state=State.SCORING)
    entry = entry_of(period, world.madrasahs[0])
    assert entry.scored_count == 0  # no staff: no value
    StaffMember.objects.create(institution=world.madrasahs[0], full_name="Budi", joined_on=datetime.date(2020, 1, 1))
    services.period_recompute(actor=world.penilai, period=period)
    entry.refresh_from_db()
    assert entry.scored_count == 1 and entry.total == Decimal(0)  # staff but no code: 0 %, no marks


def test_the_subtree_scope_is_what_services_read(world, unscoped):
    period = make_period(world.sumsel, state=State.SCORING)
    with subtree_scope(world.kalsel):
        assert not Entry.objects.filter(period=period).exists()
        assert not Rubric.objects.filter(pk=period.rubric_id).exists()
