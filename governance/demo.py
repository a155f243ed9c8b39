"""Demo data of the governance app: the institution trees from the seed articles, one login per
role, and TOTP for heads and assessors. Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime
import random

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .audit import log_action
from .elections import ensure_shipped_periods
from .models import (
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionPeriod,
    Institution,
    Publication,
    Role,
    RuleCategory,
    RuleKind,
    TimeZone,
    User,
)
from .permissions import MFA_ROLES
from .services import (
    channel_register,
    code_adopt_parent,
    code_publish,
    code_start_from_template,
    code_version_start,
    code_version_update,
    institution_create,
    membership_grant,
    publication_check,
    publication_create,
    publication_draft,
    publication_import,
    publication_mark_published,
    rule_add,
    rule_update,
)
from .tenancy import institution_scope

# Printed by seed_demo; for the demo only. `python manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "SANTVNDEMQ2FA3KEPALA4PENILAI5XYZ"

K = Institution.Kind
# (slug, parent slug, name, kind, province, regency, time zone, extra fields)
TREE = [
    # The tops of the trees: the ministries above the Kanwil and the Ditjen (the Pemkab is a top of its own).
    ("kemenag-ri", None, "Kementerian Agama Republik Indonesia", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "Kemenag", "address": "Jl. Lapangan Banteng Barat No. 3-4, Jakarta"}),
    ("kemenimipas", None, "Kementerian Imigrasi dan Pemasyarakatan", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "Kemenimipas", "address": "Jakarta"}),
    ("kemenkeu", None, "Kementerian Keuangan", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "Kemenkeu", "address": "Jl. Dr. Wahidin Raya No. 1, Jakarta"}),
    ("ditjen-perbendaharaan", "kemenkeu", "Direktorat Jenderal Perbendaharaan", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "PB", "address": "Jakarta"}),
    ("kanwil-kemenag-sumsel", "kemenag-ri", "Kanwil Kementerian Agama Provinsi Sumatera Selatan", K.REGIONAL_OFFICE, "16", "", TimeZone.WIB,
     {"letter_unit_code": "Kw.06", "address": "Jl. Jenderal Sudirman, Palembang"}),
    ("kankemenag-muara-enim", "kanwil-kemenag-sumsel", "Kantor Kementerian Agama Kabupaten Muara Enim", K.DISTRICT_OFFICE, "16", "16.03", TimeZone.WIB,
     {"letter_unit_code": "Kk.06.03", "address": "Muara Enim, Sumatera Selatan"}),
    ("mtsn-1-muara-enim", "kankemenag-muara-enim", "MTs Negeri 1 Muara Enim", K.MADRASAH, "16", "16.03", TimeZone.WIB,
     {"letter_unit_code": "Mts.06.03.1", "nsm": "121116030001", "address": "Muara Enim, Sumatera Selatan"}),
    ("kanwil-kemenag-kalsel", "kemenag-ri", "Kanwil Kementerian Agama Provinsi Kalimantan Selatan", K.REGIONAL_OFFICE, "63", "", TimeZone.WITA,
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
    ("ditjenpas", "kemenimipas", "Direktorat Jenderal Pemasyarakatan", K.MINISTRY, "", "", TimeZone.WIB,
     {"letter_unit_code": "PAS", "address": "Jakarta"}),
    ("kanwil-pas-jateng", "ditjenpas", "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Tengah", K.REGIONAL_OFFICE, "33", "", TimeZone.WIB,
     {"letter_unit_code": "PAS.11", "address": "Semarang, Jawa Tengah"}),
    ("rutan-kudus", "kanwil-pas-jateng", "Rumah Tahanan Negara Kelas IIB Kudus", K.CORRECTIONAL_UNIT, "33", "33.19", TimeZone.WIB,
     {"letter_unit_code": "PAS.11.RTN.KDS", "address": "Kudus, Jawa Tengah"}),
    ("kanwil-djpb-sumbar", "ditjen-perbendaharaan", "Kantor Wilayah Direktorat Jenderal Perbendaharaan Provinsi Sumatera Barat", K.REGIONAL_OFFICE, "13", "", TimeZone.WIB,
     {"letter_unit_code": "WPB.03", "address": "Padang, Sumatera Barat"}),
    ("kppn-sijunjung", "kanwil-djpb-sumbar", "KPPN Sijunjung", K.TREASURY_OFFICE, "13", "13.03", TimeZone.WIB,
     {"letter_unit_code": "WPB.03/KP.05", "address": "Jl. Prof. M. Yamin No. 77 Kab. Sijunjung"}),
]

# The kop surat of the demo institutions: the lines printed above the institution's name on letters.
KEMENAG = "KEMENTERIAN AGAMA REPUBLIK INDONESIA"
OKU_TIMUR = "PEMERINTAH KABUPATEN OGAN KOMERING ULU TIMUR"
LETTERHEADS = {
    "kanwil-kemenag-sumsel": [KEMENAG],
    "kankemenag-muara-enim": [KEMENAG, "KANTOR WILAYAH PROVINSI SUMATERA SELATAN"],
    "mtsn-1-muara-enim": [KEMENAG, "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM"],
    "kanwil-kemenag-kalsel": [KEMENAG],
    "kemenag-banjarbaru": [KEMENAG, "KANTOR WILAYAH PROVINSI KALIMANTAN SELATAN"],
    "diskominfo-oku-timur": [OKU_TIMUR],
    "dinas-pendidikan-oku-timur": [OKU_TIMUR],
    "bkpsdm-oku-timur": [OKU_TIMUR],
    "kanwil-pas-jateng": ["KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PEMASYARAKATAN"],
    "rutan-kudus": ["KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA",
                    "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN JAWA TENGAH"],
    "kanwil-djpb-sumbar": ["KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PERBENDAHARAAN"],
    "kppn-sijunjung": ["KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PERBENDAHARAAN",
                       "KANTOR WILAYAH DIREKTORAT JENDERAL PERBENDAHARAAN PROVINSI SUMATERA BARAT"],
}

# Demo people hold their roles since this day, so that the histories dated 2020-2025 hold together.
DEMO_SINCE = datetime.date(2019, 7, 1)

ASSESSOR_INSTITUTIONS = {"kanwil-kemenag-sumsel", "kanwil-kemenag-kalsel", "pemkab-oku-timur", "ditjenpas",
                         "kanwil-pas-jateng", "kanwil-djpb-sumbar"}
MEMBER_ROLES = [Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF]
# Each top-level institution has a standing acting head (Plh/Plt): there is no parent to decide the
# cases its head may not decide (about the head, or proposed by the head).
TOP_INSTITUTIONS = {slug for slug, parent, *_ in TREE if parent is None}


def demo_second_factor(user: User) -> None:
    """The demo TOTP secret, and recovery codes as allauth gives them to anyone who sets up TOTP."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def demo_email(role: str, slug: str) -> str:
    return f"{role}.{slug}@santun.test"


