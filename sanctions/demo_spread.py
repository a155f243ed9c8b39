"""The demo's cases across the trees: a few months of reports at more madrasahs and offices of Kanwil
Kemenag Sumatera Selatan, at Kemenag Kota Banjarbaru during the repeat vote's campaign, at Rutan
Kudus, KPPN Sijunjung and Diskominfo OKU Timur — dated back from the day the demo is loaded, so that
the statistics of a parent head or a provincial assessor show numbers (not only "< 3"), an
objection kept by the head whose appeal waits at the office above, and a case referred to the formal
process. Walked through the real services with ``sanctions.demo_recent``'s walker; idempotent
(an institution is skipped once its first case exists). All people and events are fictional.
"""

from __future__ import annotations

from governance.demo import demo_email
from governance.models import Channel, ChannelKind, Institution, Role, RuleCategory, User
from governance.tenancy import institution_scope

from .demo import _ensure_group, _ensure_member, _expire_until_today, _staff_without_account
from .demo_recent import _walk
from .models import ViolationReport
from .notifications import in_app_only
from .selectors import citable_rules

C = RuleCategory

# Madrasah WA groups (seed 000; also used by the reports demo): chain messages, campaign material, indecent pictures.
MADRASAH = [
    (318, C.HOAX, "Meneruskan pesan berantai bahwa ujian madrasah diundur sebulan, tanpa sumber resmi.",
     ["Ujian diundur!!", "info dari pusat"], "warned"),
    (262, C.POLITICS, "Mengirim foto bersama seorang calon anggota legislatif dengan ajakan memilihnya.",
     ["[foto bersama]", "jangan lupa pilih beliau"], "warned"),
    (205, C.HOAX, "Membagikan kabar bahwa tunjangan hari raya guru honorer tidak dibayar tahun ini; ternyata "
                  "kabar itu tentang daerah lain.", ["THR honorer tidak cair"], "dismissed"),
    (151, C.PORNOGRAPHY, "Meneruskan video lelucon yang memuat adegan tidak pantas ke grup resmi.",
     ["[video disamarkan]"], "warned"),
    (97, C.HOAX, "Mengirim tautan pendaftaran beasiswa yang ternyata situs pengumpul data pribadi.",
     ["Beasiswa 2026 dibuka", "isi data di sini"], "warned"),
    (41, C.POLITICS, "Memasang gambar profil grup dengan stiker dukungan salah satu pasangan calon.",
     ["[stiker dukungan]"], "dismissed"),
    (16, C.HOAX, "Meneruskan pesan tentang gempa susulan yang disebut akan terjadi malam ini.",
     ["Gempa susulan nanti malam", "sebarkan!"], "in_review"),
    (4, C.HOAX, "Membagikan potongan video pejabat dengan keterangan yang mengubah maksud ucapannya.",
     ["[potongan video]", "lihat ini"], "new"),
]

# A district office (seed 001; also used by the reports demo): ASN neutrality before a regional election.
OFFICE = [
    (240, C.POLITICS, "Memberi komentar dukungan pada unggahan kampanye di akun pribadi yang memajang foto "
                      "berseragam dinas.", ["[komentar dukungan]"], "warned"),
    (176, C.POLITICS, "Mengunggah foto berpose dengan simbol jari salah satu calon di acara kantor.",
     ["[foto pose]"], "referred"),
    (88, C.HOAX, "Meneruskan kabar mutasi besar-besaran pejabat kantor yang tidak pernah diputuskan.",
     ["Daftar mutasi bocor"], "dismissed"),
    (23, C.POLITICS, "Membagikan undangan kampanye terbuka ke grup keluarga besar kantor.",
     ["Undangan kampanye akbar"], "waiting_head"),
]

