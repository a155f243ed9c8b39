"""Demo staff for every demo institution: Indonesian names with titles as they are written,
valid NIPs, positions that fit the kind of office, and a staff record for each demo login.
All people are fictional."""

from __future__ import annotations

import datetime
import random

from governance.models import Institution, Role
from governance.tenancy import institution_scope

from .models import StaffMember

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
        Role.KEPALA: "Kepala Madrasah", Role.HUMAS: "Wakil Kepala Bidang Humas", Role.OPERATOR: "Kepala Urusan Tata Usaha",
        Role.PEGAWAI: "Guru Akidah Akhlak", Role.PENILAI: "Pengawas Madrasah",
        None: ["Guru Matematika", "Guru Bahasa Indonesia", "Guru IPA", "Wakil Kepala Bidang Kurikulum",
               "Wakil Kepala Bidang Sarana", "Bendahara BOS", "Operator Keuangan", "Operator Administrasi",
               "Guru Bahasa Arab", "Guru Fikih", "Pustakawan"],
    },
    Institution.Kind.CORRECTIONAL_UNIT: {
        Role.KEPALA: "Kepala Rutan", Role.HUMAS: "Pengelola Kehumasan", Role.OPERATOR: "Kepala Subseksi Umum",
        Role.PEGAWAI: "Petugas Pengamanan", Role.PENILAI: "Analis Kehumasan",
        None: ["Kepala Subseksi Pelayanan Tahanan", "Petugas Registrasi", "Petugas Pengamanan", "Petugas Layanan Kunjungan",
               "Kepala Kesatuan Pengamanan", "Pengelola Perawatan Tahanan", "Petugas Portir"],
    },
    Institution.Kind.TREASURY_OFFICE: {
        Role.KEPALA: "Kepala KPPN", Role.HUMAS: "Pelaksana Seksi Vera-KI", Role.OPERATOR: "Kepala Subbagian Umum",
        Role.PEGAWAI: "Pelaksana Seksi Pencairan Dana", Role.PENILAI: "Analis Kehumasan",
        None: ["Pelaksana Seksi Bank", "Pelaksana Seksi MSKI", "Kepala Seksi Pencairan Dana", "Pranata Keuangan APBN",
               "Pelaksana Subbagian Umum"],
    },
    Institution.Kind.AGENCY: {
        Role.KEPALA: "Kepala Dinas", Role.HUMAS: "Admin Media Sosial", Role.OPERATOR: "Kepala Subbagian Umum dan Kepegawaian",
        Role.PEGAWAI: "Analis Kebijakan", Role.PENILAI: "Pranata Humas",
        None: ["Sekretaris", "Pranata Komputer", "Pengelola Informasi Publik", "Analis Data", "Bendahara Pengeluaran",
               "Kepala Bidang", "Pengadministrasi Umum"],
    },
}
OFFICE_POSITIONS = {
    Role.KEPALA: "Kepala Kantor", Role.HUMAS: "Pranata Hubungan Masyarakat", Role.OPERATOR: "Kepala Subbagian Tata Usaha",
    Role.PEGAWAI: "Penyuluh Agama", Role.PENILAI: "Analis Kehumasan Provinsi",
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


def seed(ctx) -> None:
    for index, (slug, institution) in enumerate(ctx.institutions.items()):
        rng = random.Random(f"santun-demo-{slug}")
        positions = POSITIONS.get(institution.kind, OFFICE_POSITIONS)
        serial = index * 40 + 1
        with institution_scope(institution):
            if StaffMember.objects.exists():
                continue
            people = []
            for role in [Role.KEPALA, Role.HUMAS, Role.OPERATOR, Role.PEGAWAI, Role.PENILAI]:
                user = ctx.users.get((slug, role))
                if user:
                    people.append((positions[role], user))
            for _ in range(EXTRA_STAFF):
                people.append((rng.choice(positions[None]), None))
            for position, user in people:
                sex = rng.choice("LP")
                status = StaffMember.Status.PNS if user or rng.random() < 0.7 else rng.choice(
                    [StaffMember.Status.PPPK, StaffMember.Status.HONORER, StaffMember.Status.CPNS])
                name = _name(rng, sex)
                StaffMember.objects.create(
                    institution=institution, full_name=name,
                    nip=_nip(rng, serial, sex) if status != StaffMember.Status.HONORER else "",
                    status=status, position=position, phone=_phone(rng), user=user,
                    email=user.email if user else "",
                )
                if user and not user.full_name:
                    user.full_name = name
                    user.save(update_fields=["full_name"])
                serial += 1
