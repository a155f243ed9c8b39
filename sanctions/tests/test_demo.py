"""The demo histories: complete, on realistic dates, idempotent, with an intact audit chain."""

import datetime

import pytest
from django.core.management import call_command

from governance.audit import verify_chains
from governance.models import AuditEntry, Institution
from members.models import GroupMembership
from sanctions.models import Measure, Objection, Referral, RemovalTask, ViolationReport, WarningLetter

pytestmark = pytest.mark.shared_data


@pytest.fixture
def demo(seeded_demo, db, settings):
    settings.DEBUG = True


def test_muara_enim_has_the_whole_ladder_an_upheld_appeal_a_dismissal_and_an_open_report(demo, unscoped):
    mtsn = Institution.objects.get(slug="mtsn-1-muara-enim")
    levels = list(Measure.objects.filter(institution=mtsn, report__source_ref__in=[
        "demo:mtsn:hoaks", "demo:mtsn:stiker", "demo:mtsn:politik"]).order_by("proposed_at").values_list("level_code", flat=True))
    assert levels == ["SP1", "SP2", "KELUAR"]
    task = RemovalTask.objects.get(institution=mtsn)
    assert task.state == "done" and task.carried_out_on == datetime.date(2025, 5, 8)
    membership = GroupMembership.objects.get(channel=task.channel, staff=task.measure.report.subject_staff)
    assert membership.until == datetime.date(2025, 5, 8)
    numbers = list(WarningLetter.objects.filter(institution=mtsn, year=2025).order_by("seq").values_list("number", flat=True))
    assert numbers == ["B-1/Mts.06.03.1/KP.04.2/01/2025", "B-2/Mts.06.03.1/KP.04.2/03/2025",
                       "B-3/Mts.06.03.1/KP.04.2/08/2025"]
    objection = Objection.objects.get(institution=mtsn)
    # The head kept the SP1 on objection; the Kankemenag head upheld the appeal.
    assert objection.state == "rejected" and not objection.escalated and objection.measure.state == "voided"
    assert objection.appeal.state == "upheld" and objection.appeal.decided_by.memberships.filter(
        institution=mtsn.parent, role="kepala").exists()
    assert WarningLetter.objects.get(measure=objection.measure).voided_at is not None
    assert ViolationReport.objects.get(institution=mtsn, source_ref="demo:mtsn:promosi").state == "dismissed"
    assert ViolationReport.objects.get(institution=mtsn, source_ref="demo:mtsn:baru").state == "submitted"
    # The history carries the dates of the story, not the day the demo was loaded.
    approved = AuditEntry.objects.get(action="sanctions.measure.approved", target_id=str(Measure.objects.get(
        institution=mtsn, report__source_ref="demo:mtsn:hoaks").pk))
    assert approved.created_at.date() == datetime.date(2025, 1, 16)
    assert Measure.objects.filter(institution=mtsn, level_code="SP2").get().state == "expired"


def test_banjarbaru_and_kudus(demo, unscoped):
    report = ViolationReport.objects.get(source_ref="demo:bjb:kampanye")
    assert report.priority and report.election_period.voting_day == datetime.date(2024, 11, 27)
    measure = report.measures.get()
    assert measure.level_name.startswith("Teguran lisan") and not WarningLetter.objects.filter(measure=measure).exists()
    referral = Referral.objects.get(report__source_ref="demo:kudus:siaran")
    assert referral.state == "closed" and "Kode Etik" in referral.referred_to


