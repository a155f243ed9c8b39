"""The automatic indicators: formulas on fixed data, the declared score mapping, and a fixed
number of queries however many institutions are computed."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import CodeVersion, Institution
from governance.tests.factories import InstitutionFactory
from members.models import Acknowledgement, StaffMember
from reports import indicators
from reports.indicators import Indicator, acknowledgement_share

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def staff(institution, name, joined=datetime.date(2020, 1, 1), left=None):
    return StaffMember.objects.create(institution=institution, full_name=name, status=StaffMember.Status.HONORER,
                                      joined_on=joined, left_on=left)


def code(institution, number, published, state=CodeVersion.State.PUBLISHED):
    return CodeVersion.objects.create(institution=institution, number=number, title=f"Kode v{number}", state=state,
                                      published_at=at(published) if published else None)


@pytest.fixture
def madrasah(db):
    return InstitutionFactory(kind=Institution.Kind.MADRASAH)


def test_share_counts_current_staff_who_acknowledged_the_version_in_force_by_the_last_day(madrasah, unscoped):
    ani, budi, citra, dedi = (staff(madrasah, n) for n in ("Ani", "Budi", "Citra", "Dedi"))
    gone = staff(madrasah, "Eko", left=datetime.date(2024, 5, 1))        # left before the end: not counted
    staff(madrasah, "Fikri", joined=datetime.date(2024, 7, 15))           # joined after: not counted
    old = code(madrasah, 1, datetime.date(2024, 1, 10), CodeVersion.State.SUPERSEDED)
    current = code(madrasah, 2, datetime.date(2024, 4, 1))
    code(madrasah, 3, None, CodeVersion.State.DRAFT)                      # a draft is never in force
    Acknowledgement.objects.create(staff=ani, version=current, acknowledged_at=at(datetime.date(2024, 4, 2)))
    # 16.00 UTC is 23.00 WIB on the last day: still in time.
    Acknowledgement.objects.create(staff=budi, version=current, acknowledged_at=at(datetime.date(2024, 6, 30), 16))
    Acknowledgement.objects.create(staff=citra, version=old, acknowledged_at=at(datetime.date(2024, 1, 11)))
    Acknowledgement.objects.create(staff=dedi, version=current, acknowledged_at=at(datetime.date(2024, 7, 2)))
    Acknowledgement.objects.create(staff=gone, version=current, acknowledged_at=at(datetime.date(2024, 4, 3)))

    # Ani and Budi of Ani, Budi, Citra and Dedi: 2 of 4.
    assert acknowledgement_share([madrasah.pk], START, END) == {madrasah.pk: Decimal(50)}


def test_no_staff_means_no_value_and_no_code_means_zero(db, unscoped):
    empty, without_code = InstitutionFactory(), InstitutionFactory()
    staff(without_code, "Gita")
    assert acknowledgement_share([empty.pk, without_code.pk], START, END) == {empty.pk: None, without_code.pk: Decimal(0)}


def test_a_code_published_after_the_semester_does_not_count(madrasah, unscoped):
    person = staff(madrasah, "Hana")
    version = code(madrasah, 1, datetime.date(2024, 7, 3))
    Acknowledgement.objects.create(staff=person, version=version, acknowledged_at=at(datetime.date(2024, 7, 4)))
    assert acknowledgement_share([madrasah.pk], START, END) == {madrasah.pk: Decimal(0)}
    assert acknowledgement_share([madrasah.pk], datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)) == {
        madrasah.pk: Decimal(100)}


def _world(count):
    institutions = [InstitutionFactory() for _ in range(count)]
    for institution in institutions:
        person = staff(institution, "Indra")
        version = code(institution, 1, datetime.date(2024, 2, 1))
        Acknowledgement.objects.create(staff=person, version=version, acknowledged_at=at(datetime.date(2024, 2, 2)))
    return [i.pk for i in institutions]


def test_computing_many_institutions_takes_the_same_number_of_queries(db, unscoped):
    small, large = _world(2), _world(15)
    with CaptureQueriesContext(connection) as few:
        indicators.compute_all(small, START, END)
    with CaptureQueriesContext(connection) as many:
        values = indicators.compute_all(large, START, END)
    assert len(few) == len(many) <= 18  # 2 for "checked before publishing" (zones, posts per zone)
    assert set(values["acknowledgement_share"].values()) == {Decimal("100.00")}


@pytest.mark.parametrize(("value", "fraction"), [
    (Decimal(100), Decimal(1)), (Decimal(90), Decimal(1)), (Decimal("89.99"), Decimal("0.75")),
    (Decimal(75), Decimal("0.75")), (Decimal(50), Decimal("0.5")), (Decimal("24.9"), Decimal(0)), (None, None),
])
def test_the_declared_mapping_turns_a_share_into_a_share_of_full_marks(value, fraction):
    indicator = indicators.get("acknowledgement_share")
    assert indicator.fraction(value) == fraction
    if fraction is not None:
        assert indicator.score(value, 4) == (fraction * 4).quantize(Decimal("0.01"))


def test_lower_is_better_indicators_map_the_other_way():
    open_cases = Indicator(code="x", label="x", formula="x", unit="kasus", compute=lambda ids, s, e: {},
                           steps=((Decimal(0), Decimal(1)), (Decimal(2), Decimal("0.5"))), higher_is_better=False)
    assert open_cases.score(Decimal(0), 4) == Decimal(4)
    assert open_cases.score(Decimal(2), 4) == Decimal(2)
    assert open_cases.score(Decimal(3), 4) == Decimal(0)
    assert open_cases.mapping()[0].startswith("≤ 0 kasus")


def test_the_formula_and_mapping_are_explained_in_indonesian():
    indicator = indicators.get("acknowledgement_share")
    assert "kode etik" in str(indicator.label).lower()
    assert indicator.mapping()[0] == "≥ 90 % → 100% dari nilai penuh"


def test_registering_an_indicator_is_all_it_takes_to_compute_it(db, unscoped, monkeypatch):
    monkeypatch.setattr(indicators, "REGISTRY", dict(indicators.REGISTRY))
    indicators.register(Indicator(code="posting_target", label="Target unggahan", formula="…", unit="%",
                                  compute=lambda ids, start, end: {pk: 87.456 for pk in ids},
                                  steps=indicators.PERCENT_STEPS))
    values = indicators.compute_all([1, 2], START, END)
    assert values["posting_target"] == {1: Decimal("87.46"), 2: Decimal("87.46")}
    assert ("posting_target", "Target unggahan") in indicators.choices()


def test_checked_before_publishing_counts_only_posts_checked_before_they_went_out(madrasah, unscoped):
    from governance.models import Channel, ChannelKind, Publication

    other = InstitutionFactory(kind=Institution.Kind.MADRASAH)
    account = Channel.objects.create(institution=madrasah, kind=ChannelKind.INSTAGRAM, name="IG resmi",
                                     link="https://www.instagram.com/madrasah.resmi/")
    def post(day, *, before, state=Publication.State.PUBLISHED):
        return Publication.objects.create(institution=madrasah, channel=account, topic="Kegiatan", state=state,
                                          published_at=at(day) if state == Publication.State.PUBLISHED else None,
                                          checked_before_publishing=before)
    post(datetime.date(2024, 2, 1), before=True)
    post(datetime.date(2024, 3, 1), before=True)
    post(datetime.date(2024, 4, 1), before=True)
    post(datetime.date(2024, 5, 1), before=False)  # logged without its check, maybe checked afterwards
    post(datetime.date(2023, 12, 1), before=False)  # before the semester
    post(None, before=True, state=Publication.State.CHECKED)  # checked, not out yet
    values = indicators.compute_all([madrasah.pk, other.pk], START, END)["checked_before_publishing"]
    assert values == {madrasah.pk: Decimal("75.00"), other.pk: None}
