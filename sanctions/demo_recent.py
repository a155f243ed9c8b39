"""The demo's recent months: cases dated back from the day the demo is loaded, so that on any day
the queue, the decisions waiting and the statistics show the last half-year in every state (new,
in review, dismissed, confirmed with a warning delivered, a measure waiting for the head) at
MTsN 1 Muara Enim and the Kankemenag above it. Walked through the real services, like
``sanctions.demo``; idempotent (skipped when its first report exists). All people are fictional.
"""

from __future__ import annotations

import datetime

from governance.models import Role, RuleCategory
from governance.tenancy import institution_scope

from . import services
from .demo import (
    _at,
    _confirm,
    _deliver,
    _ensure_group,
    _ensure_member,
    _expire_until_today,
    _file,
    _propose_and_approve,
    _staff_of,
    _staff_without_account,
    _travel,
)
from .models import ReportSource, ViolationReport
from .notifications import in_app_only

C = RuleCategory


def _working_day_back(today: datetime.date, days: int) -> datetime.date:
    """``days`` calendar days back, moved to the Friday before when it falls on a weekend."""
    day = today - datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _after(moment: datetime.datetime, working_days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment ``working_days`` working days after ``moment`` (0: the same day), at the given time."""
    day = moment
    for _ in range(working_days):
        day += datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    return day.replace(hour=hour, minute=minute)


def _clock(institution):
    today = institution.local_today()

    def at(days_back: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
        day = _working_day_back(today, days_back)
        return _at(institution, day.year, day.month, day.day, hour, minute)
    return at


# (days back, category, description, screenshot lines, what happened to it)
MTSN_CASES = [
    (150, C.HOAX, "Meneruskan pesan berantai tentang vaksin yang disebut mengandung bahan berbahaya, lengkap dengan "
                  "nama rumah sakit yang tidak pernah mengeluarkan pernyataan itu.",
     ["Awas!! Vaksin terbaru", "mengandung zat berbahaya"], "warned"),
    (122, C.HOAX, "Membagikan kabar pemotongan tunjangan profesi guru bulan depan; ternyata surat edaran resmi "
                  "Kementerian Agama yang dibagikan dengan keterangan yang keliru.",
     ["Tunjangan dipotong 50%", "mulai bulan depan"], "dismissed"),
    (96, C.SARA, "Mengirim lelucon yang merendahkan suku tertentu di grup santai guru dan pegawai.",
     ["[gambar lelucon]", "hahaha cocok kan"], "warned_informal"),
    (71, C.HARASSMENT, "Dilaporkan mengirim stiker seorang pejabat; pemeriksaan menunjukkan stiker itu dibuat oleh "
                       "pejabat itu sendiri untuk sosialisasi.",
     ["[stiker sosialisasi]"], "dismissed"),
    (46, C.POLITICS, "Membagikan ulang unggahan seorang bakal calon kepala daerah dengan komentar dukungan di grup "
                     "resmi madrasah.",
     ["[unggahan bakal calon]", "Mantap, lanjutkan!"], "warned"),
    (31, C.HOAX, "Meneruskan tautan undian berhadiah yang mengatasnamakan Kementerian Agama dan meminta data pribadi.",
     ["Selamat! Anda terpilih", "klik tautan ini"], "waiting_head"),
    (19, C.PORNOGRAPHY, "Sebuah video bermuatan tidak senonoh terkirim ke grup resmi; yang bersangkutan menyebut "
                        "ponselnya dipakai anaknya.",
     ["[video disamarkan]"], "in_review"),
    (8, C.HOAX, "Meneruskan foto banjir dari daerah lain dengan keterangan bahwa jalan menuju madrasah terputus.",
     ["Jalan ke madrasah putus", "hari ini libur?"], "new"),
    (3, C.POLITICS, "Mengirim ajakan menghadiri deklarasi relawan salah satu calon ke grup resmi.",
     ["Hadirilah deklarasi relawan", "Minggu pagi"], "new"),
]

KANKEMENAG_CASES = [
    (104, "Memberi tanda suka dan komentar dukungan pada unggahan kampanye di akun pribadi yang memakai foto "
          "berseragam dinas.", ["[komentar dukungan]"], "warned"),
    (58, "Dilaporkan berfoto dengan simbol jari salah satu pasangan calon; foto itu diambil sebelum masa pencalonan "
         "dan tidak berkaitan dengan kampanye.", ["[foto bersama]"], "dismissed"),
    (12, "Membagikan jadwal kampanye salah satu calon ke grup keluarga besar kantor.",
     ["Jadwal kampanye", "ayo ramaikan"], "in_review"),
]

HEARD = {
    C.HOAX: "Mengaku meneruskan tanpa memeriksa kebenarannya dan sudah menghapus pesan itu dari grup.",
    C.SARA: "Menyatakan hanya bercanda, meminta maaf kepada rekan yang tersinggung.",
    C.POLITICS: "Menyatakan tidak tahu bahwa membagikan ulang termasuk keberpihakan; bersedia menghapusnya.",
}


def _walk(institution, *, cases, reporter, humas, head, channel, informal, people, ref_prefix, parent_head=None,
          render_letters=True):
    """File each case and take it as far as its outcome says: ``new``, ``in_review``, ``dismissed``,
    ``waiting_head`` (a measure proposed), ``warned``/``warned_informal`` (approved and delivered),
    ``referred`` (confirmed and handed to the neutrality process) or ``objection`` (warned, the
    objection kept by the head, the appeal waiting for ``parent_head``). Where the institution's
    policy refers every confirmed case, a confirmed case is a referral whatever its outcome; a
    referral's outcome is recorded once the case is two months old. Without ``render_letters`` a
    letter's PDF is made at its first download."""
    at = _clock(institution)
    for index, (days, category, description, screenshot, outcome) in enumerate(cases):
        person = people[index % len(people)]
        where = informal if outcome == "warned_informal" and informal is not None else channel
        filed = at(days, 8, 10)
        report = _file(institution, at=filed, ref=f"{ref_prefix}:{index + 1}", reporter=reporter,
                       staff=person, channel=where, categories=[category], source=ReportSource.STAFF,
                       occurred=filed - datetime.timedelta(hours=12, minutes=40), description=description, screenshot=screenshot)
        if outcome == "new":
            continue
        if outcome == "in_review":
            with _travel(_after(filed, 0, 10)):
                services.report_assign(actor=humas, report=report, assignee=humas)
            continue
        if outcome == "dismissed":
            with _travel(_after(filed, 0, 9, 30)):
                services.report_assign(actor=humas, report=report, assignee=humas)
            with _travel(_after(filed, 1, 10)):
                services.report_dismiss(actor=humas, report=report,
                                        reason="Setelah diperiksa, isi kiriman tidak melanggar kode etik.")
            continue
        _confirm(report, humas, review_at=_after(filed, 0, 9, 30), decide_at=_after(filed, 1, 10),
                 reason="Tangkapan layar jelas dan yang bersangkutan mengakuinya.",
                 heard=HEARD.get(category, "Mengakui kiriman itu dan meminta maaf."))
        if outcome == "waiting_head":
            with _travel(_after(filed, 1, 11)):
                ladder = services.ladder_ensure(actor=humas, institution=institution)
                from .selectors import suggest_level

                services.measure_propose(actor=humas, report=report, level=suggest_level(report, ladder=ladder).level)
            continue
        referral = report.referrals.first()  # a referral-only policy refers every confirmed case
        if referral is None and outcome == "referred":
            referral = _refer(report, head, filed=filed)
        if referral is not None:
            if days > 60:
                _record_outcome(referral, head, decided=_after(filed, 18, 14))
            continue
        measure = _propose_and_approve(report, humas, head, propose_at=_after(filed, 1, 11),
                                       approve_at=_after(filed, 2, 8), reason="Pelanggaran pertama; cukup peringatan.",
                                       render=render_letters)
        _deliver(measure, humas, at=_after(filed, 3, 9), method="in_person")
        if outcome == "objection" and parent_head is not None:
            _object_then_appeal(measure, humas, head, filed=filed)


def _refer(report, head, *, filed):
    from .models import ReferralTrack

    referred = _after(filed, 3, 10)
    with _travel(referred):
        return services.referral_create(
            actor=head, report=report, track=ReferralTrack.NEUTRALITY, referred_on=referred.date(),
            due_on=_after(referred, 20, 10).date(), referred_to="Inspektorat Jenderal Kementerian Agama",
            note="Dugaan pelanggaran netralitas ASN; berkas dan klarifikasi terlampir.")


def _record_outcome(referral, head, *, decided) -> None:
    with _travel(decided):
        services.referral_record_outcome(
            actor=head, referral=referral, outcome_on=decided.date(),
            outcome="Hasil pemeriksaan: yang bersangkutan dinyatakan melanggar dan dijatuhi sanksi moral berupa "
                    "pernyataan secara tertutup (data contoh).")


def _object_then_appeal(measure, humas, head, *, filed) -> None:
    """The person objects; the head reconsiders and keeps the measure; the appeal waits above."""
    with _travel(_after(filed, 5, 10)):
        objection = services.objection_file(
            actor=humas, measure=measure,
            text="Yang bersangkutan menyatakan hanya meneruskan surat edaran yang ia terima dan sudah meralatnya "
                 "di grup keesokan harinya.")
    with _travel(_after(filed, 8, 14)):
        services.objection_decide(actor=head, objection=objection, upheld=False,
                                  reason="Ralat dikirim setelah kabar itu menimbulkan keresahan orang tua siswa.")
    with _travel(_after(filed, 10, 9)):
        services.appeal_file(
            actor=humas, objection=objection,
            text="Yang bersangkutan mengajukan banding: ralat dikirim sebelum ada keluhan resmi, dan ia belum "
                 "pernah ditegur sebelumnya.")


def seed(ctx) -> None:
    mtsn = ctx.institutions.get("mtsn-1-muara-enim")
    office = ctx.institutions.get("kankemenag-muara-enim")
    with in_app_only():
        for institution, cases, slug in ((mtsn, MTSN_CASES, "mtsn"), (office, KANKEMENAG_CASES, "kankemenag")):
            if institution is None:
                continue
            head, humas, pegawai = (ctx.users.get((institution.slug, role))
                                    for role in (Role.HEAD, Role.PUBLIC_RELATIONS, Role.STAFF))
            if not all((head, humas, pegawai)):
                continue
            with institution_scope(institution):
                if ViolationReport.objects.filter(institution=institution, source_ref=f"demo:recent:{slug}:1").exists():
                    continue
                people = _staff_without_account(institution)[4:] or _staff_without_account(institution)
                if not people:
                    continue
                if slug == "mtsn":
                    # Version 2 of the ladder: SP2 stays a year; measures decided before keep version 1.
                    with _travel(_clock(institution)(200, 10, 0)):
                        ladder = services.ladder_ensure(actor=head, institution=institution)
                        rungs = [{key: getattr(level, key) for key in services.LADDER_LEVEL_FIELDS}
                                 for level in ladder.levels.order_by("position")]
                        for rung in rungs:
                            if rung["code"] == "SP2":
                                rung["active_months"] = 12
                        services.ladder_save(actor=head, institution=institution, levels=rungs,
                                             change_note="SP2 kini berlaku 12 bulan, sesuai rapat dinas guru dan "
                                                         "pegawai; SP1 dan pengeluaran dari grup tetap.")
                    channel = _ensure_group(institution, "Grup WA Resmi MTs Negeri 1 Muara Enim")
                    informal = institution_channel(institution, "Grup Santai Guru dan Pegawai MTsN 1")
                    walked = cases
                else:
                    channel = _ensure_group(institution, "Grup Keluarga Besar Kemenag Muara Enim")
                    informal = None
                    walked = [(days, C.POLITICS, text, shot, outcome) for days, text, shot, outcome in cases]
                for person in people:
                    for group in (channel, informal):
                        if group is not None:
                            _ensure_member(group, person)
                _walk(institution, cases=walked, reporter=pegawai, humas=humas, head=head, channel=channel,
                      informal=informal, people=people, ref_prefix=f"demo:recent:{slug}")
                if slug == "mtsn":
                    _propose_ladder_change(institution, humas)
                    _hearings(institution, reporter=pegawai, humas=humas, channel=channel,
                              operator=ctx.users.get((institution.slug, Role.OPERATOR)))
                _expire_until_today(institution)


def _hearings(institution, *, reporter, humas, channel, operator) -> None:
    """The two other ways a person is heard, each on a case waiting for the head: the Kaur TU, who has
    an account, explains in Santun; a staff member away on official travel is not heard, and Humas
    writes why."""
    at = _clock(institution)
    away = _staff_without_account(institution)[0]
    cases = [
        (6, "demo:recent:mtsn:heard-online", _staff_of(operator, institution) if operator else None,
         "Meneruskan tangkapan layar daftar nilai rapor siswa ke grup resmi, lengkap dengan nama dan NISN.",
         ["Daftar nilai kelas IX", "NISN 00xxxxxx"]),
        (5, "demo:recent:mtsn:not-heard", away,
         "Mengirim pesan berantai tentang pembagian bantuan kuota internet yang meminta nomor rekening.",
         ["Bantuan kuota gratis", "kirim no rekening"]),
    ]
    for days, ref, person, description, screenshot in cases:
        if person is None:
            continue
        filed = at(days, 8, 20)
        report = _file(institution, at=filed, ref=ref, reporter=reporter, staff=person, channel=channel,
                       categories=[C.HOAX], occurred=filed - datetime.timedelta(hours=14), description=description,
                       screenshot=screenshot)
        _confirm(report, humas, review_at=_after(filed, 0, 9, 30), decide_at=_after(filed, 1, 10),
                 reason="Tangkapan layar jelas; pesan memuat data pribadi atau ajakan yang menyesatkan.")
        with _travel(_after(filed, 2, 7, 45)):
            if ref.endswith("heard-online"):
                services.explanation_give(
                    actor=operator, report=report,
                    text="Saya mengirimnya untuk wali kelas IX dan salah memilih grup. Pesan sudah saya hapus "
                         "beberapa menit kemudian dan saya kirim ulang lewat jalur pribadi.")
            else:
                services.explanation_skip(
                    actor=humas, report=report,
                    reason="Yang bersangkutan sedang dinas luar kota mendampingi lomba siswa sampai pekan depan dan "
                           "tidak dapat dihubungi; pesan sudah dihapus admin grup.")
        with _travel(_after(filed, 2, 9)):
            ladder = services.ladder_ensure(actor=humas, institution=institution)
            from .selectors import suggest_level

            services.measure_propose(actor=humas, report=report, level=suggest_level(report, ladder=ladder).level)


def _propose_ladder_change(institution, humas) -> None:
    """An open proposal from Humas on the head's ladder page: SP1 stays active three months longer."""
    with _travel(_clock(institution)(4, 13, 15)):
        ladder = services.ladder_ensure(actor=humas, institution=institution)
        rungs = [{key: getattr(level, key) for key in services.LADDER_LEVEL_FIELDS}
                 for level in ladder.levels.order_by("position")]
        rungs[0]["active_months"] += 3
        services.ladder_propose(actor=humas, institution=institution, levels=rungs,
                                note="Teguran pertama sering terulang dalam semester yang sama; usul SP1 berlaku "
                                     "tiga bulan lebih lama agar tercatat sampai penilaian semester.")


def institution_channel(institution, name):
    from governance.models import Channel

    return Channel.objects.filter(institution=institution, name=name).first()
