"""The province generator (``manage.py generate_province``) on a small scale: proportions, every
state of the case file, letters that verify, working logins, and the refusal of a non-empty database."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from governance.models import Channel, Institution, Membership, Role, User
from members.models import Acknowledgement, StaffMember
from reports import province
from reports.models import AssessmentPeriod, Entry
from sanctions.models import (
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    RemovalState,
    RemovalTask,
    ReportState,
    ViolationReport,
    WarningLetter,
)

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    from conftest import shared_test_data

    with shared_test_data(django_db_blocker, tmp_path_factory):
        yield province.generate(3)


@pytest.fixture
def world(generated, db, unscoped):
    return generated


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_tree_and_its_people_scale_with_the_number_of_institutions(world):
    top = Institution.objects.get(slug=world.pages["top"])
    assert Institution.objects.filter(path__startswith=top.path).count() == 3
    assert top.kind == Institution.Kind.REGIONAL_OFFICE and top.depth == 0
    assert Institution.objects.filter(parent=top, kind=Institution.Kind.DISTRICT_OFFICE).count() == 1
    assert StaffMember.objects.count() == 3 * province.STAFF_PER_INSTITUTION
    assert Channel.objects.count() == 3 * province.CHANNELS_PER_INSTITUTION
    assert ViolationReport.objects.count() == 3 * province.REPORTS_PER_INSTITUTION
    assert Acknowledgement.objects.exists()
    # Reports arrived over the past year, not all at the moment of generation.
    arrivals = ViolationReport.objects.dates("created_at", "month")
    assert len(arrivals) >= 6
    for institution in Institution.objects.all():
        roles = set(Membership.objects.filter(institution=institution).values_list("role", flat=True))
        assert {Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF} <= roles
    assert Membership.objects.filter(institution=top, role=Role.ASSESSOR).count() == province.ASSESSORS


def test_every_state_of_the_case_file_occurs_in_every_institution(world):
    def states(model, institution):
        return set(model.objects.filter(institution=institution).values_list("state", flat=True))

    for institution in Institution.objects.all():
        assert states(ViolationReport, institution) == set(ReportState.values)
        assert states(Measure, institution) == set(MeasureState.values)
        assert states(RemovalTask, institution) == set(RemovalState.values)
        assert states(Objection, institution) == set(ObjectionState.values)
        assert states(Referral, institution) == set(ReferralState.values)
        levels = set(Measure.objects.filter(institution=institution).values_list("level_code", flat=True))
        assert levels == {"SP1", "SP2", "KELUAR"}
    # Every approved letter measure has its letter, and nothing else has one.
    approved_letters = Measure.objects.filter(level_kind="letter", state__in=["active", "expired", "voided"])
    assert WarningLetter.objects.count() == approved_letters.count() > 0
    assert not Measure.objects.filter(letter__isnull=False).exclude(pk__in=approved_letters).exists()


def test_letters_verify_publicly(world, client):
    letter = WarningLetter.objects.get(verification_code=world.pages["letter_code"])
    response = client.get(reverse("verify_letter", kwargs={"code": letter.verification_code}))
    assert response.status_code == 200
    assert letter.number in response.content.decode()


def test_assessment_has_a_finalized_and_a_scoring_period_over_the_subtree(world):
    finalized = AssessmentPeriod.objects.get(pk=world.pages["finalized_period"])
    scoring = AssessmentPeriod.objects.get(pk=world.pages["scoring_period"])
    assert (finalized.state, scoring.state) == (AssessmentPeriod.State.FINALIZED, AssessmentPeriod.State.SCORING)
    # The assessor assesses everyone below it, not itself.
    assert Entry.objects.filter(period=finalized, total__isnull=False).count() == 2
    assert Entry.objects.filter(period=scoring).count() == 2


def test_core_pages_answer_for_the_generated_logins(world):
    unit, top = world.pages["unit"], world.pages["top"]
    pages = [
        ("kepala", reverse("governance:dashboard", kwargs={"institution": unit}), "MTs Negeri 1"),
        ("humas", reverse("sanctions:queue", kwargs={"institution": unit}), "MTs Negeri 1"),
        ("humas", reverse("sanctions:report_detail", kwargs={"institution": unit, "pk": world.pages["report"]}), "SP1"),
        ("penilai", reverse("reports:results", kwargs={"institution": top, "pk": world.pages["finalized_period"]}),
         "MTs Negeri 1"),
    ]
    for role, url, text in pages:
        response = signed_in(world.logins[role]).get(url)
        assert response.status_code == 200, (role, url)
        assert text in response.content.decode(), (role, url)
    response = Client().get(reverse("governance:public_code", kwargs={"institution": unit}))
    assert response.status_code == 200 and "Kode Etik" in response.content.decode()


def test_the_audit_trail_stays_intact(world, capsys):
    call_command("verify_audit")
    assert capsys.readouterr().out.startswith("OK:")


def test_a_database_with_institutions_is_refused_unless_appending(world, capsys):
    before = Institution.objects.count()
    with pytest.raises(CommandError, match="--append"):
        call_command("generate_province", institutions=2)
    assert Institution.objects.count() == before
    call_command("generate_province", institutions=2, append=True, json=True)
    assert Institution.objects.count() == before + 2
    assert Institution.objects.filter(slug__startswith="prov2-").count() == 2