# Kota Banjarbaru during the repeat vote (PSU) campaign: the election comparison has its numbers.
_BANJARBARU = [
    (40, C.POLITICS, "Mengirim ajakan mendukung salah satu calon sebelum masa kampanye dimulai.",
     ["Dukung calon kita"], "dismissed"),
    (12, C.POLITICS, "Membagikan jadwal kampanye salah satu pasangan calon ke grup keluarga kantor.",
     ["Jadwal kampanye besok"], "warned"),
    (9, C.POLITICS, "Mengunggah video orasi kampanye dengan keterangan ajakan memilih.",
     ["[video orasi]", "pilih nomor 1"], "warned"),
    (6, C.POLITICS, "Meneruskan tangkapan layar unggahan kampanye ke grup dengan komentar dukungan.",
     ["[komentar]"], "in_review"),
    (2, C.POLITICS, "Meneruskan poster kampanye ke grup keluarga kantor.", ["[poster]"], "new"),
]

# A remand centre (seed 003): live streams in uniform, pictures of inmates, SARA.
_RUTAN = [
    (210, C.LIVE_IN_UNIFORM, "Siaran langsung di media sosial dengan seragam dinas dari pos penjagaan.",
     ["[cuplikan siaran langsung]"], "warned"),
    (133, C.CONFIDENTIAL, "Mengunggah foto kegiatan di blok hunian yang memperlihatkan wajah warga binaan.",
     ["[foto blok hunian]"], "warned"),
    (61, C.SARA, "Menulis komentar yang merendahkan suku tertentu di grup pegawai.",
     ["[komentar]"], "dismissed"),
    (10, C.HOAX, "Meneruskan kabar pelarian warga binaan yang tidak pernah terjadi.",
     ["Ada yang kabur?!"], "new"),
]

# A treasury office (seed 004): confidential payment data, showing off official travel.
_KPPN = [
    (190, C.CONFIDENTIAL, "Membagikan tangkapan layar daftar SP2D dengan nama dan nomor rekening penerima.",
     ["[daftar SP2D]"], "warned"),
    (119, C.OFFICIAL_TRAVEL, "Mengunggah foto hotel dan tiket perjalanan dinas dengan keterangan pamer.",
     ["[foto hotel]"], "dismissed"),
    (37, C.HOAX, "Meneruskan kabar bahwa gaji ASN bulan depan terlambat dibayar.",
     ["Gaji telat bulan depan"], "waiting_head"),
    (5, C.CONFIDENTIAL, "Mengirim foto layar aplikasi berisi data satuan kerja ke grup pegawai.",
     ["[foto layar]"], "new"),
]

# A regency agency that runs the official accounts (seed 002): what its admins post there.
_DISKOMINFO = [
    (170, C.POLITICS, "Admin halaman Facebook resmi membagikan ulang unggahan kampanye seorang calon bupati.",
     ["[unggahan kampanye]"], "warned"),
    (74, C.HOAX, "Admin membagikan pengumuman penerimaan CPNS palsu yang mencatut nama Pemerintah Kabupaten.",
     ["Penerimaan CPNS 2026", "daftar di tautan ini"], "warned"),
    (14, C.HOAX, "Halaman resmi membagikan kabar penutupan jalan lintas yang keliru.", ["Jalan ditutup total"],
     "in_review"),
]

# MAN 1 Lahat: sticker jokes about officials (seed 000), a SARA joke, a campaign invitation, and the
# person who objects and then appeals (the appeal waits at the office above).
MADRASAH_WITH_APPEAL = [
    (290, C.HARASSMENT, "Mengirim stiker wajah kepala madrasah yang diedit menjadi bahan lelucon ke grup resmi.",
     ["[stiker editan]", "wkwk"], "warned"),
    (214, C.HOAX, "Meneruskan kabar bahwa pendaftaran PPPK guru madrasah ditutup lebih awal, tanpa sumber resmi.",
     ["PPPK ditutup besok!"], "dismissed"),
    (120, C.SARA, "Menulis candaan yang menyinggung suku seorang rekan kerja di grup resmi.",
     ["[candaan]"], "warned"),
    (58, C.POLITICS, "Meneruskan ajakan menghadiri deklarasi dukungan untuk salah satu calon bupati.",
     ["Ayo hadir di deklarasi"], "warned"),
    (22, C.HOAX, "Meneruskan kabar pemotongan dana BOS madrasah yang ternyata salah baca surat edaran.",
     ["Dana BOS dipotong"], "objection"),
    (9, C.HARASSMENT, "Mengejek seorang guru honorer di grup resmi karena salah mengirim berkas.",
     ["[pesan ejekan]"], "in_review"),
    (3, C.PORNOGRAPHY, "Mengirim tautan video tidak senonoh yang disamarkan sebagai tautan berita.",
     ["[tautan disamarkan]"], "new"),
]

