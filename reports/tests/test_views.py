"""The pages, as the people who use them see them: assessors in their own tree only, Humas filling
the self-assessment, refusals that keep what was typed, report cards and downloads."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import StaffMember
from reports import services
from reports.models import Answer, AssessmentPeriod, AssessorScore, Entry, Evidence, Rubric
from reports.selectors import criteria_for
from reports.tests.factories import make_period, pdf_upload, small_rubric

State = AssessmentPeriod.State


def url(name, institution, **kwargs):
    return reverse(f"reports:{name}", kwargs={"institution": institution.slug, **kwargs})


def table(body: str) -> str:
    """The page's first table: what is ranked or listed, without menus, filters or messages."""
    return body[body.index("<table"):body.index("</table>")]


def entry_of(period, institution):
    return Entry.objects.with_scope(institution=institution).get(period=period, institution=institution)


@pytest.fixture
def finalized(world, unscoped):
    scores = {"mts-satu": 4, "mts-dua": 3, "man-lahat": 2, "kankemenag-me": 1}
    return make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.FINALIZED, scorer=world.penilai,
                       score=lambda e, c: scores[e.institution.slug])


@pytest.fixture
def kalsel_period(world, unscoped):
    return make_period(world.kalsel, rubric=small_rubric(world.kalsel), state=State.FINALIZED,
                       scorer=world.kalsel_penilai)


# --- An assessor of Sumsel sees nothing of Kalsel ---------------------------------------------------


def test_the_ranking_lists_the_subtree_and_nothing_of_another_tree(world, finalized, kalsel_period, as_user):
    client = as_user(world.penilai)
    body = client.get(url("results", world.sumsel, pk=finalized.pk)).content.decode()
    ranking = table(body)
    assert all(name in ranking for name in ("MTs Satu", "MTs Dua", "MAN Lahat", "Kankemenag Muara Enim"))
    assert "Banjarbaru" not in body
    assert ranking.index("MTs Satu") < ranking.index("MTs Dua") < ranking.index("MAN Lahat")
    assert "Informatif" in ranking and "Tidak Informatif" in ranking


def test_another_trees_period_entry_rubric_and_report_card_are_not_found(world, finalized, kalsel_period, as_user):
    client = as_user(world.penilai)
    foreign_entry = entry_of(kalsel_period, world.kalsel_madrasah)
    own = finalized.pk
    for address in [
        url("period_detail", world.sumsel, pk=kalsel_period.pk),
        url("results", world.sumsel, pk=kalsel_period.pk),
        url("scoring_entry", world.sumsel, pk=own, entry=foreign_entry.pk),
        url("result_entry", world.sumsel, pk=own, entry=foreign_entry.pk),
        url("rubric_detail", world.sumsel, pk=kalsel_period.rubric_id),
        url("results", world.kalsel, pk=kalsel_period.pk),
        url("card_detail", world.kalsel_madrasah, pk=foreign_entry.pk),
    ]:
        assert client.get(address).status_code == 404, address


def test_an_assessor_of_a_higher_office_cannot_run_a_lower_offices_period(world, unscoped, as_user):
    period = make_period(world.kankemenag, rubric=small_rubric(world.kankemenag), state=State.SCORING)
    client = as_user(world.penilai)  # penilai of Kanwil Sumsel, above the Kankemenag
    assert client.get(url("scoring_list", world.kankemenag, pk=period.pk)).status_code == 403
    assert client.get(url("period_detail", world.kankemenag, pk=period.pk)).status_code == 403
    # ...but may read the report card of an institution below, as its assessor.
    entry = entry_of(period, world.madrasahs[0])
    assert client.get(url("card_detail", world.madrasahs[0], pk=entry.pk)).status_code == 200


