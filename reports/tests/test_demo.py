"""The demo: Kanwil Kemenag Sumsel ranks a subtree with history; Ditjenpas has a finalized period."""

import datetime

import pytest
from django.core.management import call_command

from governance.audit import verify_chains
from governance.models import AuditEntry, Institution
from reports.demo import demo_semesters
from reports.models import AssessmentPeriod, AssessorScore, Entry

State = AssessmentPeriod.State


pytestmark = pytest.mark.shared_data


@pytest.fixture
def demo(seeded_demo, db, settings):
    settings.DEBUG = True


def test_the_demo_has_two_finalized_semesters_and_one_being_scored(demo, unscoped):
    sumsel = Institution.objects.get(slug="kanwil-kemenag-sumsel")
    periods = {(p.year, p.semester): p for p in AssessmentPeriod.objects.filter(institution=sumsel)}
    # The calendar of the day the demo was loaded: on 7 December 2026, I 2025 and II 2025 are
    # finalized and I 2026 is being scored.
    first, second, current = demo_semesters(sumsel.local_today())
    assert demo_semesters(datetime.date(2026, 12, 7)) == [(2025, 1), (2025, 2), (2026, 1)]
    assert demo_semesters(datetime.date(2027, 1, 5)) == [(2025, 2), (2026, 1), (2026, 2)]
    assert {key: p.state for key, p in periods.items()} == {
        first: State.FINALIZED, second: State.FINALIZED, current: State.SCORING}
    assert periods[current].scoring_deadline >= sumsel.local_today()
    madrasahs = Entry.objects.filter(period=periods[second], institution__kind=Institution.Kind.MADRASAH)
    assert madrasahs.count() >= 12
    totals = list(madrasahs.values_list("total", flat=True))
    assert len(set(totals)) >= 8 and max(totals) - min(totals) > 30  # a ranking worth reading
    assert len({e.band_label for e in madrasahs}) >= 3
    assert Entry.objects.filter(period=periods[second], previous_total__isnull=False).count() == madrasahs.count() + 2
    scored = Entry.objects.filter(period=periods[current])
    assert scored.filter(complete=False).exists() and scored.filter(disagreement_count__gt=0).exists()
    assert AssessorScore.objects.filter(entry__period=periods[current]).values("assessor").distinct().count() == 2
    pas = AssessmentPeriod.objects.get(institution__slug="ditjenpas")
    assert pas.state == State.FINALIZED
    assert set(pas.entries.values_list("institution__slug", flat=True)) == {"kanwil-pas-jateng", "rutan-kudus"}


def test_the_demo_is_idempotent_and_audited(demo, unscoped, settings):
    counts = (AssessmentPeriod.objects.count(), Entry.objects.count(), AssessorScore.objects.count(),
              Institution.objects.count())
    call_command("seed_demo", quiet=True)
    assert (AssessmentPeriod.objects.count(), Entry.objects.count(), AssessorScore.objects.count(),
            Institution.objects.count()) == counts
    assert AuditEntry.objects.filter(action="reports.period.finalized").count() == 3
    assert verify_chains().ok


def test_the_kanwils_statistics_count_cases_across_its_tree(demo, unscoped):
    """The provincial assessor's statistics show the province, not one madrasah: cases in the last
    year at several institutions, months with three or more (shown as numbers, not "< 3"), an
    appeal that waits for the head of the office above, and a referral with its outcome."""
    import re

    from django.urls import reverse

    from conftest import mfa_client
    from governance.models import User
    from governance.tenancy import rows_of_subtree
    from sanctions.models import Appeal, Referral, ViolationReport

    sumsel = Institution.objects.get(slug="kanwil-kemenag-sumsel")
    year_ago = sumsel.local_today() - datetime.timedelta(days=365)
    cases = rows_of_subtree(ViolationReport, sumsel).filter(created_at__date__gte=year_ago)
    assert len(set(cases.values_list("institution", flat=True))) >= 5 and cases.count() >= 30
    appeal = Appeal.objects.get(state="filed", institution__slug="man-1-lahat")
    assert appeal.objection.state == "rejected" and appeal.objection.measure.state == "active"
    assert Referral.objects.filter(institution__slug="kankemenag-lahat", state="closed").exists()

    assessor = mfa_client(User.objects.get(email="penilai.kanwil-kemenag-sumsel@santun.test"))
    page = assessor.get(reverse("reports:statistics", kwargs={"institution": sumsel.slug})).content.decode()
    first_table = page.split("<table", 2)[1]
    assert max(int(n) for n in re.findall(r">\s*(\d+)\s*<", first_table.split("</table>")[0])) >= 3
    head = mfa_client(User.objects.get(email="kepala.kankemenag-lahat@santun.test"))
    dashboard = head.get(reverse("governance:dashboard", kwargs={"institution": "kankemenag-lahat"})).content.decode()
    assert "MAN 1 Lahat" in dashboard and reverse("sanctions:decisions_escalated", kwargs={
        "institution": "man-1-lahat"}) in dashboard