def roles_for(slug: str) -> list[str]:
    return MEMBER_ROLES + ([Role.ASSESSOR] if slug in ASSESSOR_INSTITUTIONS else []) + \
        ([Role.ACTING] if slug in TOP_INSTITUTIONS else [])


DEMO_ELECTION_NAME = "Contoh demo: Pemungutan Suara Ulang Pilkada Kota Banjarbaru"


def seed_demo_election(today: datetime.date) -> ElectionPeriod:
    """A clearly named demo regional election around the day the demo is loaded, in Banjarbaru
    (regency code 63.72), so election mode shows there on any day beside the real 2024 periods."""
    dates = {"campaign_starts_on": today - datetime.timedelta(days=14),
             "campaign_ends_on": today + datetime.timedelta(days=14),
             "quiet_starts_on": today + datetime.timedelta(days=15),
             "quiet_ends_on": today + datetime.timedelta(days=17),
             "voting_day": today + datetime.timedelta(days=18)}
    period = ElectionPeriod.objects.filter(name=DEMO_ELECTION_NAME).first()
    if period is None:
        period = ElectionPeriod.objects.create(
            name=DEMO_ELECTION_NAME, kind=ElectionPeriod.Kind.PILKADA, coverage=ElectionPeriod.Coverage.REGENCY,
            region_codes=["63.72"], candidate_names="Pasangan Calon Contoh 1\nPasangan Calon Contoh 2", **dates)
        log_action(action="governance.election_period.created", institution=None, actor=None, target=period,
                   data={"kind": period.kind, "demo": True})
    elif not period.campaign_starts_on <= today <= period.voting_day:
        ElectionPeriod.objects.filter(pk=period.pk).update(**dates)
        log_action(action="governance.election_period.updated", institution=None, actor=None, target=period,
                   data={"demo": True, "voting_day": dates["voting_day"].isoformat()})
    return period