def test_assessors_see_no_personal_details_of_staff(world, unscoped, as_user):
    StaffMember.objects.create(institution=world.madrasahs[0], full_name="Zulkifli Rahasia, S.Pd.",
                               nip="198503142010011002", phone="+6281234567890", joined_on=datetime.date(2020, 1, 1))
    rubric = small_rubric(world.sumsel, indicator="acknowledgement_share")
    period = make_period(world.sumsel, rubric=rubric, state=State.SCORING)
    entry = entry_of(period, world.madrasahs[0])
    client = as_user(world.penilai)
    for address in [url("scoring_entry", world.sumsel, pk=period.pk, entry=entry.pk),
                    url("results", world.sumsel, pk=period.pk),
                    url("result_entry", world.sumsel, pk=period.pk, entry=entry.pk)]:
        body = client.get(address).content.decode()
        assert "Zulkifli" not in body and "198503142010011002" not in body and "81234567890" not in body
    body = client.get(url("scoring_entry", world.sumsel, pk=period.pk, entry=entry.pk)).content.decode()
    assert "0 %" in body  # the indicator: staff but no published code


# --- Humas fills the self-assessment ------------------------------------------------------------------


@pytest.fixture
def open_period(world, unscoped):
    return make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.SELF_ASSESSMENT)


