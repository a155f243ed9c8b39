"""What a visit to each core page costs in SQL queries, and that it does not grow with the data.

Each scenario is built twice, small and more than five times larger (more institutions, staff,
cases in every state with notes and evidence, measures, rules, acknowledgements, channels,
publications, notifications and assessment entries). Every core page must answer 200 with at most
``BUDGET`` queries, and with the same number at both sizes; the first visit with an empty cache
must cost the same at both sizes too. The count covers the whole visit:
middleware, session, user, menu, banners, dashboard panels and notification count.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from conftest import mfa_client
from governance import services as governance_services
from governance.models import Institution, Membership, Role
from governance.tests.factories import (
    ElectionPeriodFactory,
    InstitutionFactory,
    OfficialAccountFactory,
    PublicationFactory,
    make_member,
)
from members import services as members_services
from members.models import StaffMember
from members.selectors import current_code_version
from reports import services as reports_services
from reports.models import AssessmentPeriod
from reports.tests.factories import make_period, score_all, small_rubric
from sanctions import services as sanctions_services
from sanctions.tests.factories import (
    StaffMemberFactory,
    approved_measure,
    confirmed_report,
    file_report,
    group,
    join,
    png_bytes,
    proposed_measure,
    publish_code,
    staff_for,
)

BUDGET = 12
SMALL, LARGE = 1, 6



def build_world(scale: int, tag: str) -> dict:
    """A regional office whose code the madrasah adopted and extended, and ``scale`` times the rest."""
    kanwil = InstitutionFactory(slug=f"kanwil-{tag}", name=f"Kanwil {tag}", kind=Institution.Kind.REGIONAL_OFFICE,
                                regency_code="")
    madrasah = InstitutionFactory(slug=f"mts-{tag}", name=f"MTs {tag}", parent=kanwil)
    others = [InstitutionFactory(parent=kanwil, regency_code=f"16.{index % 4:02d}") for index in range(3 * scale)]
    users = {role: make_member(madrasah, role) for role in (Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF)}
    users["humas2"] = make_member(madrasah, Role.PUBLIC_RELATIONS)
    kanwil_head = make_member(kanwil, Role.HEAD)
    assessors = [make_member(kanwil, Role.ASSESSOR), make_member(kanwil, Role.ASSESSOR)]
    Membership.objects.filter(institution__in=[kanwil, madrasah]).update(starts_on=datetime.date(2020, 1, 1))

    # The parent's code, adopted by the madrasah with rules of its own.
    publish_code(kanwil)
    head, humas = users[Role.HEAD], users[Role.PUBLIC_RELATIONS]
    draft = governance_services.code_adopt_parent(actor=humas, institution=madrasah)
    for number in range(2 * scale):
        governance_services.rule_add(actor=humas, version=draft, number=f"M{number + 1}", category="etiquette",
                                     kind="prohibition", severity=1, text=f"Aturan madrasah nomor {number + 1}.")
    version = governance_services.code_publish(actor=head, version=draft)

    # Staff, groups, accounts, publications and acknowledgements.
    for user in users.values():
        staff_for(user, madrasah)
    staff = [StaffMemberFactory(institution=madrasah) for _ in range(5 * scale)]
    channels = [group(madrasah) for _ in range(2 * scale)]
    for index, person in enumerate(staff):
        join(channels[index % len(channels)], person)
    accounts = [OfficialAccountFactory(institution=madrasah) for _ in range(scale)]
    for index in range(4 * scale):
        PublicationFactory(channel=accounts[index % len(accounts)])
    for person in staff[: 3 * scale]:
        members_services.acknowledgement_record(actor=humas, staff=person, version=version, method="paper")
    members_services.acknowledgement_record(actor=users[Role.STAFF],
                                            staff=staff_for(users[Role.STAFF], madrasah), version=version)
    for other in others:
        StaffMember.objects.create(institution=other, full_name="Pegawai", joined_on="2020-01-01")

    # Cases in every state, with notes and evidence; the pegawai reports some and is the subject of others.
    pegawai, pegawai_staff = users[Role.STAFF], staff_for(users[Role.STAFF], madrasah)
    for index in range(scale):
        subject = staff[index % len(staff)]
        channel = channels[index % len(channels)]
        file_report(madrasah, reporter=pegawai, subject_staff=subject, channel=channel)
        reviewing = file_report(madrasah, reporter=pegawai, subject_staff=subject, channel=channel)
        sanctions_services.report_start_review(actor=humas, report=reviewing)
        sanctions_services.report_assign(actor=humas, report=reviewing, assignee=users["humas2"])
        confirmed_report(madrasah, humas=humas, subject_staff=subject)
        dismissed = file_report(madrasah, reporter=humas, subject_staff=subject)
        sanctions_services.report_start_review(actor=humas, report=dismissed)
        sanctions_services.report_dismiss(actor=humas, report=dismissed, reason="Bukan pelanggaran.")
        approved_measure(madrasah, humas=humas, head=head, subject_staff=pegawai_staff, channel=channel)
        proposed_measure(madrasah, humas=humas, subject_staff=subject, channel=channel)
    pending = proposed_measure(madrasah, humas=humas, subject_staff=staff[0], channel=channels[0])
    case = pending.report
    for index in range(3 * scale):
        sanctions_services.report_add_note(actor=humas, report=case, text=f"Catatan telaah {index + 1}.")
    # Evidence can only be added to an open case: a second, open case carries the files.
    open_case = file_report(madrasah, reporter=humas, subject_staff=staff[0], channel=channels[0])
    for index in range(1 + scale):  # a report holds at most ten files
        sanctions_services.evidence_add(actor=humas, report=open_case, name=f"bukti-{index}.png",
                                        data=png_bytes(color=(index * 20 % 255, 30, 30)))
        sanctions_services.report_add_note(actor=humas, report=open_case, text=f"Catatan bukti {index + 1}.")

    # Assessment periods: one finalized with ranks, one being scored.
    rubric = small_rubric(kanwil, weights=(20, 30, 50), indicator="acknowledgement_share")
    State = AssessmentPeriod.State
    make_period(kanwil, year=2023, semester=2, rubric=rubric, state=State.FINALIZED, scorer=assessors[0],
                score=lambda e, c: e.institution_id % 5)
    final = make_period(kanwil, year=2024, semester=1, rubric=rubric, state=State.SCORING, scorer=assessors[0],
                        score=lambda e, c: (e.institution_id + c.pk) % 5)
    score_all(final, assessors[1], lambda e, c: (e.institution_id * c.pk) % 5)
    reports_services.period_finalize(actor=assessors[0], period=final)
    make_period(kanwil, year=2024, semester=2, rubric=rubric, state=State.SCORING, scorer=assessors[1])

    return {"kanwil": kanwil, "madrasah": madrasah, "users": users, "assessor": assessors[0],
            "kanwil_head": kanwil_head, "final": final, "case": case, "open_case": open_case,
            "channel": channels[0], "humas2": users["humas2"]}


def core_pages(world) -> dict:
    """name -> (visitor or None for anonymous, address)"""
    slug, kanwil = world["madrasah"].slug, world["kanwil"].slug
    users = world["users"]

    def url(name, institution=slug, **kwargs):
        return reverse(name, kwargs={"institution": institution, **kwargs})

    queue = url("sanctions:queue")
    return {
        "dashboard_kepala": (users[Role.HEAD], url("governance:dashboard")),
        "dashboard_humas": (users[Role.PUBLIC_RELATIONS], url("governance:dashboard")),
        "dashboard_operator": (users[Role.OPERATOR], url("governance:dashboard")),
        "dashboard_pegawai": (users[Role.STAFF], url("governance:dashboard")),
        "dashboard_penilai": (world["assessor"], url("governance:dashboard", kanwil)),
        "dashboard_kepala_kanwil": (world["kanwil_head"], url("governance:dashboard", kanwil)),
        "queue": (users[Role.PUBLIC_RELATIONS], queue),
        "queue_open": (users[Role.PUBLIC_RELATIONS], f"{queue}?state=open&priority=on"),
        "queue_filtered": (users[Role.PUBLIC_RELATIONS], f"{queue}?state=in_review&category=hoax&channel={world['channel'].pk}"
                                              f"&assignee={world['humas2'].pk}"),
        "queue_page_2": (users[Role.PUBLIC_RELATIONS], f"{queue}?page=2"),
        "queue_searched": (users[Role.PUBLIC_RELATIONS], f"{queue}?q=pesan+berantai&occurred_from=2020-01-01"
                                              f"&occurred_to=2099-12-31&state=open&page=1"),
        "queue_kepala_searched": (users[Role.HEAD], f"{queue}?q=berantai&occurred_from=2020-01-01"),
        "case_humas": (users[Role.PUBLIC_RELATIONS], url("sanctions:report_detail", pk=world["case"].pk)),
        "case_with_evidence": (users[Role.PUBLIC_RELATIONS], url("sanctions:report_detail", pk=world["open_case"].pk)),
        "case_kepala": (users[Role.HEAD], url("sanctions:report_detail", pk=world["case"].pk)),
        "results": (world["assessor"], url("reports:results", kanwil, pk=world["final"].pk)),
        # Moderation statistics of the whole subtree, as an assessor and as the parent's head.
        "statistics_subtree": (world["assessor"], url("reports:statistics", kanwil) + "?scope=tree"),
        "statistics_subtree_kepala": (world["kanwil_head"], url("reports:statistics", kanwil) + "?scope=tree"),
        "statistics_kepala": (users[Role.HEAD], url("reports:statistics")),
        "public_code": (None, url("governance:public_code")),
    }


def visit_cost(client, address) -> tuple[int, int, list[str], int, int]:
    """(status, queries, their SQL) of a typical rendered visit, after a warm-up visit (the read
    models cached, the page itself rendered: ``SANTUN_PAGE_CACHE`` off), the queries of the first
    visit with an empty cache, and those of a visit served from the visitor's kept page."""
    cache.clear()
    # Each count is read at once: the next request empties the connection's query log.
    with override_settings(SANTUN_PAGE_CACHE=False):
        with CaptureQueriesContext(connection) as cold:
            client.get(address)
        cold_count = len(cold.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        typical = [q["sql"] for q in captured.captured_queries]
    client.get(address)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(address)
    kept_count = len(kept.captured_queries)
    assert again.status_code == response.status_code and again.context is None, f"{address} was not kept"
    return response.status_code, len(typical), typical, cold_count, kept_count


def measure(world) -> dict:
    costs = {}
    clients = {}
    for name, (user, address) in core_pages(world).items():
        if user is None:
            client = Client()
        else:
            client = clients.get(user.pk) or mfa_client(user)
            clients[user.pk] = client
        costs[name] = visit_cost(client, address)
    return costs


def report(costs_small, costs_large) -> str:
    lines = []
    for name in costs_small:
        small, large = costs_small[name], costs_large[name]
        lines.append(f"{name}: {small[1]} queries small, {large[1]} large (status {small[0]}/{large[0]}); "
                     f"empty cache: {small[3]} small, {large[3]} large; kept page: {small[4]} small, {large[4]} large")
        if small[1] != large[1] or small[3] != large[3] or small[4] != large[4] or large[1] > BUDGET \
                or small[0] != 200 or large[0] != 200:
            lines.append("  queries at the larger size:")
            lines.extend(f"    {sql[:300]}" for sql in large[2])
    return "\n".join(lines)


@pytest.fixture
def costs(db, unscoped, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # A national election campaign running: every institution page shows its banner.
    ElectionPeriodFactory(campaign_starts_on=datetime.date(2020, 1, 1), campaign_ends_on=datetime.date(2099, 1, 1),
                          quiet_starts_on=datetime.date(2099, 1, 2), quiet_ends_on=datetime.date(2099, 1, 3),
                          voting_day=datetime.date(2099, 1, 4))
    small = measure(build_world(SMALL, "kecil"))
    large = measure(build_world(LARGE, "besar"))
    return small, large


def test_core_pages_cost_the_same_few_queries_at_any_size(costs):
    small, large = costs
    summary = report(small, large)
    print(summary)
    for name in small:
        assert small[name][0] == 200 and large[name][0] == 200, f"{name} did not answer 200\n{summary}"
        assert small[name][1] == large[name][1], f"{name} grows with the data\n{summary}"
        # What the cache holds is computed without a query per row as well.
        assert small[name][3] == large[name][3], f"{name} grows with the data when the cache is empty\n{summary}"
        assert large[name][1] <= BUDGET, f"{name} runs more than {BUDGET} queries\n{summary}"
        # A kept page costs only the signed-in account (roles and institution are remembered).
        assert small[name][4] == large[name][4] <= 1 and large[name][4] < large[name][1], \
            f"{name}: serving the kept page costs too much\n{summary}"


# --- what is cached is never stale, and never another institution's or visitor's -----------------


def panel(response, template: str) -> dict:
    return next(p["context"] for p in response.context["panels"] if p["template"] == template)


@pytest.fixture
def two_sides(side_a, side_b, unscoped):
    for side in (side_a, side_b):
        Membership.objects.filter(institution__in=[side.institution, side.parent]).update(
            starts_on=datetime.date(2020, 1, 1))
        publish_code(side.institution)
        for role, user in side.users.items():
            if role != Role.ASSESSOR:
                staff_for(user, side.institution)
    return side_a, side_b


@pytest.fixture
def read_models_only(settings):
    """The read models under the pages are watched here with every page rendered afresh; the
    visitor's kept copies of whole pages are watched in sanctions/tests/test_page_cache.py."""
    settings.SANTUN_PAGE_CACHE = False


def dashboard(side) -> str:
    return reverse("governance:dashboard", kwargs={"institution": side.institution.slug})


def test_a_change_shows_on_the_very_next_visit(two_sides, read_models_only):
    side, _ = two_sides
    humas, pegawai = mfa_client(side.users[Role.PUBLIC_RELATIONS]), mfa_client(side.users[Role.STAFF])
    assert panel(humas.get(dashboard(side)), "sanctions/panels/humas.html")["counts"]["submitted"] == 0
    assert panel(humas.get(dashboard(side)), "sanctions/panels/humas.html")["counts"]["submitted"] == 0  # cached

    report = file_report(side.institution, reporter=side.users[Role.STAFF], subject_name="Budi")
    page = humas.get(dashboard(side))
    assert panel(page, "sanctions/panels/humas.html")["counts"]["submitted"] == 1
    assert f"#{report.pk}" in pegawai.get(dashboard(side)).content.decode()  # the reporter's own panel

    # A change made without the services (no audit entry) counts as well: a group registered directly.
    before = panel(humas.get(dashboard(side)), "governance/panels/governance.html")["counts"]["groups"]
    group(side.institution)
    assert panel(humas.get(dashboard(side)), "governance/panels/governance.html")["counts"]["groups"] == before + 1

    # The unread count in the menu follows a new notice at once.
    unread = humas.get(dashboard(side)).context["unread_notifications"]()
    governance_services.notify(recipients=[side.users[Role.PUBLIC_RELATIONS]], institution=side.institution,
                               kind="test", title="Pemberitahuan baru", email=False)
    assert humas.get(dashboard(side)).context["unread_notifications"]() == unread + 1


def test_a_new_code_version_asks_for_acknowledgement_at_once(two_sides):
    side, _ = two_sides
    client = mfa_client(side.users[Role.STAFF])
    version = current_code_version(side.institution)
    members_services.acknowledgement_record(actor=side.users[Role.STAFF],
                                            staff=staff_for(side.users[Role.STAFF], side.institution), version=version)
    acknowledge = reverse("members:acknowledge", kwargs={"institution": side.institution.slug})
    assert not any(b.url == acknowledge for b in client.get(dashboard(side)).context["banners"])

    draft = governance_services.code_version_start(actor=side.users[Role.PUBLIC_RELATIONS], institution=side.institution)
    governance_services.code_publish(actor=side.users[Role.HEAD], version=draft)
    assert any(b.url == acknowledge for b in client.get(dashboard(side)).context["banners"])


def test_cached_panels_stay_with_their_institution_and_visitor(two_sides, read_models_only):
    side_a, side_b = two_sides
    file_report(side_a.institution, reporter=side_a.users[Role.STAFF], subject_name="Budi")
    file_report(side_a.institution, reporter=side_a.users[Role.STAFF], subject_name="Budi")
    mine = file_report(side_a.institution, reporter=side_a.users[Role.OPERATOR], subject_name="Budi")
    humas_a, humas_b = mfa_client(side_a.users[Role.PUBLIC_RELATIONS]), mfa_client(side_b.users[Role.PUBLIC_RELATIONS])
    for _ in range(2):  # the second round reads from the cache
        assert panel(humas_a.get(dashboard(side_a)), "sanctions/panels/humas.html")["counts"]["submitted"] == 3
        assert panel(humas_b.get(dashboard(side_b)), "sanctions/panels/humas.html")["counts"]["submitted"] == 0
        pegawai = mfa_client(side_a.users[Role.STAFF]).get(dashboard(side_a))
        operator = mfa_client(side_a.users[Role.OPERATOR]).get(dashboard(side_a))
        assert len(panel(pegawai, "sanctions/panels/staff.html")["reports"]) == 2
        assert [r.pk for r in panel(operator, "sanctions/panels/staff.html")["reports"]] == [mine.pk]
        # Panels a role may not see are not served to it from another role's visit.
        assert "sanctions/panels/humas.html" not in [p["template"] for p in pegawai.context["panels"]]


def test_the_case_file_and_the_public_code_show_a_change_at_once(two_sides):
    side, _ = two_sides
    humas_user, head_user = side.users[Role.PUBLIC_RELATIONS], side.users[Role.HEAD]
    report = file_report(side.institution, reporter=side.users[Role.STAFF], subject_name="Budi")
    case = reverse("sanctions:report_detail", kwargs={"institution": side.institution.slug, "pk": report.pk})
    humas, head = mfa_client(humas_user), mfa_client(head_user)
    assert "Catatan yang baru saja ditulis" not in humas.get(case).content.decode()
    assert head.get(case).status_code == 200  # the head's visit fills the cache as well

    sanctions_services.report_start_review(actor=humas_user, report=report)
    sanctions_services.report_add_note(actor=humas_user, report=report, text="Catatan yang baru saja ditulis")
    assert "Catatan yang baru saja ditulis" in head.get(case).content.decode()
    assert humas.get(case).context["report"].state == "in_review"

    public = reverse("governance:public_code", kwargs={"institution": side.institution.slug})
    assert "Aturan yang baru saja diterbitkan" not in Client().get(public).content.decode()
    draft = governance_services.code_version_start(actor=humas_user, institution=side.institution)
    governance_services.rule_add(actor=humas_user, version=draft, number="99", category="etiquette",
                                 kind="prohibition", severity=1, text="Aturan yang baru saja diterbitkan.")
    assert "Aturan yang baru saja diterbitkan" not in Client().get(public).content.decode()  # only a draft
    governance_services.code_publish(actor=head_user, version=draft)
    assert "Aturan yang baru saja diterbitkan" in Client().get(public).content.decode()


def test_a_renamed_or_switched_off_colleague_shows_at_once(two_sides):
    side, _ = two_sides
    report = file_report(side.institution, reporter=side.users[Role.STAFF], subject_name="Budi")
    queue = reverse("sanctions:queue", kwargs={"institution": side.institution.slug})
    case = reverse("sanctions:report_detail", kwargs={"institution": side.institution.slug, "pk": report.pk})
    humas = mfa_client(side.users[Role.PUBLIC_RELATIONS])
    head = side.users[Role.HEAD]
    assert head.full_name in humas.get(queue).content.decode()
    assert head.full_name in humas.get(case).content.decode()

    head.full_name = "Kepala Yang Baru Berganti Nama"
    head.save()
    assert "Kepala Yang Baru Berganti Nama" in humas.get(queue).content.decode()
    head.is_active = False
    head.save()
    assert "Kepala Yang Baru Berganti Nama" not in humas.get(case).content.decode()
