"""A small assessment world: Kanwil Sumsel assessing a district office and three madrasahs, and
Kanwil Kalsel with one madrasah of its own (the other tree)."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from governance.models import Institution, Role
from governance.tests.factories import InstitutionFactory, make_member


@dataclass
class World:
    sumsel: Institution
    kankemenag: Institution
    madrasahs: list
    kalsel: Institution
    kalsel_madrasah: Institution
    penilai: object
    penilai2: object
    kalsel_penilai: object
    humas: dict = field(default_factory=dict)
    kepala: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    sumsel = InstitutionFactory(slug="kanwil-sumsel", name="Kanwil Sumsel", kind=Institution.Kind.REGIONAL_OFFICE,
                                province_code="16", regency_code="")
    kankemenag = InstitutionFactory(slug="kankemenag-me", name="Kankemenag Muara Enim", parent=sumsel,
                                    kind=Institution.Kind.DISTRICT_OFFICE, regency_code="16.03")
    madrasahs = [
        InstitutionFactory(slug="mts-satu", name="MTs Satu", parent=kankemenag, regency_code="16.03"),
        InstitutionFactory(slug="mts-dua", name="MTs Dua", parent=kankemenag, regency_code="16.03"),
        InstitutionFactory(slug="man-lahat", name="MAN Lahat", parent=sumsel, regency_code="16.04"),
    ]
    kalsel = InstitutionFactory(slug="kanwil-kalsel", name="Kanwil Kalsel", kind=Institution.Kind.REGIONAL_OFFICE,
                                province_code="63", regency_code="")
    kalsel_madrasah = InstitutionFactory(slug="mts-banjarbaru", name="MTs Banjarbaru Rahasia", parent=kalsel,
                                         province_code="63", regency_code="63.72")
    w = World(
        sumsel=sumsel, kankemenag=kankemenag, madrasahs=madrasahs, kalsel=kalsel, kalsel_madrasah=kalsel_madrasah,
        penilai=make_member(sumsel, Role.ASSESSOR, email="penilai@sumsel.test", full_name="Penilai Satu"),
        penilai2=make_member(sumsel, Role.ASSESSOR, email="penilai2@sumsel.test", full_name="Penilai Dua"),
        kalsel_penilai=make_member(kalsel, Role.ASSESSOR, email="penilai@kalsel.test"),
    )
    for institution in [kankemenag, *madrasahs, kalsel_madrasah]:
        w.humas[institution.slug] = make_member(institution, Role.PUBLIC_RELATIONS, email=f"humas@{institution.slug}.test")
        w.kepala[institution.slug] = make_member(institution, Role.HEAD, email=f"kepala@{institution.slug}.test")
    return w


@pytest.fixture
def as_user():
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login
