"""Demo data of the governance app: the institution trees from the seed articles, one login per
role, and TOTP for heads and assessors. Idempotent: running it again changes nothing."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password

from .models import Institution, Role, TimeZone, User
from .services import institution_create, membership_grant

# Printed by seed_demo; for the demo only. `python manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "SANTVNDEMQ2FA3KEPALA4PENILAI5XYZ"

K = Institution.Kind
# (slug, parent slug, name, kind, province, regency, time zone, extra fields)
TREE = [
    ("kanwil-kemenag-sumsel", None, "Kanwil Kementerian Agama Provinsi Sumatera Selatan", K.REGIONAL_OFFICE, "16", "", TimeZone.WIB,
     {"letter_unit_code": "Kw.06", "address": "Jl. Jenderal Sudirman, Palembang"}),
    ("kankemenag-muara-enim", "kanwil-kemenag-sumsel", "Kantor Kementerian Agama Kabupaten Muara Enim", K.DISTRICT_OFFICE, "16", "16.03", TimeZone.WIB,
     {"letter_unit_code": "Kk.06.03", "address": "Muara Enim, Sumatera Selatan"}),
    ("mtsn-1-muara-enim", "kankemenag-muara-enim", "MTs Negeri 1 Muara Enim", K.MADRASAH, "16", "16.03", TimeZone.WIB,
     {"letter_unit_code": "Mts.06.03.1", "nsm": "121116030001", "address": "Muara Enim, Sumatera Selatan"}),
    ("kanwil-kemenag-kalsel", None, "Kanwil Kementerian Agama Provinsi Kalimantan Selatan", K.REGIONAL_OFFICE, "63", "", TimeZone.WITA,
     {"letter_unit_code": "Kw.17", "address": "Banjarmasin, Kalimantan Selatan"}),
    ("kemenag-banjarbaru", "kanwil-kemenag-kalsel", "Kantor Kementerian Agama Kota Banjarbaru", K.DISTRICT_OFFICE, "63", "63.72", TimeZone.WITA,
     {"letter_unit_code": "Kk.17.10", "letter_number_template": "B-{seq}/{kode_jabatan}/KP.04.2/{MM}/{YYYY}", "address": "Banjarbaru, Kalimantan Selatan"}),
    ("pemkab-oku-timur", None, "Pemerintah Kabupaten Ogan Komering Ulu Timur", K.LOCAL_GOVERNMENT, "16", "16.08", TimeZone.WIB,
     {"letter_unit_code": "Pemkab.OKUT", "address": "Martapura, OKU Timur"}),
    ("diskominfo-oku-timur", "pemkab-oku-timur", "Dinas Komunikasi dan Informatika Kabupaten OKU Timur", K.AGENCY, "16", "16.08", TimeZone.WIB,
     {"letter_unit_code": "Diskominfo", "address": "Martapura, OKU Timur"}),
    ("dinas-pendidikan-oku-timur", "pemkab-oku-timur", "Dinas Pendidikan Kabupaten OKU Timur", K.AGENCY, "16", "16.08", TimeZone.WIB,
     {"letter_unit_code": "Disdik", "address": "Martapura, OKU Timur"}),
    ("bkpsdm-oku-timur", "pemkab-oku-timur", "Badan Kepegawaian dan Pengembangan SDM Kabupaten OKU Timur", K.AGENCY, "16", "16.08", TimeZone.WIB,
     {"letter_unit_code": "BKPSDM", "address": "Martapura, OKU Timur"}),
    ("ditjenpas", None, "Direktorat Jenderal Pemasyarakatan", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "PAS", "address": "Jakarta"}),
    ("kanwil-pas-jateng", "ditjenpas", "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Tengah", K.REGIONAL_OFFICE, "33", "", TimeZone.WIB,
     {"letter_unit_code": "PAS.11", "address": "Semarang, Jawa Tengah"}),
    ("rutan-kudus", "kanwil-pas-jateng", "Rumah Tahanan Negara Kelas IIB Kudus", K.CORRECTIONAL_UNIT, "33", "33.19", TimeZone.WIB,
     {"letter_unit_code": "PAS.11.RTN.KDS", "address": "Kudus, Jawa Tengah"}),
    ("kanwil-djpb-sumbar", None, "Kantor Wilayah Direktorat Jenderal Perbendaharaan Provinsi Sumatera Barat", K.REGIONAL_OFFICE, "13", "", TimeZone.WIB,
     {"letter_unit_code": "WPB.03", "address": "Padang, Sumatera Barat"}),
    ("kppn-sijunjung", "kanwil-djpb-sumbar", "KPPN Sijunjung", K.TREASURY_OFFICE, "13", "13.03", TimeZone.WIB,
     {"letter_unit_code": "WPB.03/KP.05", "address": "Jl. Prof. M. Yamin No. 77 Kab. Sijunjung"}),
]

ASSESSOR_INSTITUTIONS = {"kanwil-kemenag-sumsel", "kanwil-kemenag-kalsel", "pemkab-oku-timur", "ditjenpas",
                         "kanwil-pas-jateng", "kanwil-djpb-sumbar"}
MEMBER_ROLES = [Role.KEPALA, Role.HUMAS, Role.OPERATOR, Role.PEGAWAI]


def demo_email(role: str, slug: str) -> str:
    return f"{role}.{slug}@santun.test"


def roles_for(slug: str) -> list[str]:
    return MEMBER_ROLES + ([Role.PENILAI] if slug in ASSESSOR_INSTITUTIONS else [])


def seed(ctx) -> None:
    institutions = ctx.institutions
    # Hash the shared demo password once: hashing is deliberately slow.
    password_hash = make_password(settings.SANTUN_DEMO_PASSWORD)
    for slug, parent_slug, name, kind, province, regency, tz, extra in TREE:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            institution = institution_create(
                actor=None, parent=institutions.get(parent_slug), slug=slug, name=name, kind=kind,
                province_code=province, regency_code=regency, timezone=tz, **extra,
            )
        institutions[slug] = institution

    for slug, institution in institutions.items():
        for role in roles_for(slug):
            email = demo_email(role, slug)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(email=email, password=password_hash)
            ctx.users[(slug, role)] = user
            membership_grant(actor=None, user=user, institution=institution, role=role)
            if role in (Role.KEPALA, Role.PENILAI) and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)

    ctx.notes.append(
        f"Heads (kepala.*) and assessors (penilai.*) sign in with TOTP. Demo secret: {DEMO_TOTP_SECRET} "
        "— add it to an authenticator app, or run `make totp` for the current code."
    )