def seed(ctx) -> None:
    ensure_shipped_periods()
    seed_demo_election(timezone.localdate())
    institutions = ctx.institutions
    # Hash the shared demo password once: hashing is deliberately slow.
    password_hash = make_password(settings.SANTUN_DEMO_PASSWORD)
    for slug, parent_slug, name, kind, province, regency, tz, extra in TREE:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            institution = institution_create(
                actor=None, parent=institutions.get(parent_slug), slug=slug, name=name, kind=kind,
                province_code=province, regency_code=regency, timezone=tz,
                letterhead="\n".join(LETTERHEADS.get(slug, [])), **extra,
            )
        institutions[slug] = institution

    for slug, institution in institutions.items():
        for role in roles_for(slug):
            email = demo_email(role, slug)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(email=email, password=password_hash)
            ctx.users[(slug, role)] = user
            membership_grant(actor=None, user=user, institution=institution, role=role, starts_on=DEMO_SINCE)
            if role in MFA_ROLES:
                demo_second_factor(user)

    seed_channels(ctx)
    seed_codes(ctx)
    seed_publications(ctx)
    seed_publication_checks(ctx)

    ctx.notes.append(
        f"Heads (kepala.*) and assessors (penilai.*) sign in with TOTP. Demo secret: {DEMO_TOTP_SECRET} "
        "— add it to an authenticator app, or run `make totp` for the current code."
    )


# ---------------------------------------------------------------- groups and official accounts
# The links are invented (the invitation codes and handles carry "demo"); no real group or account.

WA, TG, FB, IG, X, YT, WEB = (ChannelKind.WHATSAPP_GROUP, ChannelKind.TELEGRAM_GROUP, ChannelKind.FACEBOOK,
                              ChannelKind.INSTAGRAM, ChannelKind.X, ChannelKind.YOUTUBE, ChannelKind.WEBSITE)
