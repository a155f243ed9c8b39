"""Demo staff for every demo institution: Indonesian names with titles as they are written,
valid NIPs, positions that fit the kind of office, and a staff record for each demo login —
all created through members.services, so the audit trail shows them. Then group memberships
of the demo channels (Humas as admin) and about 60 % acknowledgements of each published code.
All people are fictional. Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime
import random

import time_machine
from django.utils import timezone

from governance.demo import DEMO_SINCE
from governance.models import Channel, ChannelKind, CodeVersion, Institution, Role
from governance.tenancy import institution_scope

from . import selectors, services
from .models import Acknowledgement, GroupMembership, StaffMember

GIVEN = {
    "L": ["Ahmad", "Muhammad", "Rahmat", "Hendra", "Agus", "Budi", "Rizki", "Hasan", "Fajar", "Joko", "Taufik",
          "Eko", "Yusuf", "Ilham", "Arif", "Dedi", "Irwan", "Bambang", "Syamsul", "Wahyu"],
    "P": ["Siti", "Nur", "Dewi", "Fitri", "Yulia", "Ratna", "Lestari", "Wulan", "Aisyah", "Indah", "Sri",
          "Nurul", "Maya", "Rina", "Novi", "Zainab", "Putri", "Aminah", "Rosmala", "Yenni"],
}
FAMILY = ["Hidayat", "Rahmawati", "Saputra", "Kurniawan", "Handayani", "Susanto", "Wahyuni", "Nasution",
          "Siregar", "Harahap", "Pratama", "Setiawan", "Maulana", "Lubis", "Anggraini", "Firmansyah",
          "Purnamasari", "Syahputra", "Ramadhan", "Utami", "Gunawan", "Permata", "Hakim", "Fauzi"]
TITLES_AFTER = ["S.Pd.", "S.Ag.", "S.Ag., M.Pd.I.", "S.E.", "A.Md.", "S.Kom.", "S.H.", "S.H., M.H.", "S.Sos.",
                "S.Sos., M.M.", "S.T.", "S.Psi.", "S.Pd.I.", "M.Pd.", "S.I.Kom."]

POSITIONS = {
    Institution.Kind.MADRASAH: {
        Role.HEAD: "Kepala Madrasah", Role.PUBLIC_RELATIONS: "Wakil Kepala Bidang Humas", Role.OPERATOR: "Kepala Urusan Tata Usaha",
        Role.STAFF: "Guru Akidah Akhlak", Role.ASSESSOR: "Pengawas Madrasah",
        None: ["Guru Matematika", "Guru Bahasa Indonesia", "Guru IPA", "Wakil Kepala Bidang Kurikulum",
               "Wakil Kepala Bidang Sarana", "Bendahara BOS", "Operator Keuangan", "Operator Administrasi",
               "Guru Bahasa Arab", "Guru Fikih", "Pustakawan"],
    },
    Institution.Kind.CORRECTIONAL_UNIT: {
        Role.HEAD: "Kepala Rutan", Role.PUBLIC_RELATIONS: "Pengelola Kehumasan", Role.OPERATOR: "Kepala Subseksi Umum",
        Role.STAFF: "Petugas Pengamanan", Role.ASSESSOR: "Analis Kehumasan",
        None: ["Kepala Subseksi Pelayanan Tahanan", "Petugas Registrasi", "Petugas Pengamanan", "Petugas Layanan Kunjungan",
               "Kepala Kesatuan Pengamanan", "Pengelola Perawatan Tahanan", "Petugas Portir"],
    },
    Institution.Kind.TREASURY_OFFICE: {
        Role.HEAD: "Kepala KPPN", Role.PUBLIC_RELATIONS: "Pelaksana Seksi Vera-KI", Role.OPERATOR: "Kepala Subbagian Umum",
        Role.STAFF: "Pelaksana Seksi Pencairan Dana", Role.ASSESSOR: "Analis Kehumasan",
        None: ["Pelaksana Seksi Bank", "Pelaksana Seksi MSKI", "Kepala Seksi Pencairan Dana", "Pranata Keuangan APBN",
               "Pelaksana Subbagian Umum"],
    },
    Institution.Kind.AGENCY: {
        Role.HEAD: "Kepala Dinas", Role.PUBLIC_RELATIONS: "Admin Media Sosial", Role.OPERATOR: "Kepala Subbagian Umum dan Kepegawaian",
        Role.STAFF: "Analis Kebijakan", Role.ASSESSOR: "Pranata Humas",
        None: ["Sekretaris", "Pranata Komputer", "Pengelola Informasi Publik", "Analis Data", "Bendahara Pengeluaran",
               "Kepala Bidang", "Pengadministrasi Umum"],
    },
}
OFFICE_POSITIONS = {
    Role.HEAD: "Kepala Kantor", Role.PUBLIC_RELATIONS: "Pranata Hubungan Masyarakat", Role.OPERATOR: "Kepala Subbagian Tata Usaha",
    Role.STAFF: "Penyuluh Agama", Role.ASSESSOR: "Analis Kehumasan Provinsi",
    None: ["Analis Kepegawaian", "Penyusun Laporan Keuangan", "Pengelola Data", "Penyuluh Agama", "Arsiparis",
           "Pranata Komputer", "Analis Perencanaan", "Bendahara"],
}
EXTRA_STAFF = 10


def _name(rng: random.Random, sex: str) -> str:
    name = f"{rng.choice(GIVEN[sex])} {rng.choice(FAMILY)}"
    if rng.random() < 0.12:
        return f"Drs. {name}"
    return f"{name}, {rng.choice(TITLES_AFTER)}"


def _nip(rng: random.Random, serial: int, sex: str) -> str:
    birth = datetime.date(rng.randint(1966, 1997), rng.randint(1, 12), rng.randint(1, 28))
    appointed = datetime.date(min(birth.year + rng.randint(23, 30), 2024), rng.randint(1, 12), 1)
    return f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if sex == 'L' else '2'}{serial % 1000:03d}"


def _phone(rng: random.Random) -> str:
    return f"+62812{rng.randint(10_000_000, 99_999_999)}"


ROSTER_INSTITUTION = "mtsn-1-muara-enim"
ROSTER_SIZE = 40  # the demo spreadsheet (members/demo_data/) holds this many people
LOGIN_ROLES = [Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF, Role.ASSESSOR]
ACKNOWLEDGED_SHARE = 0.6


def roster(slug: str, kind: str, roles: list[str], count: int, serial: int) -> list[dict]:
    """Deterministic people of one institution: first one per login role, then others. Person i
    is the same whatever ``count`` is, so the demo spreadsheet starts with the seeded staff."""
    rng = random.Random(f"santun-demo-{slug}")
    positions = POSITIONS.get(kind, OFFICE_POSITIONS)
    people = []
    for i in range(count):
        role = roles[i] if i < len(roles) else None
        position = positions[role] if role else rng.choice(positions[None])
        sex = rng.choice("LP")
        status = StaffMember.Status.PNS if role or rng.random() < 0.7 else rng.choice(
            [StaffMember.Status.PPPK, StaffMember.Status.HONORER, StaffMember.Status.CPNS])
        name = _name(rng, sex)
        nip = _nip(rng, serial + i, sex)
        people.append({
            "role": role, "full_name": name, "nip": nip if status != StaffMember.Status.HONORER else "",
            "status": status, "position": position, "phone": _phone(rng),
        })
    return people


def roster_serial(index: int) -> int:
    return index * ROSTER_SIZE + 1


def _seed_staff(ctx, index: int, slug: str, institution: Institution) -> None:
    if StaffMember.objects.filter(institution=institution).exists():
        return
    roles = [role for role in LOGIN_ROLES if (slug, role) in ctx.users]
    for person in roster(slug, institution.kind, roles, len(roles) + EXTRA_STAFF, roster_serial(index)):
        user = ctx.users.get((slug, person["role"])) if person["role"] else None
        services.staff_create(
            actor=None, institution=institution, full_name=person["full_name"], nip=person["nip"],
            status=person["status"], position=person["position"], phone=person["phone"],
            email=user.email if user else "", user=user, joined_on=DEMO_SINCE,
        )
        if user and not user.full_name:
            user.full_name = person["full_name"]
            user.save(update_fields=["full_name"])


def _seed_groups(ctx, slug: str, institution: Institution) -> None:
    """Everyone in the official groups, about half in the informal ones, Humas as admin."""
    channels = Channel.objects.filter(institution=institution, is_active=True, kind__in=ChannelKind.group_kinds())
    staff = list(StaffMember.objects.filter(institution=institution, left_on__isnull=True).order_by("pk"))
    humas = ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    rng = random.Random(f"santun-demo-groups-{slug}")
    for channel in channels:
        if GroupMembership.objects.filter(channel=channel).exists():
            continue
        for person in staff:
            is_admin = humas is not None and person.user_id == humas.pk
            if not (is_admin or channel.is_official or rng.random() < 0.5):
                continue
            services.group_membership_add(
                actor=humas, channel=channel, staff=person,
                role=GroupMembership.Role.ADMIN if is_admin else GroupMembership.Role.MEMBER,
            )


def _seed_acknowledgements(ctx, slug: str, institution: Institution) -> None:
    """About 60 % of the current staff acknowledged the published code; the demo staff login
    has not, so it sees the banner."""
    version = selectors.current_code_version(institution)
    if version is None or Acknowledgement.objects.filter(version=version).exists():
        return
    humas = ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    left_out = ctx.users.get((slug, Role.STAFF))
    staff = [s for s in StaffMember.objects.filter(institution=institution, left_on__isnull=True).order_by("pk")
             if left_out is None or s.user_id != left_out.pk]
    rng = random.Random(f"santun-demo-acknowledgements-{slug}")
    for person in staff[: round(len(staff) * ACKNOWLEDGED_SHARE)]:
        # Within a few weeks of publication, as people read it.
        when = version.published_at + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 8))
        with time_machine.travel(min(when, timezone.now()), tick=False):
            if person.user_id:
                services.acknowledgement_record(actor=person.user, staff=person, version=version)
            else:
                services.acknowledgement_record(actor=humas, staff=person, version=version,
                                                method=Acknowledgement.Method.PAPER)


def seed(ctx) -> None:
    for index, (slug, institution) in enumerate(ctx.institutions.items()):
        with institution_scope(institution):
            _seed_staff(ctx, index, slug, institution)
            _seed_groups(ctx, slug, institution)
            if CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.PUBLISHED).exists():
                _seed_acknowledgements(ctx, slug, institution)
    ctx.notes.append(
        "Try the staff import with members/demo_data/pegawai-mtsn-1-muara-enim.xlsx "
        "(sign in as operator.mtsn-1-muara-enim@santun.test, menu Impor)."
    )
