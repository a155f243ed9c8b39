"""Policies that match each regime: referral only (seed 003, Pemasyarakatan) and the rungs that apply
to informal channels (seed 000 allows informal groups beside the official one)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import AuditEntry, Notification
from members.models import GroupMembership
from sanctions import selectors, services
from sanctions.models import ReferralState
from sanctions.tests.conftest import mfa_client
from sanctions.tests.factories import approved_measure, confirmed_report, group, join, level

# Monday 3 November 2025, 09:00 WIB.
MONDAY = datetime.datetime(2025, 11, 3, 2, tzinfo=datetime.UTC)


def referral_only(world, **extra):
    return services.ladder_set_policy(actor=world.users["kepala"], institution=world.institution, referral_only=True,
                                      referral_track="ethics", referral_to="Majelis Kode Etik Kanwil",
                                      referral_working_days=10, **extra)


def test_under_referral_only_a_confirmed_case_goes_to_the_formal_process(world):
    with time_machine.travel(MONDAY, tick=False):
        referral_only(world)
        report = confirmed_report(world.institution, humas=world.users["humas"], reporter=world.users["pegawai"],
                                  subject_staff=world.budi, channel=world.channel)
        referral = report.referrals.get()
        # Ten working days from Monday 3 November 2025.
        assert referral.referred_to == "Majelis Kode Etik Kanwil" and referral.due_on == datetime.date(2025, 11, 17)
        with pytest.raises(ValidationError) as refused:
            services.measure_propose(actor=world.users["humas"], report=report, level=level(world.institution, 1))
        assert refused.value.code == "referral_only"
        page = mfa_client(world.users["humas"]).get(
            reverse("sanctions:report_detail", kwargs={"institution": world.institution.slug, "pk": report.pk}))
        assert reverse("sanctions:measure_propose", kwargs={"institution": world.institution.slug, "pk": report.pk}) \
            not in page.content.decode()

    # Overdue: Humas and the head are reminded, once a week, until the outcome is recorded.
    assert services.referrals_remind(institution=world.institution, today=datetime.date(2025, 11, 18)) == 1
    assert services.referrals_remind(institution=world.institution, today=datetime.date(2025, 11, 19)) == 0
    assert services.referrals_remind(institution=world.institution, today=datetime.date(2025, 11, 25)) == 1
    told = set(Notification.objects.filter(kind="sanctions.referral_overdue").values_list("recipient", flat=True))
    assert {world.users["humas"].pk, world.users["kepala"].pk} <= told
    assert list(selectors.overdue_referrals(world.institution, datetime.date(2025, 11, 18))) == [referral]
    services.referral_record_outcome(actor=world.users["kepala"], referral=referral, outcome="Teguran tertutup.",
                                     outcome_on=datetime.date(2025, 11, 20))
    referral.refresh_from_db()
    assert referral.state == ReferralState.CLOSED
    assert services.referrals_remind(institution=world.institution, today=datetime.date(2025, 12, 2)) == 0


def test_the_queue_lists_every_referral_waiting_for_its_outcome_and_those_overdue(world):
    with time_machine.travel(MONDAY, tick=False):
        referral_only(world)
        late = confirmed_report(world.institution, humas=world.users["humas"], reporter=world.users["pegawai"],
                                subject_staff=world.budi, channel=world.channel)
    with time_machine.travel(MONDAY + datetime.timedelta(days=14), tick=False):
        recent = confirmed_report(world.institution, humas=world.users["humas"], reporter=world.users["pegawai"],
                                  subject_staff=world.budi, channel=world.channel)
    # Tuesday 18 November 2025: the first case's outcome was expected on the 17th, the second's is not yet due.
    with time_machine.travel(MONDAY + datetime.timedelta(days=15), tick=False):
        client = mfa_client(world.users["humas"])
        queue = reverse("sanctions:queue", kwargs={"institution": world.institution.slug})
        overdue = client.get(queue, {"referral": "overdue"}).content.decode()
        waiting = client.get(queue, {"referral": "waiting"}).content.decode()
        assert f"#{late.pk} ·" in overdue and f"#{recent.pk} ·" not in overdue
        assert 'text-danger">Hasil rujukan diharapkan paling lambat 17 November 2025' in overdue
        assert f"#{late.pk} ·" in waiting and f"#{recent.pk} ·" in waiting
        counts = client.get(queue).content.decode()
        assert "?referral=overdue" in counts
        # Once the outcome is recorded the case leaves both lists.
        services.referral_record_outcome(actor=world.users["kepala"], referral=late.referrals.get(),
                                         outcome="Teguran tertutup.", outcome_on=datetime.date(2025, 11, 18))
        assert f"#{late.pk} ·" not in client.get(queue, {"referral": "waiting"}).content.decode()


def test_removal_does_not_apply_in_a_group_without_a_registered_admin(world):
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    informal = group(inst, name="Grup Guru Santai", is_official=False)
    join(informal, world.budi)
    for _ in range(2):  # SP1 and SP2 in force
        approved_measure(inst, humas=humas, head=head, subject_staff=world.budi, channel=world.channel)
    report = confirmed_report(inst, humas=humas, reporter=world.users["pegawai"], subject_staff=world.budi,
                              channel=informal)
    assert selectors.suggest_level(report).level.position == 2, "the last rung that applies repeats"
    with pytest.raises(ValidationError) as refused:
        services.measure_propose(actor=humas, report=report, level=level(inst, 3), reason="Pelanggaran ketiga.")
    assert refused.value.code == "informal_channel"

    # The official group has a registered admin (the pegawai): removal applies there.
    official = confirmed_report(inst, humas=humas, reporter=world.users["pegawai"], subject_staff=world.budi,
                                channel=world.channel)
    assert GroupMembership.objects.filter(channel=world.channel, role="admin").exists()
    assert selectors.suggest_level(official).level.position == 3


def test_the_head_sets_the_policy_on_the_ladder_page_and_a_refusal_keeps_what_was_typed(world):
    client = mfa_client(world.users["kepala"])
    url = reverse("sanctions:ladder_policy", kwargs={"institution": world.institution.slug})
    refused = client.post(url, {"referral_only": "on", "referral_track": "ethics", "referral_to": "",
                                "referral_working_days": "15", "remind_after_working_days": "5",
                                "hearing_working_days": "3", "removal_working_days": "3", "informal": ["1"]})
    assert refused.status_code == 400 and 'value="15"' in refused.content.decode()
    assert not selectors.current_ladder(world.institution).referral_only
    client.post(url, {"referral_track": "ethics", "referral_working_days": "20", "remind_after_working_days": "4",
                      "hearing_working_days": "3", "removal_working_days": "3", "informal": ["1", "2", "3"]})
    ladder = selectors.current_ladder(world.institution)
    assert [lvl.informal for lvl in selectors.ladder_levels(ladder)] == [True, True, True]
    assert AuditEntry.objects.filter(action="sanctions.ladder.policy_set").count() == 1
    page = client.get(reverse("sanctions:ladder", kwargs={"institution": world.institution.slug})).content.decode()
    assert page.count('name="informal"') == 3 and page.count("checked") >= 3


def test_the_time_to_explain_is_the_institutions_own_and_the_invitation_counts_it(world):
    client = mfa_client(world.users["kepala"])
    url = reverse("sanctions:ladder_policy", kwargs={"institution": world.institution.slug})
    typed = {"referral_track": "ethics", "referral_working_days": "20", "remind_after_working_days": "5",
             "removal_working_days": "3"}
    refused = client.post(url, {**typed, "hearing_working_days": "30"})
    assert refused.status_code == 400 and 'name="hearing_working_days" value="30"' in refused.content.decode()
    assert not AuditEntry.objects.filter(action="sanctions.ladder.policy_set").exists()
    client.post(url, {**typed, "hearing_working_days": "5"})
    assert selectors.current_ladder(world.institution).hearing_working_days == 5
    with time_machine.travel(MONDAY, tick=False):
        report = confirmed_report(world.institution, humas=world.users["humas"], reporter=world.users["pegawai"],
                                  subject_staff=world.budi, channel=world.channel)
    # Five working days from Monday 3 November 2025 (the default would give Thursday the 6th).
    assert report.explanation.due_on == datetime.date(2025, 11, 10)


def test_the_time_to_carry_out_a_removal_is_the_institutions_own(world):
    client = mfa_client(world.users["kepala"])
    url = reverse("sanctions:ladder_policy", kwargs={"institution": world.institution.slug})
    typed = {"referral_track": "ethics", "referral_working_days": "20", "remind_after_working_days": "5",
             "hearing_working_days": "3", "informal": ["1", "2", "3"]}
    refused = client.post(url, {**typed, "removal_working_days": "0"})
    assert refused.status_code == 400 and 'name="removal_working_days" value="0"' in refused.content.decode()
    client.post(url, {**typed, "removal_working_days": "6"})
    with time_machine.travel(datetime.datetime(2025, 6, 2, 3, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                                   subject_staff=world.budi, channel=world.channel, position=3)
    # Six working days from Monday 2 June 2025, past Idul Adha (6 June) and its collective leave (9 June);
    # the default three would give Thursday the 5th.
    assert measure.removal.due_on == datetime.date(2025, 6, 12)