DAY, WEEK = Channel.TargetUnit.DAY, Channel.TargetUnit.WEEK
# slug → [(kind, name, link, official, purpose, target, unit)]
CHANNELS = {
    "kanwil-kemenag-sumsel": [
        (WA, "Grup Humas Kemenag Sumsel", "https://chat.whatsapp.com/DemoHumasKemenagSumsel", True,
         "Koordinasi pengelola humas Kanwil, Kankemenag dan madrasah se-Sumatera Selatan.", None, DAY),
        (FB, "Kanwil Kemenag Sumatera Selatan", "https://www.facebook.com/demo.kemenagsumsel", True,
         "Halaman resmi Kanwil.", 2, DAY),
    ],
    "kankemenag-muara-enim": [
        (WA, "Grup Keluarga Besar Kemenag Muara Enim", "https://chat.whatsapp.com/DemoKemenagMuaraEnim", True,
         "Informasi kedinasan bagi ASN Kankemenag Muara Enim.", None, DAY),
        (IG, "Kemenag Muara Enim", "@demo.kemenagmuaraenim", True, "Akun Instagram resmi.", 3, WEEK),
    ],
    "mtsn-1-muara-enim": [
        (WA, "WA Grup Resmi MTsN 1 Muara Enim", "https://chat.whatsapp.com/DemoMtsn1MuaraEnimResmi", True,
         "Info penting, berbagi ilmu, motivasi dan pencerahan bagi guru dan pegawai.", None, DAY),
        (WA, "Grup Santai Guru dan Pegawai MTsN 1", "https://chat.whatsapp.com/DemoMtsn1SantaiGuru", False,
         "Grup tidak resmi untuk obrolan santai, di luar grup resmi.", None, DAY),
        (FB, "MTs Negeri 1 Muara Enim", "https://www.facebook.com/demo.mtsn1muaraenim", True,
         "Halaman resmi madrasah.", 3, WEEK),
    ],
    "kanwil-kemenag-kalsel": [
        (WA, "Grup Humas Kemenag Kalsel", "https://chat.whatsapp.com/DemoHumasKemenagKalsel", True,
         "Koordinasi kehumasan Kemenag se-Kalimantan Selatan.", None, DAY),
    ],
    "kemenag-banjarbaru": [
        (WA, "Grup WA Keluarga Kemenag Banjarbaru", "https://chat.whatsapp.com/DemoKemenagBanjarbaru", True,
         "Sarana komunikasi dan kerukunan ASN dan karyawan Kemenag Kota Banjarbaru.", None, DAY),
        (WA, "Grup Penyuluh Agama Banjarbaru", "https://chat.whatsapp.com/DemoPenyuluhBanjarbaru", True,
         "Koordinasi penyuluh agama.", None, DAY),
        (IG, "Kemenag Kota Banjarbaru", "@demo.kemenagbanjarbaru", True, "Akun Instagram resmi.", 1, DAY),
    ],
    "pemkab-oku-timur": [
        (WA, "Grup Admin Medsos OPD OKU Timur", "https://chat.whatsapp.com/DemoAdminMedsosOkut", True,
         "Koordinasi admin media sosial seluruh OPD.", None, DAY),
        (FB, "Pemkab OKU Timur", "https://www.facebook.com/demo.pemkabokutimur", True, "Halaman resmi Pemkab.", 3, DAY),
        (IG, "Pemkab OKU Timur", "https://www.instagram.com/demo.pemkabokutimur/", True, "Akun Instagram resmi.", 2, DAY),
        (WEB, "Situs Pemkab OKU Timur", "https://okutimur.demo.example/", True, "Situs web resmi.", 1, DAY),
    ],
    "diskominfo-oku-timur": [
        (FB, "Diskominfo OKU Timur", "https://www.facebook.com/demo.diskominfookut", True,
         "Publikasi kegiatan pemerintah daerah dan semua bidang Diskominfo.", 2, DAY),
        (IG, "Diskominfo OKU Timur", "@demo.diskominfookut", True, "Akun Instagram resmi.", 1, DAY),
        (YT, "Diskominfo OKU Timur TV", "https://www.youtube.com/@demo.diskominfookut", True, "Video kegiatan.", 1, WEEK),
        (WEB, "Situs Diskominfo OKU Timur", "https://diskominfo.okutimur.demo.example/", True, "Berita resmi.", 3, WEEK),
    ],
    "dinas-pendidikan-oku-timur": [
        (FB, "Dinas Pendidikan OKU Timur", "https://www.facebook.com/demo.disdikokut", True,
         "Informasi sekolah, PPDB dan bantuan pendidikan.", 1, DAY),
        (IG, "Disdik OKU Timur", "@demo.disdikokut", True, "Akun Instagram resmi.", 1, DAY),
    ],
    "bkpsdm-oku-timur": [
        (IG, "BKPSDM OKU Timur", "@demo.bkpsdmokut", True, "Informasi kepegawaian.", 1, DAY),
        (WEB, "Situs BKPSDM OKU Timur", "https://bkpsdm.okutimur.demo.example/", True, "Pengumuman kepegawaian.", 2, WEEK),
    ],
    "ditjenpas": [
        (IG, "Ditjen Pemasyarakatan", "@demo.ditjenpas", True, "Akun Instagram resmi.", 2, DAY),
        (X, "Ditjen Pemasyarakatan", "https://x.com/demo_ditjenpas", True, "Akun X resmi.", 2, DAY),
        (YT, "Ditjenpas TV", "https://www.youtube.com/@demo.ditjenpas", True, "Kanal video resmi.", 2, WEEK),
    ],
    "kanwil-pas-jateng": [
        (WA, "Grup Humas UPT Pemasyarakatan Jateng", "https://chat.whatsapp.com/DemoHumasPasJateng", True,
         "Koordinasi pengelola kehumasan UPT se-Jawa Tengah.", None, DAY),
        (IG, "Kanwil Ditjenpas Jateng", "@demo.kanwilpasjateng", True, "Akun Instagram resmi.", 1, DAY),
    ],
    "rutan-kudus": [
        (WA, "Grup Pegawai Rutan Kudus", "https://chat.whatsapp.com/DemoPegawaiRutanKudus", True,
         "Informasi kedinasan pegawai.", None, DAY),
        (IG, "Rutan Kudus", "@demo.rutankudus", True, "Akun Instagram resmi.", 1, DAY),
        (WEB, "Situs Rutan Kudus", "https://rutankudus.demo.example/", True, "Berita dan layanan kunjungan.", 2, WEEK),
    ],
    "kanwil-djpb-sumbar": [
        (WA, "Grup Humas DJPb Sumbar", "https://chat.whatsapp.com/DemoHumasDjpbSumbar", True,
         "Koordinasi kehumasan Kanwil dan KPPN se-Sumatera Barat.", None, DAY),
    ],
    "kppn-sijunjung": [
        (WA, "Grup Pegawai KPPN Sijunjung", "https://chat.whatsapp.com/DemoPegawaiKppnSijunjung", True,
         "Koordinasi internal.", None, DAY),
        (IG, "KPPN Sijunjung", "@demo.kppnsijunjung", True, "Informasi layanan perbendaharaan.", 3, WEEK),
        (WEB, "Situs KPPN Sijunjung", "https://kppnsijunjung.demo.example/", True, "Artikel dan pengumuman.", 1, WEEK),
    ],
}


