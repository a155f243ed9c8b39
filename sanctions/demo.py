"""Demo histories of the sanctions app, walked through the real services on realistic dates so
that every case has its complete audit trail (seeds 000, 001 and 003). Idempotent: a scenario
whose first report exists is skipped. All people and cases are fictional.

- MTsN 1 Muara Enim: one teacher through SP1 → SP2 → removal confirmed by the group admin; an SP1
  voided after an upheld objection (decided by the Kankemenag head, because the head signed);
  a report dismissed because the code permits product promotion; a fresh report awaiting triage.
- Kemenag Banjarbaru (WITA): a priority politics report during the 2024 Pilkada, answered with a
  verbal reprimand on the teguran lisan → teguran tertulis ladder.
- Rutan Kudus: a live stream in uniform referred to the Kode Etik Pemasyarakatan process, with
  its outcome.

Channels, codes and election periods come from the governance demo when it provides them; until
then this module creates the minimum it needs.
"""

from __future__ import annotations

import datetime
import io

import time_machine
from django.db.models import Max
from django.utils import timezone

from governance.audit import log_action
from governance.models import (
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionPeriod,
    Membership,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
)
from governance.tenancy import institution_scope
from members.models import GroupMembership, StaffMember

from . import services
from .models import LadderLevel, ReportSource, ViolationReport
from .notifications import in_app_only
from .selectors import citable_rules, current_code, suggest_level

C = RuleCategory

# Rules in the project's own words, after the seed articles (cited by title and date).
MTSN_RULES = [  # "Kepala MTsN 1 Muara Enim ... WA group" (8 Aug 2020)
    ("1", C.HOAX, RuleKind.PROHIBITION, "Menyaring setiap informasi sebelum membagikannya; tidak menyebarkan hoaks atau pencemaran nama baik."),
    ("2", C.PORNOGRAPHY, RuleKind.PROHIBITION, "Tidak mengirim gambar, video, atau tulisan yang bermuatan pornografi."),
    ("3", C.HARASSMENT, RuleKind.PROHIBITION, "Tidak mengirim stiker, gambar, animasi, atau video pejabat untuk hiburan atau yang merendahkan orangnya."),
    ("4", C.POLITICS, RuleKind.PROHIBITION, "Tidak membahas politik, isu SARA, atau melecehkan orang maupun kelompok."),
    ("5", C.ETIQUETTE, RuleKind.PROHIBITION, "Selalu menjaga etika dan sopan santun dalam grup."),
    ("6", C.OTHER, RuleKind.PERMISSION, "Promosi produk diperbolehkan."),
]
BANJARBARU_RULES = [  # "Jangan jadikan grup WhatsApp Kemenag sarana kampanye" (30 Nov 2020)
    ("1", C.POLITICS, RuleKind.PROHIBITION, "Grup WhatsApp Kemenag tidak boleh dipakai untuk kampanye atau unggahan yang berbau politik praktis."),
    ("2", C.ETIQUETTE, RuleKind.PROHIBITION, "Menjaga grup sebagai sarana komunikasi yang rukun dan tidak berkelompok-kelompok."),
]
KUDUS_RULES = [  # "Rutan Kudus turut andil dalam penguatan kehumasan" (7 Feb 2025)
    ("1", C.HATE_SPEECH, RuleKind.PROHIBITION, "Tidak menyampaikan ujaran kebencian terhadap Pancasila, UUD 1945, Bhinneka Tunggal Ika, NKRI, dan pemerintah."),
    ("2", C.SARA, RuleKind.PROHIBITION, "Tidak menyampaikan ujaran kebencian terhadap suku, agama, ras, dan antargolongan."),
    ("3", C.HATE_SPEECH, RuleKind.PROHIBITION, "Tidak menyebarkan atau menyukai unggahan yang bermuatan ujaran kebencian."),
    ("4", C.HOAX, RuleKind.PROHIBITION, "Tidak memberitakan atau menyebarkan kabar yang menyesatkan."),
    ("5", C.STATE_SYMBOLS, RuleKind.PROHIBITION, "Tidak melecehkan simbol negara."),
    ("6", C.CONFIDENTIAL, RuleKind.PROHIBITION, "Tidak merekam dan menyebarkan informasi yang dikecualikan atau menyangkut keamanan dan ketertiban."),
    ("7", C.LIVE_IN_UNIFORM, RuleKind.PROHIBITION, "Tidak melakukan siaran langsung dengan pakaian dinas untuk materi yang tidak berkaitan dengan kedinasan."),
]