# MAN 1 Muara Enim: a wrong exam date, an official parodied for fun, a ballot photo, a chain message.
MADRASAH_MUARA_ENIM = [
    (300, C.HOAX, "Membagikan kabar bahwa ujian akhir madrasah dimajukan dua minggu; ternyata kabar itu dari "
                  "sekolah lain.", ["Ujian dimajukan!"], "dismissed"),
    (187, C.HARASSMENT, "Mengirim animasi yang memparodikan seorang pejabat Kanwil untuk hiburan.",
     ["[animasi parodi]"], "warned"),
    (66, C.POLITICS, "Mengunggah foto surat suara dengan coblosan pilihannya ke grup resmi.",
     ["[foto surat suara]"], "warned"),
    (11, C.HOAX, "Meneruskan pesan berantai tentang penculikan anak di sekitar madrasah tanpa sumber yang jelas.",
     ["Waspada penculikan!!", "sebarkan"], "in_review"),
]

# (institution, its cases, the group they happened in when it has none yet, or the kind of the
# official account they happened on); the madrasahs and offices that the reports demo adds below
# Kanwil Sumsel get theirs from there, with ``spread``.
PLAN = [
    ("kemenag-banjarbaru", _BANJARBARU, "Grup WA Keluarga Kemenag Banjarbaru"),
    ("rutan-kudus", _RUTAN, "Grup Pegawai Rutan Kudus"),
    ("kppn-sijunjung", _KPPN, "Grup Pegawai KPPN Sijunjung"),
    ("diskominfo-oku-timur", _DISKOMINFO, ChannelKind.FACEBOOK),
]


def seed(ctx) -> None:
    for slug, cases, group in PLAN:
        spread(ctx, slug, cases, group)


def spread(ctx, slug: str, cases, group: str) -> None:
    """Walk ``cases`` at the institution ``slug`` (its head and Humas from ``ctx``; the reporter is
    its staff login, or Humas where it has none). Skipped where the institution has no code to cite
    yet, and once its first case exists."""
    institution = ctx.institutions.get(slug) or Institution.objects.filter(slug=slug).first()
    head, humas = ctx.users.get((slug, Role.HEAD)), ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    if institution is None or not (head and humas):
        return
    reporter = ctx.users.get((slug, Role.STAFF)) or humas
    with in_app_only(), institution_scope(institution):
        ref = f"demo:spread:{slug}"
        if (ViolationReport.objects.filter(institution=institution, source_ref=f"{ref}:1").exists()
                or not citable_rules(institution).exists()):
            return
        people = _staff_without_account(institution)
        if not people:
            return
        if group in ChannelKind.values:
            channel = Channel.objects.filter(institution=institution, kind=group).order_by("pk").first()
            if channel is None:
                return
        else:
            channel = _ensure_group(institution, group)
            for person in people:
                _ensure_member(channel, person)
        parent = institution.parent
        parent_head = None
        if parent is not None:
            parent_head = ctx.users.get((parent.slug, Role.HEAD)) or User.objects.filter(
                email=demo_email(Role.HEAD, parent.slug)).first()
        _walk(institution, cases=cases, reporter=reporter, humas=humas, head=head, channel=channel, informal=None,
              people=people, ref_prefix=ref, parent_head=parent_head, render_letters=False)
        _expire_until_today(institution)