def seed_channels(ctx) -> None:
    from .links import link_key

    for slug, rows in CHANNELS.items():
        institution, humas = ctx.institutions[slug], ctx.users[(slug, Role.PUBLIC_RELATIONS)]
        with institution_scope(institution):
            existing = set(Channel.objects.values_list("link_key", flat=True))
            for kind, name, link, official, purpose, target, unit in rows:
                if link_key(kind, link) in existing:
                    continue
                channel_register(actor=humas, institution=institution, kind=kind, name=name, link=link,
                                 is_official=official, purpose=purpose, posting_target=target, posting_target_unit=unit)


# ---------------------------------------------------------------- codes of conduct


def _has_code(institution) -> bool:
    with institution_scope(institution):
        return CodeVersion.objects.exists()


# The ministries publish theirs before the offices below them.
MINISTRY_CODES = [("kemenag-ri", "kemenag_neutrality", (2020, 7, 13)), ("kemenkeu", "djpb", (2024, 4, 29)),
                  ("ditjen-perbendaharaan", "djpb", (2024, 4, 30)), ("kemenimipas", "pemasyarakatan", (2025, 2, 5))]


def _seed_ministry_codes(inst, from_template) -> None:
    for slug, key, when in MINISTRY_CODES:
        if not _has_code(inst[slug]):
            from_template(slug, key, when)