def test_the_demo_is_idempotent_and_the_chain_verifies(demo, unscoped):
    counts = (ViolationReport.objects.count(), Measure.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", quiet=True)
    assert (ViolationReport.objects.count(), Measure.objects.count(), AuditEntry.objects.count()) == counts
    assert verify_chains().ok


def test_a_case_about_a_top_level_head_waits_for_its_acting_head(demo, unscoped):
    from django.urls import reverse

    from conftest import mfa_client
    from governance.models import User
    from sanctions import deciders

    pemkab = Institution.objects.get(slug="pemkab-oku-timur")
    assert pemkab.parent_id is None
    measure = Measure.objects.get(institution=pemkab, report__source_ref="demo:okut:kepala")
    assert measure.state == "proposed" and measure.escalated
    decision = deciders.for_measure(measure)
    acting = User.objects.get(email="plt.pemkab-oku-timur@santun.test")
    assert decision.users == (acting,) and not decision.above
    page = mfa_client(acting).get(reverse("sanctions:decisions", kwargs={"institution": pemkab.slug}))
    decide = reverse("sanctions:measure_decide", kwargs={"institution": pemkab.slug, "pk": measure.pk})
    assert page.status_code == 200 and decide in page.content.decode()


def test_the_last_months_show_cases_in_every_state_whatever_the_day(demo, unscoped):
    """The recent cases are dated back from the day the demo is loaded."""
    mtsn = Institution.objects.get(slug="mtsn-1-muara-enim")
    today = mtsn.local_today()
    recent = ViolationReport.objects.filter(institution=mtsn, source_ref__startswith="demo:recent:")
    assert set(recent.values_list("state", flat=True)) == {"submitted", "in_review", "confirmed", "dismissed"}
    assert all(today - datetime.timedelta(days=160) <= report.created_at.date() <= today for report in recent)
    measures = Measure.objects.filter(report__in=recent)
    assert {"active", "proposed"} <= set(measures.values_list("state", flat=True))
    # The ladder has two versions: the 2025 measures follow version 1, the recent ones version 2.
    assert {m.level.ladder.version for m in measures} == {2}
    assert Measure.objects.get(report__source_ref="demo:mtsn:hoaks").level.ladder.version == 1
    # The informal group's case did not remove anyone.
    assert not measures.filter(level_code="KELUAR").exists()
    # Every way of being heard waits on the head's list: in Santun, told to Humas, not heard (with why).
    from sanctions.models import Explanation

    heard = Explanation.objects.filter(report__in=recent)
    assert {"online", "oral"} <= set(heard.values_list("how", flat=True))
    skipped = heard.get(skipped_at__isnull=False)
    assert skipped.skipped_reason and skipped.report.measures.get().state == "proposed"


def test_the_other_trees_have_recent_cases_of_their_own_kind(demo, unscoped):
    from governance.demo import DEMO_ELECTION_NAME
    from governance.models import ElectionPeriod

    spread = ViolationReport.objects.filter(source_ref__startswith="demo:spread:")
    by_place = {slug: spread.filter(institution__slug=slug) for slug in
                ("kemenag-banjarbaru", "rutan-kudus", "kppn-sijunjung", "diskominfo-oku-timur")}
    assert all(cases.exists() for cases in by_place.values())
    # Banjarbaru: politics reports inside the repeat vote's campaign, for the election comparison.
    period = ElectionPeriod.objects.get(name=DEMO_ELECTION_NAME)
    during = by_place["kemenag-banjarbaru"].filter(created_at__date__gte=period.campaign_starts_on)
    assert during.count() >= 3 and set(during.values_list("rules__category", flat=True)) == {"politics"}
    # Rutan Kudus refers every confirmed case to the code of ethics process (seed 003), never a letter.
    confirmed = by_place["rutan-kudus"].filter(state="confirmed")
    assert confirmed and all(Referral.objects.filter(report=report).exists() for report in confirmed)
    assert not WarningLetter.objects.filter(measure__report__in=by_place["rutan-kudus"]).exists()
    # Diskominfo's cases happened on its official page, not in a group.
    assert set(by_place["diskominfo-oku-timur"].values_list("channel__kind", flat=True)) == {"facebook"}


def test_during_the_banjarbaru_heads_leave_the_plh_named_by_the_kanwil_decides(demo, unscoped):
    from django.urls import reverse

    from conftest import mfa_client
    from governance.models import Membership, Role, User
    from sanctions import deciders

    banjarbaru = Institution.objects.get(slug="kemenag-banjarbaru")
    plh = User.objects.get(email="operator.kemenag-banjarbaru@santun.test")
    cover = Membership.objects.get(institution=banjarbaru, role=Role.ACTING)
    assert cover.user == plh and cover.starts_on < banjarbaru.local_today() < cover.ends_on
    assert cover.granted_by == User.objects.get(email="kepala.kanwil-kemenag-kalsel@santun.test")
    measure = Measure.objects.get(institution=banjarbaru, report__source_ref="demo:bjb:psu")
    decision = deciders.for_measure(measure)
    assert decision.users == (plh,) and decision.acting and not decision.above
    decide = reverse("sanctions:measure_decide", kwargs={"institution": banjarbaru.slug, "pk": measure.pk})
    listed = reverse("sanctions:decisions", kwargs={"institution": banjarbaru.slug})
    assert decide in mfa_client(plh).get(listed).content.decode()
    head_page = mfa_client(User.objects.get(email="kepala.kemenag-banjarbaru@santun.test")).get(listed).content.decode()
    assert decide not in head_page and str(plh) in head_page