def test_humas_answers_uploads_evidence_and_submits(world, open_period, as_user):
    madrasah, humas = world.madrasahs[0], world.humas["mts-satu"]
    entry = entry_of(open_period, madrasah)
    k1, k2 = criteria_for(open_period)
    client = as_user(humas)
    page = client.get(url("self_assessment", madrasah, pk=entry.pk)).content.decode()
    assert "0 dari 2 terjawab" in page
    response = client.post(url("answer_edit", madrasah, pk=entry.pk, criterion=k1.pk),
                           {"answer": "Jadwal unggah tiga kali seminggu.", "links": "https://instagram.com/mtssatu",
                            "next": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/kriteria/{k2.pk}/")
    client.post(url("evidence_upload", madrasah, pk=entry.pk, criterion=k2.pk), {"file": pdf_upload("jadwal.pdf")})
    evidence = Evidence.objects.get()
    download = client.get(url("card_evidence", madrasah, pk=entry.pk, evidence=evidence.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    # An uploaded file is never cached on the way nor sniffed into something the browser runs.
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]
    response = client.post(url("self_assessment_submit", madrasah, pk=entry.pk), follow=True)
    assert "Jawab dulu semua kriteria" in response.content.decode() and "K2" in response.content.decode()
    client.post(url("answer_edit", madrasah, pk=entry.pk, criterion=k2.pk), {"answer": "Daftar periksa dipakai."})
    response = client.post(url("self_assessment_submit", madrasah, pk=entry.pk), follow=True)
    assert "telah dikirim ke Kanwil Sumsel" in response.content.decode()
    response = client.post(url("answer_edit", madrasah, pk=entry.pk, criterion=k1.pk), {"answer": "Diubah"})
    assert "tidak dapat diubah lagi" in response.content.decode()
    assert Answer.objects.get(criterion=k1).answer == "Jadwal unggah tiga kali seminggu."


def test_after_the_deadline_the_self_assessment_is_read_only(world, open_period, as_user):
    madrasah = world.madrasahs[0]
    entry = entry_of(open_period, madrasah)
    k1 = criteria_for(open_period)[0]
    client = as_user(world.humas["mts-satu"])
    yesterday = madrasah.local_today() - datetime.timedelta(days=1)
    AssessmentPeriod.objects.filter(pk=open_period.pk).update(self_assessment_deadline=yesterday)
    page = client.get(url("self_assessment", madrasah, pk=entry.pk)).content.decode()
    assert "Tenggat sudah lewat" in page and "Kirim penilaian mandiri" not in page
    response = client.post(url("answer_edit", madrasah, pk=entry.pk, criterion=k1.pk), {"answer": "Terlambat"})
    body = response.content.decode()
    assert response.status_code == 200 and "sudah lewat" in body
    assert not Answer.objects.exists()


def test_one_madrasah_cannot_open_anothers_evidence(world, open_period, as_user):
    entry = entry_of(open_period, world.madrasahs[0])
    evidence = services.evidence_add(actor=None, entry=entry, criterion=criteria_for(open_period)[0], upload=pdf_upload())
    other = as_user(world.humas["mts-dua"])
    assert other.get(url("card_evidence", world.madrasahs[1], pk=entry.pk, evidence=evidence.pk)).status_code == 404
    assert other.get(url("card_evidence", world.madrasahs[0], pk=entry.pk, evidence=evidence.pk)).status_code == 404


# --- Assessors: rubrics, periods, scoring --------------------------------------------------------------


def test_weights_not_adding_up_to_100_are_refused_and_what_was_typed_stays(world, unscoped, as_user):
    rubric = small_rubric(world.sumsel)
    k1, k2 = rubric.criteria.all()
    data = {
        "name": "Rubrik 2025", "description": "", "scale_max": "4", "scale_labels": "",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "2", "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-id": str(k1.pk), "criteria-0-code": "K1", "criteria-0-title": "Akun aktif", "criteria-0-weight": "35",
        "criteria-1-id": str(k2.pk), "criteria-1-code": "K2", "criteria-1-title": "Unggahan diperiksa", "criteria-1-weight": "55",
        "bands-TOTAL_FORMS": "1", "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "0", "bands-MAX_NUM_FORMS": "1000",
        "bands-0-label": "Semua", "bands-0-min_total": "0",
    }
    response = as_user(world.penilai).post(url("rubric_edit", world.sumsel, pk=rubric.pk), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada yang disimpan" in body and "Jumlah bobot 90,00; jumlahnya harus tepat 100." in body
    assert 'value="Unggahan diperiksa"' in body and 'value="Rubrik 2025"' in body
    rubric.refresh_from_db()
    assert rubric.name != "Rubrik 2025" and [c.weight for c in rubric.criteria.all()] == [40, 60]
    data["criteria-1-weight"] = "65"
    response = as_user(world.penilai).post(url("rubric_edit", world.sumsel, pk=rubric.pk), data)
    assert response.status_code == 302
    assert [c.weight for c in Rubric.objects.get(pk=rubric.pk).criteria.all()] == [35, 65]


def test_an_assessor_creates_and_opens_a_period(world, unscoped, as_user):
    rubric = small_rubric(world.sumsel)
    client = as_user(world.penilai)
    assert client.get(url("period_create", world.sumsel)).status_code == 200
    data = {"year": "2024", "semester": "2", "rubric": str(rubric.pk), "kinds": ["madrasah"],
            "self_assessment_deadline": "2099-01-31", "scoring_deadline": "2099-01-15", "disagreement_threshold": "1"}
    response = client.post(url("period_create", world.sumsel), data)
    assert "Tenggat penilaian tidak boleh sebelum tenggat penilaian mandiri." in response.content.decode()
    assert not AssessmentPeriod.objects.exists()
    data["scoring_deadline"] = "2099-02-28"
    response = client.post(url("period_create", world.sumsel), data)
    period = AssessmentPeriod.objects.get()
    assert response["Location"] == url("period_detail", world.sumsel, pk=period.pk)
    assert "3 instansi" in client.get(response["Location"]).content.decode()
    client.post(url("period_open", world.sumsel, pk=period.pk))
    period.refresh_from_db()
    assert period.state == State.SELF_ASSESSMENT and period.entries.count() == 3


def test_scoring_through_the_page(world, unscoped, as_user):
    period = make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.SCORING)
    entry = entry_of(period, world.madrasahs[0])
    k1, k2 = criteria_for(period)
    client = as_user(world.penilai)
    address = url("scoring_entry", world.sumsel, pk=period.pk, entry=entry.pk)
    response = client.post(address, {f"score_{k1.pk}": "7", f"score_{k2.pk}": "3"})
    assert response.status_code == 200 and not AssessorScore.objects.exists()
    response = client.post(address, {f"score_{k1.pk}": "4", f"note_{k1.pk}": "Jadwal lengkap", f"score_{k2.pk}": "3",
                                     "next": "1"})
    assert response.status_code == 302 and "/nilai/" in response["Location"]
    entry.refresh_from_db()
    assert entry.total == Decimal("85.00") and entry.band_label == "Menuju Informatif"
    listing = table(client.get(url("scoring_list", world.sumsel, pk=period.pk) + "?show=todo").content.decode())
    assert "MTs Satu" not in listing and "MTs Dua" in listing


def test_disagreements_are_shown_to_the_assessors(world, unscoped, as_user):
    period = make_period(world.sumsel, rubric=small_rubric(world.sumsel), state=State.SCORING)
    entry = entry_of(period, world.madrasahs[1])
    k1, k2 = criteria_for(period)
    services.scores_record(actor=world.penilai, entry=entry, values={k1.pk: (4, ""), k2.pk: (2, "")})
    services.scores_record(actor=world.penilai2, entry=entry, values={k1.pk: (1, ""), k2.pk: (2, "")})
    client = as_user(world.penilai)
    listing = table(client.get(url("scoring_list", world.sumsel, pk=period.pk) + "?show=disagreements").content.decode())
    assert "MTs Dua" in listing and "MTs Satu" not in listing
    page = client.get(url("scoring_entry", world.sumsel, pk=period.pk, entry=entry.pk)).content.decode()
    assert "berselisih lebih dari 1 poin" in page and "Penilai Dua" in page


def test_ranking_filters_by_kind_and_region(world, finalized, as_user):
    client = as_user(world.penilai)
    body = table(client.get(url("results", world.sumsel, pk=finalized.pk) + "?kind=kankemenag").content.decode())
    assert "Kankemenag Muara Enim" in body and "MTs Satu" not in body
    body = table(client.get(url("results", world.sumsel, pk=finalized.pk) + "?region=16.04").content.decode())
    assert "MAN Lahat" in body and "MTs Satu" not in body and "Kankemenag Muara Enim" not in body


# --- The assessed institution's report card -------------------------------------------------------------


def test_humas_sees_the_report_card_with_rank_when_published(world, finalized, as_user):
    entry = entry_of(finalized, world.madrasahs[1])
    client = as_user(world.humas["mts-dua"])
    body = client.get(url("card_detail", world.madrasahs[1], pk=entry.pk)).content.decode()
    assert "75" in body and "Cukup Informatif" in body and "Peringkat 2 dari 3" in body
    assert "Penilai Satu" not in body and "Penilai 1" in body  # assessors are numbered, not named
    AssessmentPeriod.objects.filter(pk=finalized.pk).update(publish_ranks=False)
    body = client.get(url("card_detail", world.madrasahs[1], pk=entry.pk)).content.decode()
    assert "Peringkat 2 dari 3" not in body
    listing = client.get(url("card_list", world.madrasahs[1])).content.decode()
    assert "Semester I 2024" in listing
    for name in ("card_xlsx", "card_pdf"):
        download = client.get(url(name, world.madrasahs[1], pk=entry.pk))
        assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"


def test_report_card_downloads_are_only_for_published_results(world, unscoped, open_period, as_user):
    entry = entry_of(open_period, world.madrasahs[0])
    client = as_user(world.kepala["mts-satu"])
    assert client.get(url("card_xlsx", world.madrasahs[0], pk=entry.pk)).status_code == 404
    assert client.get(url("card_detail", world.madrasahs[0], pk=entry.pk)).status_code == 200


def test_the_dashboard_shows_each_role_its_assessment_panel(world, finalized, as_user):
    body = as_user(world.humas["mts-satu"]).get(reverse("governance:dashboard", kwargs={"institution": world.madrasahs[0].slug})).content.decode()
    assert "Hasil terakhir: Semester I 2024" in body and "Buka rapor" in body
    body = as_user(world.penilai).get(reverse("governance:dashboard", kwargs={"institution": world.sumsel.slug})).content.decode()
    assert "Periode yang Anda jalankan" in body
    body = as_user(world.kepala["mts-satu"]).get(reverse("governance:dashboard", kwargs={"institution": world.madrasahs[0].slug})).content.decode()
    assert "Rapor Humas" in body