def seed_codes(ctx) -> None:
    """Each institution's code from the template of its regime; children adopt their parent's."""
    inst, users = ctx.institutions, ctx.users

    def head(slug):
        return users[(slug, Role.HEAD)]

    def humas(slug):
        return users[(slug, Role.PUBLIC_RELATIONS)]

    # Codes are published on the days the seed articles tell of (or near them), so that later
    # cases cite a code that was already in force.
    def on(slug, year, month, day, hour=9):
        return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=inst[slug].tzinfo), tick=False)

    def from_template(slug, key, when):
        with on(slug, *when):
            version = code_start_from_template(actor=humas(slug), institution=inst[slug], template_key=key)
            return code_publish(actor=head(slug), version=version)

    def adopt(slug, when, *own_rules):
        with on(slug, *when):
            version = code_adopt_parent(actor=humas(slug), institution=inst[slug])
            for number, category, kind, text in own_rules:
                rule_add(actor=humas(slug), version=version, number=number, category=category, kind=kind,
                         severity=2, text=text)
            return code_publish(actor=head(slug), version=version)

    C, K = RuleCategory, RuleKind
    _seed_ministry_codes(inst, from_template)
    if not _has_code(inst["kanwil-kemenag-sumsel"]):
        from_template("kanwil-kemenag-sumsel", "kemenag_neutrality", (2020, 7, 20))
        adopt("kankemenag-muara-enim", (2020, 7, 27))
    if not _has_code(inst["mtsn-1-muara-enim"]):
        from_template("mtsn-1-muara-enim", "madrasah_wa_group", (2020, 8, 10))
        # Humas has prepared version 2; it waits for the head to publish it.
        draft = code_version_start(actor=humas("mtsn-1-muara-enim"), institution=inst["mtsn-1-muara-enim"])
        with institution_scope(inst["mtsn-1-muara-enim"]):
            first = draft.rules.get(number="1")
        rule_update(actor=humas("mtsn-1-muara-enim"), rule=first,
                    text="Gunakan grup resmi hanya untuk informasi kedinasan yang penting, berbagi ilmu, motivasi, "
                         "dan pencerahan.")
        rule_add(actor=humas("mtsn-1-muara-enim"), version=draft, number="10", category=C.HOAX,
                 kind=K.RECOMMENDATION, severity=2,
                 text="Sebelum meneruskan kabar, cek kebenarannya di situs resmi pemerintah atau kanal cek fakta; bila "
                      "ragu, jangan diteruskan.")
        code_version_update(actor=humas("mtsn-1-muara-enim"), version=draft, title=draft.title,
                            preamble=draft.preamble, source_note=draft.source_note,
                            change_note="Aturan 1 dipertegas untuk informasi kedinasan; aturan 10 baru tentang cek "
                                        "fakta sebelum meneruskan kabar.")
    # The demo Pilkada is kept by the office of its region, as a real one would be.
    ElectionPeriod.objects.filter(name=DEMO_ELECTION_NAME, owner=None).update(owner=inst["kemenag-banjarbaru"])
    if not _has_code(inst["kanwil-kemenag-kalsel"]):
        from_template("kanwil-kemenag-kalsel", "kemenag_neutrality", (2020, 11, 23))
    if not _has_code(inst["kemenag-banjarbaru"]):
        from_template("kemenag-banjarbaru", "kemenag_neutrality", (2020, 11, 30))
    if not _has_code(inst["pemkab-oku-timur"]):
        from_template("pemkab-oku-timur", "opd_accounts", (2024, 10, 23, 14))
        reply = ("9", C.ETIQUETTE, K.RECOMMENDATION,
                 "Jawab pertanyaan warga di kolom komentar dengan santun paling lambat satu hari kerja.")
        adopt("diskominfo-oku-timur", (2024, 10, 24), reply)
        adopt("dinas-pendidikan-oku-timur", (2024, 10, 25))
        adopt("bkpsdm-oku-timur", (2024, 10, 28))
        # The regency then publishes version 2; Diskominfo and Disdik adopt it, BKPSDM has not yet.
        with on("pemkab-oku-timur", 2026, 10, 1):
            version = code_version_start(actor=humas("pemkab-oku-timur"), institution=inst["pemkab-oku-timur"])
            rule_add(actor=humas("pemkab-oku-timur"), version=version, number="8", category=C.CONFIDENTIAL,
                     kind=K.PROHIBITION, severity=3,
                     text="Dilarang mengunggah foto yang memperlihatkan dokumen, papan tulis, atau layar berisi "
                          "data pribadi warga.")
            code_publish(actor=head("pemkab-oku-timur"), version=version)
        adopt("diskominfo-oku-timur", (2026, 10, 8))
        adopt("dinas-pendidikan-oku-timur", (2026, 10, 12))
    if not _has_code(inst["ditjenpas"]):
        from_template("ditjenpas", "pemasyarakatan", (2025, 2, 6))
        adopt("kanwil-pas-jateng", (2025, 2, 6, 15))
        adopt("rutan-kudus", (2025, 2, 7))
    if not _has_code(inst["kanwil-djpb-sumbar"]):
        from_template("kanwil-djpb-sumbar", "djpb", (2024, 5, 2))
        adopt("kppn-sijunjung", (2024, 5, 6), ("L8", C.OTHER, K.RECOMMENDATION,
                                 "Catat setiap unggahan akun resmi KPPN di log publikasi beserta pemeriksaan sebelum "
                                 "terbit."))


# ---------------------------------------------------------------- a month of logged posts

TOPICS = [
    "Penyaluran bantuan sosial tahap {n}", "Pelayanan publik di mal pelayanan", "Rapat koordinasi bidang {n}",
    "Sosialisasi netralitas ASN", "Rencana perbaikan jalan desa", "Kegiatan posyandu dan imunisasi",
    "Pengumuman jadwal layanan", "Peringatan hari besar nasional", "Kunjungan kerja ke kecamatan",
    "Pelatihan aparatur desa", "Informasi beasiswa pelajar", "Layanan pengaduan masyarakat",
    "Gotong royong kebersihan lingkungan", "Capaian program prioritas bulan ini", "Tips aman bermedia sosial",
]
POSTING_SLUGS = ["pemkab-oku-timur", "diskominfo-oku-timur", "dinas-pendidikan-oku-timur", "bkpsdm-oku-timur",
                 "kppn-sijunjung"]
# How diligent each account is, as a share of its target (some meet it, some fall behind).
DILIGENCE = {"bkpsdm-oku-timur": 0.5, "dinas-pendidikan-oku-timur": 0.8}


