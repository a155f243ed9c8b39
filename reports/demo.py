"""Demo data of the semester Humas assessment.

- Kanwil Kemenag Sumatera Selatan assesses its subtree: eleven more demo madrasahs under
  Kankemenag Muara Enim and a second district office (Lahat), so that twelve madrasahs and two
  offices are ranked. The semesters follow the calendar of the day the demo is loaded
  (``demo_semesters``): the latest semester whose scoring has opened is being scored, with two
  assessors who disagree on a few criteria, and the two before it are finalized.
- Ditjen Pemasyarakatan has one finalized period (the later of those two) over its units.

Every step goes through ``reports.services`` with the dates it would have happened on, so the
audit trail and the results are what the pages would have produced. Scores follow a quality per
institution that improves a little each semester, with noise, so rankings are not uniform. All
people and results are fictional. Idempotent: an assessor that already has periods is skipped.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from governance.demo import DEMO_SINCE, demo_email, demo_second_factor
from governance.models import CodeVersion, Institution, Role, Rule, RuleCategory, TimeZone, User
from governance.services import institution_create, membership_grant
from governance.tenancy import institution_scope, rows_of_subtree, subtree_scope
from members.models import Acknowledgement, StaffMember
from sanctions.demo_spread import MADRASAH, MADRASAH_MUARA_ENIM, MADRASAH_WITH_APPEAL, OFFICE, spread

from . import services
from .models import AssessmentPeriod, Entry
from .selectors import criteria_for

K = Institution.Kind
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")

# (slug, parent slug, name, kind, regency, NSM, quality in semester I 2024)
SUMSEL_UNITS = [
    ("mtsn-2-muara-enim", "kankemenag-muara-enim", "MTs Negeri 2 Muara Enim", K.MADRASAH, "16.03", "121116030002", 0.78),
    ("man-1-muara-enim", "kankemenag-muara-enim", "MAN 1 Muara Enim", K.MADRASAH, "16.03", "131116030001", 0.88),
    ("man-2-muara-enim", "kankemenag-muara-enim", "MAN 2 Muara Enim", K.MADRASAH, "16.03", "131116030002", 0.64),
    ("min-1-muara-enim", "kankemenag-muara-enim", "MIN 1 Muara Enim", K.MADRASAH, "16.03", "111116030001", 0.55),
    ("min-2-muara-enim", "kankemenag-muara-enim", "MIN 2 Muara Enim", K.MADRASAH, "16.03", "111116030002", 0.47),
    ("mts-al-ikhlas-muara-enim", "kankemenag-muara-enim", "MTs Al-Ikhlas Muara Enim", K.MADRASAH, "16.03",
     "121216030003", 0.38),
    ("ma-darul-falah-muara-enim", "kankemenag-muara-enim", "MA Darul Falah Muara Enim", K.MADRASAH, "16.03",
     "131216030004", 0.60),
    ("kankemenag-lahat", "kanwil-kemenag-sumsel", "Kantor Kementerian Agama Kabupaten Lahat", K.DISTRICT_OFFICE, "16.04",
     "", 0.70),
    ("mtsn-1-lahat", "kankemenag-lahat", "MTs Negeri 1 Lahat", K.MADRASAH, "16.04", "121116040001", 0.83),
    ("man-1-lahat", "kankemenag-lahat", "MAN 1 Lahat", K.MADRASAH, "16.04", "131116040001", 0.72),
    ("min-1-lahat", "kankemenag-lahat", "MIN 1 Lahat", K.MADRASAH, "16.04", "111116040001", 0.42),
    ("mts-nurul-huda-lahat", "kankemenag-lahat", "MTs Nurul Huda Lahat", K.MADRASAH, "16.04", "121216040002", 0.51),
]
EXISTING_QUALITY = {"kankemenag-muara-enim": 0.74, "mtsn-1-muara-enim": 0.81, "kanwil-pas-jateng": 0.76,
                    "rutan-kudus": 0.69}

ANSWERS = {
    "K1": ["Akun Instagram dan Facebook madrasah mengunggah rata-rata {n} konten per minggu sesuai jadwal yang ditetapkan "
           "Waka Humas; grup WhatsApp resmi dipakai untuk pengumuman.",
           "Jadwal unggahan harian sudah dibuat, tetapi pada bulan {month} unggahan berkurang karena admin bertugas di luar."],
    "K2": ["Setiap unggahan diperiksa Waka Humas memakai daftar periksa: sumber, kebenaran, tidak ada dokumen rahasia yang "
           "terlihat, netral, dan keterangan sesuai foto.",
           "Pemeriksaan dilakukan oleh admin sebelum unggah, namun belum dicatat secara tertulis."],
    "K3": ["Kode etik bermedia sosial ditetapkan kepala dan dipasang di deskripsi grup WhatsApp resmi.",
           "Kode etik sudah disepakati dalam rapat koordinasi dan dibagikan ke semua grup resmi."],
    "K4": ["Pegawai diminta membaca dan menyatakan memahami kode etik melalui Santun; yang belum dibantu operator."],
    "K5": ["Kepala mengingatkan netralitas ASN dalam apel pagi dan di grup resmi, terutama menjelang pemilihan; tidak "
           "ada unggahan kampanye di akun resmi.",
           "Pengingat netralitas disampaikan saat masa kampanye; satu unggahan bernuansa politik di grup ditegur lisan."],
    "K6": ["Laporan pelanggaran ditelaah Humas dan diputus kepala sesuai tangga sanksi (SP1, SP2, lalu dikeluarkan dari grup).",
           "Ada {n} laporan selama semester; semuanya sudah diputus dan ditindaklanjuti."],
    "K7": ["Kanal resmi memuat informasi PPDB, layanan PTSP, kegiatan setiap bidang, dan jawaban atas pertanyaan orang tua.",
           "Informasi layanan PTSP dan kegiatan siswa diunggah rutin; pertanyaan masyarakat dijawab dalam satu hari kerja."],
    "K8": ["Seluruh guru dan pegawai mengikuti sosialisasi bijak bermedia sosial pada awal semester.",
           "Sosialisasi etika media sosial diikuti sebagian pegawai; sisanya dijadwalkan semester depan."],
}
NOTES = ["Jadwal unggahan ada, tetapi beberapa minggu kosong.", "Bukti pemeriksaan sebelum unggah perlu dilengkapi.",
         "Sudah baik; pertahankan.", "Perlu dokumentasi sosialisasi.", "Tautan bukti tidak bisa dibuka.",
         "Informasi layanan cukup lengkap.", "Tindak lanjut laporan perlu dicatat tanggalnya."]
MONTHS = ["Februari", "Maret", "Mei", "Agustus", "Oktober", "November"]

GIVEN = ["Ahmad", "Siti", "Rahmat", "Nur", "Hendra", "Dewi", "Fajar", "Aisyah", "Yusuf", "Ratna", "Ilham", "Wulan",
         "Arif", "Indah", "Taufik", "Maya"]
FAMILY = ["Hidayat", "Saputra", "Kurniawan", "Handayani", "Nasution", "Siregar", "Pratama", "Setiawan", "Lubis",
          "Anggraini", "Ramadhan", "Utami", "Fauzi", "Permata"]
TITLES = ["S.Pd.", "S.Ag.", "S.Pd.I.", "S.E.", "A.Md.", "S.Kom.", "M.Pd."]


def _opening(year: int, semester: int) -> datetime.date:
    """Semester I is scored from July, semester II from the first working days of January."""
    return datetime.date(year, 7, 1) if semester == 1 else datetime.date(year + 1, 1, 2)


def demo_semesters(today: datetime.date) -> list[tuple[int, int]]:
    """The two finalized semesters and the one being scored, oldest first, as of ``today``."""
    year = today.year
    latest = (year, 1) if today >= _opening(year, 1) else (year - 1, 2) if today >= _opening(year - 1, 2) else (year - 1, 1)

    def before(key):
        return (key[0], 1) if key[1] == 2 else (key[0] - 1, 2)

    return [before(before(latest)), before(latest), latest]


# units of SUMSEL_UNITS with cases of their own (sanctions.demo_spread), and the group they happened in
CASES_OF_UNITS = [
    ("mtsn-1-lahat", MADRASAH, "Grup WA Resmi MTs Negeri 1 Lahat"),
    ("man-1-lahat", MADRASAH_WITH_APPEAL, "Grup WA Resmi MAN 1 Lahat"),
    ("man-1-muara-enim", MADRASAH_MUARA_ENIM, "Grup WA Resmi MAN 1 Muara Enim"),
    ("kankemenag-lahat", OFFICE, "Grup Keluarga Besar Kemenag Lahat"),
]


def _label(key: tuple[int, int]) -> str:
    return f"{'I' if key[1] == 1 else 'II'} {key[0]}"


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=WIB)


def seed(ctx) -> None:
    sumsel = Institution.objects.filter(slug="kanwil-kemenag-sumsel").first()
    ditjenpas = Institution.objects.filter(slug="ditjenpas").first()
    if sumsel is None or ditjenpas is None:
        return
    password = make_password(settings.SANTUN_DEMO_PASSWORD)
    created = _units(ctx, password)
    for slug, cases, group in CASES_OF_UNITS:  # cases of the last months, for the Kanwil's statistics
        spread(ctx, slug, cases, group)
    second = _user("penilai2.kanwil-kemenag-sumsel@santun.test", password, totp=True)
    membership_grant(actor=None, user=second, institution=sumsel, role=Role.ASSESSOR)
    assessors = [ctx.users.get(("kanwil-kemenag-sumsel", Role.ASSESSOR)) or
                 User.objects.get(email=demo_email(Role.ASSESSOR, "kanwil-kemenag-sumsel")), second]
    with institution_scope(sumsel):
        has_periods = AssessmentPeriod.objects.filter(institution=sumsel).exists()
    if not has_periods:
        _sumsel_periods(sumsel, assessors)
    with institution_scope(ditjenpas):
        has_periods = AssessmentPeriod.objects.filter(institution=ditjenpas).exists()
    if not has_periods:
        pas_assessor = ctx.users.get(("ditjenpas", Role.ASSESSOR)) or User.objects.get(email=demo_email(Role.ASSESSOR, "ditjenpas"))
        _ditjenpas_period(ditjenpas, pas_assessor)
    first, second_, current = demo_semesters(sumsel.local_today())
    ctx.notes.append(
        f"Humas assessment: kanwil-kemenag-sumsel ranks 14 institutions (semesters {_label(first)} and {_label(second_)} "
        f"finalized, {_label(current)} being scored by penilai.kanwil-kemenag-sumsel and "
        f"penilai2.kanwil-kemenag-sumsel); ditjenpas has semester {_label(second_)} finalized. "
        f"The extra demo units ({', '.join(created)}) have humas.<slug> and kepala.<slug> logins."
    )


def _user(email: str, password: str, *, totp: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, password=password)
    if totp:
        demo_second_factor(user)
    return user


def _units(ctx, password: str) -> list[str]:
    """The extra institutions, their Humas and head, staff and a published code with acknowledgements."""
    slugs = []
    for slug, parent_slug, name, kind, regency, nsm, _quality in SUMSEL_UNITS:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            parent = Institution.objects.get(slug=parent_slug)
            institution = institution_create(
                actor=None, parent=parent, slug=slug, name=name, kind=kind, province_code="16", regency_code=regency,
                timezone=TimeZone.WIB, nsm=nsm, address=f"{name.split(' ', 2)[-1]}, Sumatera Selatan",
                letter_unit_code=f"Mts.06.{regency[-2:]}.{len(slugs) + 2}" if kind == K.MADRASAH else f"Kk.06.{regency[-2:]}",
            )
        slugs.append(slug)
        for role in (Role.HEAD, Role.PUBLIC_RELATIONS):
            user = _user(demo_email(role, slug), password, totp=role == Role.HEAD)
            membership_grant(actor=None, user=user, institution=institution, role=role, starts_on=DEMO_SINCE)
            ctx.users[(slug, role)] = user
        _staff_and_code(institution, [ctx.users[(slug, Role.HEAD)], ctx.users[(slug, Role.PUBLIC_RELATIONS)]])
    return slugs


def _staff_and_code(institution: Institution, users: list[User]) -> None:
    rng = random.Random(f"santun-reports-{institution.slug}")
    quality = next(q for s, *_rest, q in SUMSEL_UNITS if s == institution.slug)
    with institution_scope(institution):
        if StaffMember.objects.exists():
            return
        staff = []
        for index in range(rng.randint(9, 16)):
            user = users[index] if index < len(users) else None
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}, {rng.choice(TITLES)}"
            staff.append(StaffMember.objects.create(
                institution=institution, full_name=name, status=StaffMember.Status.HONORER if rng.random() < 0.3
                else StaffMember.Status.PPPK, position="Guru" if institution.kind == K.MADRASAH else "Pelaksana",
                user=user, email=user.email if user else "", joined_on=datetime.date(2019, 7, 15),
            ))
            if user and not user.full_name:
                user.full_name = name
                user.save(update_fields=["full_name"])
        if quality < 0.4:
            return  # this one has not published a code yet
        published = datetime.date(2024, 1, 8) + datetime.timedelta(days=rng.randint(0, 150) if quality < 0.6 else rng.randint(0, 40))
        version = CodeVersion.objects.create(
            institution=institution, number=1, title=f"Kode Etik Bermedia Sosial {institution.name}",
            preamble="Disepakati dalam rapat koordinasi untuk menertibkan grup WhatsApp dan akun resmi.",
            state=CodeVersion.State.PUBLISHED, published_at=_at(published), created_by=users[1], published_by=users[0],
        )
        for position, (category, text) in enumerate([
            (RuleCategory.HOAX, "Saring sebelum sharing: jangan meneruskan kabar yang belum jelas sumbernya."),
            (RuleCategory.PORNOGRAPHY, "Tidak memposting konten pornografi dalam bentuk apa pun."),
            (RuleCategory.POLITICS, "Tidak membahas politik praktis atau mendukung calon di grup resmi."),
            (RuleCategory.HARASSMENT, "Tidak memposting stiker, gambar, animasi atau video pejabat untuk hiburan atau "
                                      "yang melecehkan, dan tidak mengejek pribadi maupun kelompok."),
            (RuleCategory.SARA, "Tidak mengangkat isu suku, agama, ras dan antargolongan."),
            (RuleCategory.ETIQUETTE, "Selalu menjaga etika dan sopan santun."),
        ], start=1):
            Rule.objects.create(version=version, number=str(position), category=category, text=text, position=position)
        share = min(1.0, quality + rng.uniform(-0.05, 0.15))
        for person in staff:
            if rng.random() < share:
                Acknowledgement.objects.create(staff=person, version=version,
                                               acknowledged_at=_at(published + datetime.timedelta(days=rng.randint(1, 330))))


def _quality(slug: str, semester_index: int) -> float:
    base = next((q for s, *_rest, q in SUMSEL_UNITS if s == slug), EXISTING_QUALITY.get(slug, 0.6))
    rng = random.Random(f"santun-quality-{slug}-{semester_index}")
    return max(0.1, min(0.98, base + 0.04 * semester_index + rng.uniform(-0.05, 0.05)))


def _answer(entry: Entry, criteria, humas: User, today: datetime.date, semester_index: int) -> None:
    rng = random.Random(f"santun-answers-{entry.institution.slug}-{semester_index}")
    for criterion in criteria:
        texts = ANSWERS.get(criterion.code, ["Sudah dilaksanakan sesuai pedoman."])
        text = rng.choice(texts).format(n=rng.randint(2, 12), month=rng.choice(MONTHS))
        links = ""
        if criterion.evidence_required:
            links = f"https://www.instagram.com/{entry.institution.slug.replace('-', '')}/\nhttps://drive.google.com/demo-{criterion.code.lower()}"
        services.answer_save(actor=humas, entry=entry, criterion=criterion, answer=text, links=links, today=today)


def _score(period: AssessmentPeriod, assessors: list[User], semester_index: int, *, partial: bool = False) -> None:
    criteria = criteria_for(period)
    with subtree_scope(period.institution):
        entries = list(Entry.objects.filter(period=period).select_related("institution").prefetch_related("indicator_values"))
    for position, entry in enumerate(entries):
        rng = random.Random(f"santun-scores-{entry.institution.slug}-{period.year}-{period.semester}")
        quality = _quality(entry.institution.slug, semester_index)
        indicator_known = {v.code for v in entry.indicator_values.all() if v.value is not None}
        base = {}
        for criterion in criteria:
            base[criterion.pk] = max(0, min(4, round(quality * 4 + rng.uniform(-1.1, 1.1))))
        for number, assessor in enumerate(assessors):
            if partial and (position % 3 == 2 or (number == 1 and position % 2 == 1)):
                continue  # the current semester is still being scored
            values = {}
            for criterion in criteria:
                if criterion.indicator and criterion.indicator in indicator_known:
                    continue  # the indicator scores this criterion
                score = base[criterion.pk]
                if number == 1:
                    score = max(0, min(4, score + rng.choice([0, 0, 0, 1, -1])))
                    if partial and rng.random() < 0.12:
                        score = 0 if score > 2 else 4  # a real disagreement to talk over
                note = rng.choice(NOTES) if rng.random() < 0.3 else ""
                values[criterion.pk] = (score, note)
            services.scores_record(actor=assessor, entry=entry, values=values)


def _run_period(assessor_institution, rubric, assessors, *, year, semester, semester_index, finalize, partial=False):
    opens = _opening(year, semester)
    if not finalize:
        # The period being scored keeps its scoring deadline ahead of the day the demo is loaded.
        opens = max(opens, assessor_institution.local_today() - datetime.timedelta(days=35))
    period = services.period_create(
        actor=assessors[0], institution=assessor_institution, year=year, semester=semester, rubric=rubric, kinds=[],
        self_assessment_deadline=opens + datetime.timedelta(days=30), scoring_deadline=opens + datetime.timedelta(days=58),
        disagreement_threshold=1, publish_ranks=True,
    )
    services.period_open(actor=assessors[0], period=period, today=opens, email=False)
    criteria = criteria_for(period)
    with subtree_scope(assessor_institution):
        entries = list(Entry.objects.filter(period=period).select_related("institution", "period"))
        humas = {m_user.institution_id: m_user.user for m_user in _humas_memberships(assessor_institution, [e.institution_id for e in entries])}
    for index, entry in enumerate(entries):
        user = humas.get(entry.institution_id)
        rng = random.Random(f"santun-submit-{entry.institution.slug}-{year}-{semester}")
        if user is None or rng.random() < 0.1:
            continue  # a few never fill it in
        with institution_scope(entry.institution):
            day = opens + datetime.timedelta(days=5 + index % 20)
            _answer(entry, criteria, user, day, semester_index)
            services.self_assessment_submit(actor=user, entry=entry, today=day, email=False)
            Entry.objects.filter(pk=entry.pk).update(submitted_at=_at(day, 14))
    with subtree_scope(assessor_institution):
        services.period_start_scoring(actor=assessors[0], period=period)
        _score(period, assessors, semester_index, partial=partial)
        closes = opens + datetime.timedelta(days=31)
        AssessmentPeriod.objects.filter(pk=period.pk).update(
            opened_at=_at(opens, 8), scoring_started_at=_at(closes, 8), indicators_computed_at=_at(closes, 8))
        if finalize:
            services.period_finalize(actor=assessors[0], period=period, email=False)
            AssessmentPeriod.objects.filter(pk=period.pk).update(finalized_at=_at(opens + datetime.timedelta(days=55), 15))
    return period


def _humas_memberships(assessor, institution_ids):
    from governance.models import Membership

    return (rows_of_subtree(Membership, assessor).active()
            .filter(institution_id__in=institution_ids, role=Role.PUBLIC_RELATIONS).select_related("user").order_by("pk"))


def _sumsel_periods(sumsel: Institution, assessors: list[User]) -> None:
    with institution_scope(sumsel):
        rubric = services.rubric_create_default(actor=assessors[0], institution=sumsel)
    first, second, current = demo_semesters(sumsel.local_today())
    with subtree_scope(sumsel):
        _run_period(sumsel, rubric, assessors, year=first[0], semester=first[1], semester_index=0, finalize=True)
        _run_period(sumsel, rubric, assessors, year=second[0], semester=second[1], semester_index=1, finalize=True)
        _run_period(sumsel, rubric, assessors, year=current[0], semester=current[1], semester_index=2, finalize=False,
                    partial=True)


def _ditjenpas_period(ditjenpas: Institution, assessor: User) -> None:
    with institution_scope(ditjenpas):
        rubric = services.rubric_create_default(actor=assessor, institution=ditjenpas)
    with subtree_scope(ditjenpas):
        _, second, _ = demo_semesters(ditjenpas.local_today())
        _run_period(ditjenpas, rubric, [assessor], year=second[0], semester=second[1], semester_index=1, finalize=True)