def _at(institution, year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=institution.tzinfo)


def _travel(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def _screenshot(lines: list[str]) -> bytes:
    """A plain picture standing in for a WhatsApp screenshot (no real message is reproduced)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 60 + 22 * len(lines)), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((12, 12, 348, 48 + 22 * len(lines)), radius=10, fill=(255, 255, 255))
    for index, line in enumerate(lines):
        draw.text((24, 24 + 22 * index), line, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- what the other apps' demos may not have created yet -----------------------------------------

def _roles_since(institutions, day=datetime.date(2019, 7, 1)) -> None:
    """Demo people have held their roles for years, so that histories in 2024–2025 are theirs (not
    an acting head covering a leave: that appointment has its own dates)."""
    for institution in institutions:
        with institution_scope(institution):
            Membership.objects.filter(institution=institution, starts_on__gt=day).exclude(
                role=Role.ACTING, ends_on__isnull=False).update(starts_on=day)


def _ensure_code(institution, head, rules) -> CodeVersion:
    code = current_code(institution)
    if code is not None:
        return code
    number = (CodeVersion.objects.filter(institution=institution).aggregate(n=Max("number"))["n"] or 0) + 1
    with _travel(_at(institution, 2020, 8, 10, 8)):
        code = CodeVersion.objects.create(
            institution=institution, number=number, title="Tata Tertib Grup dan Akun Media Sosial",
            state=CodeVersion.State.PUBLISHED, published_at=timezone.now(), published_by=head, created_by=head,
        )
        for position, (num, category, kind, text) in enumerate(rules):
            Rule.objects.create(version=code, number=num, category=category, kind=kind, text=text, position=position)
        log_action(action="governance.code.published", institution=institution, actor=head, target=code,
                   data={"number": number, "rules": len(rules)})
    return code


def _ensure_group(institution, name) -> Channel:
    channel = (Channel.objects.filter(institution=institution, kind__in=ChannelKind.group_kinds(), is_active=True)
               .order_by("-is_official", "pk").first())
    if channel is None:
        with _travel(_at(institution, 2020, 8, 10, 8)):
            channel = Channel.objects.create(institution=institution, kind=ChannelKind.WHATSAPP_GROUP, name=name,
                                             is_official=True)
            log_action(action="governance.channel.created", institution=institution, actor=None, target=channel,
                       data={"kind": channel.kind})
    return channel


def _ensure_member(channel, staff, role=GroupMembership.Role.MEMBER) -> GroupMembership:
    membership = GroupMembership.objects.filter(channel=channel, staff=staff, until__isnull=True).first()
    if membership is None:
        with _travel(_at(channel.institution, 2020, 8, 10, 8, 30)):
            membership = GroupMembership.objects.create(channel=channel, staff=staff, role=role,
                                                        since=datetime.date(2020, 8, 10))
            log_action(action="members.group_membership.added", institution=channel.institution, actor=None,
                       target=membership, data={"channel": channel.pk, "staff": staff.pk, "role": role})
    elif membership.role != role and role == GroupMembership.Role.ADMIN:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def _pilkada_2024() -> ElectionPeriod:
    period = ElectionPeriod.objects.filter(kind=ElectionPeriod.Kind.PILKADA, voting_day=datetime.date(2024, 11, 27)).first()
    if period is None:
        period = ElectionPeriod.objects.create(
            name="Pilkada Serentak 2024", kind=ElectionPeriod.Kind.PILKADA, coverage=ElectionPeriod.Coverage.NATIONAL,
            campaign_starts_on=datetime.date(2024, 9, 25), campaign_ends_on=datetime.date(2024, 11, 23),
            quiet_starts_on=datetime.date(2024, 11, 24), quiet_ends_on=datetime.date(2024, 11, 26),
            voting_day=datetime.date(2024, 11, 27),
        )
        log_action(action="governance.election_period.created", institution=None, actor=None, target=period,
                   data={"kind": period.kind})
    return period


def _staff_without_account(institution) -> list[StaffMember]:
    return list(StaffMember.objects.filter(institution=institution, user__isnull=True, left_on__isnull=True).order_by("pk"))


def _staff_of(user, institution) -> StaffMember | None:
    return StaffMember.objects.filter(institution=institution, user=user).first()


def _rules(institution, *categories, channel=None, at=None) -> list[int]:
    """The prohibitions of these categories in the code in force when it happened that apply there."""
    found = citable_rules(institution, at=at).filter(category__in=categories)
    return [rule.pk for rule in found if channel is None or rule.applies_to(channel.kind)]


# --- the steps of a case, each at its own moment --------------------------------------------------

def _file(institution, *, at, ref, reporter, staff, channel, categories, description, source=ReportSource.STAFF,
          occurred, screenshot=None) -> ViolationReport:
    with _travel(at):
        return services.report_submit(
            actor=reporter, institution=institution, subject_staff=staff, channel=channel, occurred_at=occurred,
            rule_ids=_rules(institution, *categories, channel=channel, at=occurred), description=description, source=source, source_ref=ref,
            evidence=[("tangkapan-layar.png", _screenshot(screenshot))] if screenshot else [],
        )


def _confirm(report, humas, *, review_at, decide_at, reason, heard="", how="oral") -> None:
    """Confirm the report; ``heard`` is what the person said when public relations called them in
    (klarifikasi), recorded half an hour later, so the head may decide before the hearing deadline."""
    with _travel(review_at):
        services.report_assign(actor=humas, report=report, assignee=humas)
    with _travel(decide_at):
        services.report_confirm(actor=humas, report=report, reason=reason)
    if heard:
        with _travel(decide_at + datetime.timedelta(minutes=30)):
            services.explanation_record(actor=humas, report=report, text=heard, how=how)


def _propose_and_approve(report, humas, head, *, propose_at, approve_at, reason, code=None, deviation="",
                         as_parent=False, render=True):
    """Humas proposes, the head approves; ``render`` makes the letter's PDF now (else the first
    download makes it, as when the background task has not run yet)."""
    institution = report.institution
    with _travel(propose_at):
        ladder = services.ladder_ensure(actor=humas, institution=institution)
        level = LadderLevel.objects.get(ladder=ladder, code=code) if code else suggest_level(report, ladder=ladder).level
        measure = services.measure_propose(actor=humas, report=report, level=level, reason=deviation)
    with _travel(approve_at):
        measure = services.measure_approve(actor=head, measure=measure, reason=reason, as_parent=as_parent)
        letter = getattr(measure, "letter", None) if measure.produces_letter else None
        if letter is not None and render:
            services.letter_render_pdf(letter=letter)
    return measure


def _deliver(measure, humas, *, at, method):
    with _travel(at):
        return services.measure_record_delivery(actor=humas, measure=measure, method=method,
                                                delivered_on=timezone.localtime(at, measure.institution.tzinfo).date())


def _expire_until_today(institution) -> None:
    from .models import Measure

    today = institution.local_today()
    days = sorted(set(Measure.objects.filter(institution=institution, state="active", active_until__lt=today)
                      .values_list("active_until", flat=True)))
    for day in days:
        next_day = day + datetime.timedelta(days=1)
        with _travel(_at(institution, next_day.year, next_day.month, next_day.day, 0, 20)):
            services.measures_expire_due(institution=institution)


# --- the three institutions ---------------------------------------------------------------------

def _muara_enim(ctx) -> None:
    slug = "mtsn-1-muara-enim"
    institution = ctx.institutions.get(slug)
    if institution is None:
        return
    parent = institution.parent
    head, humas, pegawai = (ctx.users.get((slug, role)) for role in (Role.HEAD, Role.PUBLIC_RELATIONS, Role.STAFF))
    parent_head = ctx.users.get((parent.slug, Role.HEAD)) if parent else None
    with institution_scope(institution):
        if ViolationReport.objects.filter(institution=institution, source_ref="demo:mtsn:hoaks").exists():
            return
        people = _staff_without_account(institution)
        if len(people) < 4 or not all((head, humas, pegawai, parent_head)):
            return
        repeat, objector, promoter, fresh = people[:4]
        _ensure_code(institution, head, MTSN_RULES)
        channel = _ensure_group(institution, "Grup WA Resmi MTs Negeri 1 Muara Enim")
        for person in (repeat, objector, promoter, fresh):
            _ensure_member(channel, person)
        admin_staff = _staff_of(pegawai, institution)
        if admin_staff is not None:
            _ensure_member(channel, admin_staff, GroupMembership.Role.ADMIN)
        at = lambda *args: _at(institution, *args)  # noqa: E731

        # 1. SP1: a hoax about the school closing.
        report = _file(institution, at=at(2025, 1, 14, 8, 15), ref="demo:mtsn:hoaks", reporter=pegawai, staff=repeat,
                       channel=channel, categories=[C.HOAX], occurred=at(2025, 1, 13, 19, 40),
                       description="Meneruskan pesan berantai bahwa madrasah diliburkan seminggu karena banjir, "
                                   "tanpa memeriksa kebenarannya. Pengumuman resmi tidak pernah ada.",
                       screenshot=["Info: MTsN libur 1 minggu mulai", "besok krn banjir. Sebarkan!!"])
        _confirm(report, humas, review_at=at(2025, 1, 14, 9, 30), decide_at=at(2025, 1, 15, 10, 0),
                 reason="Tangkapan layar jelas dan Kaur TU memastikan tidak ada pengumuman libur.",
                 heard="Mengaku meneruskan pesan dari grup alumni tanpa mengecek ke Kaur TU dan sudah menghapusnya.")
        sp1 = _propose_and_approve(report, humas, head, propose_at=at(2025, 1, 15, 10, 5),
                                   approve_at=at(2025, 1, 16, 7, 45), reason="Hoaks meresahkan wali murid.")
        _deliver(sp1, humas, at=at(2025, 1, 17, 9, 0), method="in_person")

        # 2. SP2: a sticker mocking an official while SP1 is in force.
        report = _file(institution, at=at(2025, 3, 10, 13, 0), ref="demo:mtsn:stiker", reporter=humas, staff=repeat,
                       channel=channel, categories=[C.HARASSMENT], source=ReportSource.HUMAS,
                       occurred=at(2025, 3, 10, 11, 20),
                       description="Mengirim stiker wajah seorang pejabat yang diubah menjadi lelucon.",
                       screenshot=["[stiker]", "wkwkwk"])
        _confirm(report, humas, review_at=at(2025, 3, 10, 13, 5), decide_at=at(2025, 3, 11, 9, 0),
                 reason="Melanggar butir 3; SP1 masih berlaku.",
                 heard="Menyatakan stiker itu hanya bercanda dan tidak bermaksud merendahkan; meminta maaf.")
        sp2 = _propose_and_approve(report, humas, head, propose_at=at(2025, 3, 11, 9, 10),
                                   approve_at=at(2025, 3, 12, 8, 0), reason="Pengulangan dalam masa SP1.")
        _deliver(sp2, humas, at=at(2025, 3, 12, 10, 0), method="whatsapp")

        # 3. Removal: political campaigning while SP1 and SP2 are in force; the admin confirms.
        report = _file(institution, at=at(2025, 5, 5, 20, 10), ref="demo:mtsn:politik", reporter=pegawai, staff=repeat,
                       channel=channel, categories=[C.POLITICS], occurred=at(2025, 5, 5, 19, 55),
                       description="Mengajak anggota grup mendukung seorang bakal calon dan membagikan poster kampanye.",
                       screenshot=["Ayo dukung calon kita!", "[poster]"])
        _confirm(report, humas, review_at=at(2025, 5, 6, 7, 30), decide_at=at(2025, 5, 6, 8, 0),
                 reason="Pelanggaran ketiga dalam masa berlaku SP1 dan SP2.",
                 heard="Tidak hadir pada panggilan klarifikasi; menjawab lewat surat bahwa poster itu kiriman kerabat.", how="paper")
        removal = _propose_and_approve(report, humas, head, propose_at=at(2025, 5, 6, 8, 10),
                                       approve_at=at(2025, 5, 7, 7, 30),
                                       reason="Sesuai kesepakatan rapat 8 Agustus 2020: setelah dua SP, dikeluarkan.")
        with _travel(at(2025, 5, 8, 10, 0)):
            services.removal_confirm(actor=pegawai, task=removal.removal, carried_out_on=datetime.date(2025, 5, 8))

        # 4. An SP1 voided on appeal: the head keeps it on objection, the Kankemenag head upholds the appeal.
        report = _file(institution, at=at(2025, 8, 4, 7, 50), ref="demo:mtsn:gambar", reporter=humas, staff=objector,
                       channel=channel, categories=[C.PORNOGRAPHY], source=ReportSource.HUMAS,
                       occurred=at(2025, 8, 3, 21, 5),
                       description="Gambar yang dinilai tidak pantas terkirim ke grup pada malam hari.")
        _confirm(report, humas, review_at=at(2025, 8, 4, 8, 0), decide_at=at(2025, 8, 5, 9, 0),
                 reason="Gambar terkirim dari nomor yang bersangkutan.",
                 heard="Menyatakan gambar itu cuplikan berita resmi tentang razia konten yang terpotong saat diteruskan.")
        voided = _propose_and_approve(report, humas, head, propose_at=at(2025, 8, 5, 9, 10),
                                      approve_at=at(2025, 8, 6, 8, 0), reason="Melanggar butir 2.")
        _deliver(voided, humas, at=at(2025, 8, 7, 9, 0), method="in_person")
        with _travel(at(2025, 8, 11, 10, 0)):
            objection = services.objection_file(
                actor=humas, measure=voided,
                text="Yang bersangkutan menyatakan gambar itu adalah cuplikan berita resmi tentang razia konten, "
                     "terpotong saat diteruskan, dan melampirkan tautan beritanya.")
        with _travel(at(2025, 8, 18, 14, 0)):
            services.objection_decide(actor=head, objection=objection, upheld=False,
                                      reason="Gambar tetap terkirim ke grup pada malam hari tanpa keterangan apa pun.")
        with _travel(at(2025, 8, 25, 9, 0)):
            appeal = services.appeal_file(
                actor=humas, objection=objection,
                text="Yang bersangkutan mengajukan banding: tautan berita resmi dan pesan aslinya menunjukkan gambar "
                     "itu bagian dari berita, bukan kiriman pribadi.")
        with _travel(at(2025, 9, 2, 10, 30)):
            services.appeal_decide(actor=parent_head, appeal=appeal, upheld=True, as_parent=True,
                                   reason="Tautan berita resmi membuktikan konteks gambar; tidak ada unsur pornografi.")
        # The inspectorate asked for the file of this contested case: the head keeps it from deletion.
        with _travel(at(2025, 10, 6, 9, 0)):
            services.legal_hold_set(actor=head, report=appeal.objection.measure.report,
                                    reason="Inspektorat Jenderal Kementerian Agama meminta berkas perkara ini untuk "
                                           "audit penanganan keberatan dan banding tahun 2025.")

        # 5. Dismissed: product promotion is allowed by the code (seed 000).
        report = _file(institution, at=at(2025, 9, 15, 12, 30), ref="demo:mtsn:promosi", reporter=pegawai,
                       staff=promoter, channel=channel, categories=[C.HARASSMENT], occurred=at(2025, 9, 15, 12, 0),
                       description="Menawarkan kue kering buatan sendiri di grup pada jam istirahat; pelapor "
                                   "menganggapnya mengganggu anggota lain.")
        with _travel(at(2025, 9, 16, 8, 0)):
            services.report_start_review(actor=humas, report=report)
        with _travel(at(2025, 9, 16, 8, 20)):
            services.report_dismiss(actor=humas, report=report,
                             reason="Tata tertib butir 6 mengizinkan promosi produk; unggahan sopan dan tidak melanggar.")

        # 6. A fresh report waiting in the queue.
        recent = timezone.now() - datetime.timedelta(days=2)
        _file(institution, at=recent, ref="demo:mtsn:baru", reporter=pegawai, staff=fresh, channel=channel,
              categories=[C.HOAX], occurred=recent - datetime.timedelta(hours=2),
              description="Membagikan tautan undian berhadiah atas nama Kementerian Agama yang tampak palsu.",
              screenshot=["SELAMAT! Anda dapat hadiah", "klik tautan berikut..."])
        _expire_until_today(institution)


def _banjarbaru(ctx) -> None:
    slug = "kemenag-banjarbaru"
    institution = ctx.institutions.get(slug)
    if institution is None:
        return
    head, humas = ctx.users.get((slug, Role.HEAD)), ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    with institution_scope(institution):
        if ViolationReport.objects.filter(institution=institution, source_ref="demo:bjb:kampanye").exists():
            return
        people = _staff_without_account(institution)
        if not people or not head or not humas:
            return
        _pilkada_2024()
        _ensure_code(institution, head, BANJARBARU_RULES)
        channel = _ensure_group(institution, "Grup WA Keluarga Kemenag Banjarbaru")
        _ensure_member(channel, people[0])
        at = lambda *args: _at(institution, *args)  # noqa: E731
        with _travel(at(2024, 9, 2, 8, 0)):
            services.ladder_configure(actor=head, institution=institution, preset="teguran", months={1: 6, 2: 6})
        report = _file(institution, at=at(2024, 11, 5, 8, 30), ref="demo:bjb:kampanye", reporter=humas, staff=people[0],
                       channel=channel, categories=[C.POLITICS], source=ReportSource.HUMAS,
                       occurred=at(2024, 11, 4, 20, 15),
                       description="Membagikan gambar pasangan calon kepala daerah dengan ajakan memilih, "
                                   "di tengah masa kampanye Pilkada 2024.",
                       screenshot=["[gambar pasangan calon]", "Jangan lupa pilih no. 2 ya"])
        _confirm(report, humas, review_at=at(2024, 11, 5, 8, 40), decide_at=at(2024, 11, 5, 10, 0),
                 reason="Unggahan berisi ajakan memilih; melanggar larangan kampanye di grup Kemenag.",
                 heard="Mengakui membagikan gambar itu, tidak tahu larangannya berlaku di grup keluarga kantor, dan sudah menghapusnya.")
        measure = _propose_and_approve(report, humas, head, propose_at=at(2024, 11, 5, 10, 10),
                                       approve_at=at(2024, 11, 6, 9, 0),
                                       reason="Pelanggaran pertama; cukup teguran lisan dan unggahan sudah dihapus.")
        _deliver(measure, humas, at=at(2024, 11, 6, 10, 30), method="in_person")
        _expire_until_today(institution)


def _rutan_kudus(ctx) -> None:
    slug = "rutan-kudus"
    institution = ctx.institutions.get(slug)
    if institution is None:
        return
    head, humas = ctx.users.get((slug, Role.HEAD)), ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    with institution_scope(institution):
        if ViolationReport.objects.filter(institution=institution, source_ref="demo:kudus:siaran").exists():
            return
        people = _staff_without_account(institution)
        if not people or not head or not humas:
            return
        _ensure_code(institution, head, KUDUS_RULES)
        channel = _ensure_group(institution, "Grup WA Pegawai Rutan Kudus")
        _ensure_member(channel, people[0])
        at = lambda *args: _at(institution, *args)  # noqa: E731
        report = _file(institution, at=at(2025, 2, 11, 8, 0), ref="demo:kudus:siaran", reporter=humas, staff=people[0],
                       channel=channel, categories=[C.LIVE_IN_UNIFORM], source=ReportSource.HUMAS,
                       occurred=at(2025, 2, 10, 21, 0),
                       description="Melakukan siaran langsung di TikTok dengan pakaian dinas, berisi hiburan "
                                   "yang tidak berkaitan dengan kedinasan; rekaman diteruskan ke grup pegawai.")
        # Seed 003: violations go to the Kode Etik Pemasyarakatan process, not up a group ladder.
        with _travel(at(2025, 2, 10, 8, 0)):
            services.ladder_set_policy(actor=head, institution=institution, referral_only=True, referral_track="ethics",
                                       referral_to="Majelis Kode Etik Kantor Wilayah Ditjenpas Jawa Tengah",
                                       referral_working_days=20)
        _confirm(report, humas, review_at=at(2025, 2, 11, 8, 15), decide_at=at(2025, 2, 12, 9, 0),
                 reason="Rekaman siaran memperlihatkan seragam dinas; melanggar larangan nomor 7.",
                 heard="Menyatakan siaran dilakukan selepas jam dinas dan lupa berganti pakaian.")
        referral = report.referrals.get()
        with _travel(at(2025, 3, 10, 11, 0)):
            services.referral_record_outcome(
                actor=humas, referral=referral, outcome_on=datetime.date(2025, 3, 7),
                outcome="Sidang kode etik menyatakan yang bersangkutan melanggar Kode Etik Pemasyarakatan dan "
                        "menjatuhkan sanksi moral berupa pernyataan secara tertutup (data contoh).")


def _oku_timur_head(ctx) -> None:
    """A case about the head of a top-level institution: nobody above may decide it, so it waits for
    the standing acting head (Plt), and the case file says so. Filed a few days before the demo runs."""
    slug = "pemkab-oku-timur"
    institution = ctx.institutions.get(slug)
    if institution is None:
        return
    head, humas = ctx.users.get((slug, Role.HEAD)), ctx.users.get((slug, Role.PUBLIC_RELATIONS))
    with institution_scope(institution):
        if ViolationReport.objects.filter(institution=institution, source_ref="demo:okut:kepala").exists():
            return
        subject = _staff_of(head, institution) if head else None
        if subject is None or humas is None:
            return
        channel = _ensure_group(institution, "Grup WA Koordinasi Pimpinan OPD OKU Timur")
        _ensure_member(channel, subject)
        now = timezone.now().replace(second=0, microsecond=0)
        report = _file(institution, at=now - datetime.timedelta(days=3), ref="demo:okut:kepala", reporter=humas,
                       staff=subject, channel=channel, categories=[C.POLITICS], source=ReportSource.HUMAS,
                       occurred=now - datetime.timedelta(days=3, hours=14),
                       description="Meneruskan ke grup koordinasi poster dukungan bagi seorang bakal calon bupati "
                                   "dengan tulisan \"siap menangkan\"; poster itu kemudian beredar di luar grup.",
                       screenshot=["[poster bakal calon]", "Siap menangkan!"])
        _confirm(report, humas, review_at=now - datetime.timedelta(days=3, hours=-1),
                 decide_at=now - datetime.timedelta(days=2),
                 reason="Poster menunjukkan keberpihakan; netralitas berlaku juga di grup dan akun pribadi ASN.")
        with _travel(now - datetime.timedelta(days=2, hours=-1)):
            ladder = services.ladder_ensure(actor=humas, institution=institution)
            services.measure_propose(actor=humas, report=report, level=suggest_level(report, ladder=ladder).level)


def _banjarbaru_leave(ctx) -> None:
    """The head of Kemenag Banjarbaru is on annual leave around the day the demo is loaded: the head
    of Kanwil Kalsel appointed the head of administration (the demo's operator login) Plh for those
    days, and a measure Humas proposed meanwhile waits for the Plh, not for the head."""
    slug = "kemenag-banjarbaru"
    institution, parent = ctx.institutions.get(slug), ctx.institutions.get("kanwil-kemenag-kalsel")
    if institution is None or parent is None:
        return
    humas, operator = ctx.users.get((slug, Role.PUBLIC_RELATIONS)), ctx.users.get((slug, Role.OPERATOR))
    parent_head = ctx.users.get(("kanwil-kemenag-kalsel", Role.HEAD))
    with institution_scope(institution):
        if ViolationReport.objects.filter(institution=institution, source_ref="demo:bjb:psu").exists():
            return
        people, deputy = _staff_without_account(institution), _staff_of(operator, institution) if operator else None
        if len(people) < 2 or deputy is None or humas is None or parent_head is None:
            return
        from governance.demo import demo_second_factor
        from members import services as member_services

        today = institution.local_today()
        first_day = today - datetime.timedelta(days=2)
        with _travel(datetime.datetime.combine(first_day, datetime.time(8), tzinfo=institution.tzinfo)):
            member_services.acting_appoint(actor=parent_head, staff=deputy, starts_on=first_day,
                                           ends_on=today + datetime.timedelta(days=7))
        demo_second_factor(operator)
        channel = _ensure_group(institution, "Grup WA Keluarga Kemenag Banjarbaru")
        _ensure_member(channel, people[1])
        now = timezone.now().replace(second=0, microsecond=0)
        report = _file(institution, at=now - datetime.timedelta(days=2), ref="demo:bjb:psu", reporter=humas,
                       staff=people[1], channel=channel, categories=[C.POLITICS], source=ReportSource.HUMAS,
                       occurred=now - datetime.timedelta(days=2, hours=15),
                       description="Meneruskan video kampanye salah satu pasangan calon Pemungutan Suara Ulang "
                                   "Pilkada Kota Banjarbaru ke grup keluarga kantor dengan ajakan \"ayo dukung\".",
                       screenshot=["[video kampanye pasangan calon]", "Ayo dukung, Bapak Ibu"])
        _confirm(report, humas, review_at=now - datetime.timedelta(days=2, hours=-1),
                 decide_at=now - datetime.timedelta(days=1, hours=3),
                 reason="Video berisi ajakan memilih di masa kampanye PSU; melanggar butir 1 kode etik grup.",
                 heard="Mengakui meneruskan video itu dari grup keluarga dan sudah menghapusnya dari grup kantor.")
        with _travel(now - datetime.timedelta(days=1, hours=2)):
            ladder = services.ladder_ensure(actor=humas, institution=institution)
            services.measure_propose(actor=humas, report=report, level=suggest_level(report, ladder=ladder).level)


def seed(ctx) -> None:
    wanted = [ctx.institutions.get(slug) for slug in ("mtsn-1-muara-enim", "kankemenag-muara-enim",
                                                      "kemenag-banjarbaru", "rutan-kudus", "pemkab-oku-timur")]
    _roles_since([institution for institution in wanted if institution is not None])
    with in_app_only():
        _muara_enim(ctx)
        _banjarbaru(ctx)
        _rutan_kudus(ctx)
        _oku_timur_head(ctx)
        _banjarbaru_leave(ctx)