def seed_publications(ctx) -> None:
    from .imports import ImportRow

    for slug in POSTING_SLUGS:
        institution, humas = ctx.institutions[slug], ctx.users[(slug, Role.PUBLIC_RELATIONS)]
        reviewer = ctx.users[(slug, Role.HEAD)]
        today = institution.local_today()
        with institution_scope(institution):
            accounts = list(Channel.objects.filter(posting_target__gt=0).order_by("pk"))
            logged = set(Publication.objects.values_list("channel_id", flat=True).distinct())
        for account in accounts:
            if account.pk in logged:
                continue
            rng = random.Random(f"santun-demo-posts-{slug}-{account.name}-{account.kind}")
            per_day = account.target_per_day() * DILIGENCE.get(slug, 1.0)
            rows = []
            for back in range(30, 0, -1):
                day = today - datetime.timedelta(days=back)
                count = int(per_day) + (1 if rng.random() < per_day - int(per_day) else 0)
                if rng.random() < 0.15:
                    count = max(count - 1, 0)
                for _ in range(count):
                    moment = datetime.datetime.combine(day, datetime.time(rng.randint(7, 20), rng.choice([0, 15, 30, 45])),
                                                       tzinfo=institution.tzinfo)
                    number = len(rows) + 1
                    checks = {name: rng.random() > 0.08 for name in Publication.CHECKS}
                    rows.append(ImportRow(
                        line=number + 1, channel=account, published_at=moment,
                        topic=rng.choice(TOPICS).format(n=rng.randint(1, 4)),
                        link=f"{account.link.rstrip('/')}/demo-post-{day:%Y%m%d}-{number}",
                        reviewed_by=reviewer if rng.random() < 0.7 else None, checks=checks,
                    ))
            if rows:
                publication_import(actor=humas, institution=institution, rows=rows)


def _second_humas(ctx, institution: Institution) -> User:
    """``humas2.<slug>@santun.test``, the institution's second Humas officer."""
    email = demo_email("humas2", institution.slug)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, full_name="Nurul Aini, S.I.Kom.",
                                   password=make_password(settings.SANTUN_DEMO_PASSWORD))
        membership_grant(actor=None, user=user, institution=institution, role=Role.PUBLIC_RELATIONS,
                         starts_on=DEMO_SINCE)
    ctx.users[(institution.slug, "humas2")] = user
    return user


def seed_publication_checks(ctx) -> None:
    """MTsN 1 Muara Enim's Facebook page shows every step of the check before publishing (seeds 002
    and 004): posts checked and published, one checked and waiting, a draft, a draft sent back because
    a whiteboard was visible, and one logged as published without its check."""
    slug = "mtsn-1-muara-enim"
    institution, humas = ctx.institutions[slug], ctx.users[(slug, Role.PUBLIC_RELATIONS)]
    with institution_scope(institution):
        page = Channel.objects.filter(kind=ChannelKind.FACEBOOK, is_official=True).first()
        if page is None or Publication.objects.filter(channel=page).exists():
            return
    # A second Humas officer: with two, the writer of a post never checks it (four eyes).
    checker = _second_humas(ctx, institution)
    all_yes = dict.fromkeys(Publication.CHECKS, True)
    now = timezone.now()
    for days, topic in ((9, "Pembagian rapor tengah semester"), (4, "Juara lomba pidato bahasa Arab tingkat kabupaten")):
        post = publication_draft(actor=humas, institution=institution, channel=page, topic=topic)
        post = publication_check(actor=checker, publication=post, answers=all_yes)
        publication_mark_published(actor=humas, publication=post, published_at=now - datetime.timedelta(days=days),
                                   link=f"{page.link.rstrip('/')}/posts/demo-{days}")
    waiting = publication_draft(actor=humas, institution=institution, channel=page, topic="Jadwal ujian akhir semester")
    publication_check(actor=checker, publication=waiting, answers=all_yes,
                      notes={"source_verified": "Jadwal dari surat Kepala Madrasah."})
    publication_draft(actor=humas, institution=institution, channel=page, topic="Kegiatan Pramuka hari Sabtu")
    returned = publication_draft(actor=humas, institution=institution, channel=page, topic="Rapat persiapan akreditasi")
    publication_check(actor=checker, publication=returned, answers={**all_yes, "nothing_confidential": False},
                      notes={"nothing_confidential": "Papan tulis berisi data nilai siswa terlihat di foto."})
    publication_create(actor=humas, institution=institution, channel=page, topic="Ucapan selamat Hari Guru",
                       published_at=now - datetime.timedelta(days=2),
                       link=f"{page.link.rstrip('/')}/posts/demo-hari-guru")
