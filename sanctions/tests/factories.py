"""Factories and helpers for the sanctions tests: staff records, groups, a published code, and
cases walked through the real services so that every object has its audit trail."""

from __future__ import annotations

import datetime
import io

import factory
from django.utils import timezone

from governance.models import ChannelKind, CodeVersion, Institution, Rule, RuleCategory, RuleKind, User
from governance.tests.factories import ChannelFactory
from members.models import GroupMembership, StaffMember
from sanctions import selectors, services
from sanctions.models import LadderLevel, Measure, ReportSource, ViolationReport


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Pegawai Contoh {n}, S.Pd.")
    status = StaffMember.Status.HONORER
    position = "Guru Mata Pelajaran"
    joined_on = datetime.date(2020, 1, 1)


def staff_for(user: User, institution: Institution, **fields) -> StaffMember:
    record = StaffMember.objects.filter(institution=institution, user=user).first()
    return record or StaffMemberFactory(institution=institution, user=user, full_name=user.full_name or user.email,
                                        **fields)


DEFAULT_RULES = [
    ("1", RuleCategory.HOAX, "Tidak menyebarkan berita bohong atau informasi yang belum diperiksa kebenarannya."),
    ("2", RuleCategory.PORNOGRAPHY, "Tidak mengirim gambar, video atau tulisan yang bermuatan pornografi."),
    ("3", RuleCategory.POLITICS, "Tidak membahas politik praktis atau mengajak memilih peserta pemilihan."),
    ("4", RuleCategory.ETIQUETTE, "Menjaga etika dan sopan santun dalam grup."),
]


def publish_code(institution: Institution, rules=DEFAULT_RULES, *, number: int = 1, state="published") -> CodeVersion:
    version = CodeVersion.objects.create(
        institution=institution, number=number, title="Tata Tertib Grup WhatsApp", state=state,
        published_at=timezone.now() if state == "published" else None,
    )
    for position, (num, category, text) in enumerate(rules):
        Rule.objects.create(version=version, number=num, category=category, kind=RuleKind.PROHIBITION,
                            text=text, position=position)
    Rule.objects.create(version=version, number=str(len(rules) + 1), category=RuleCategory.OTHER,
                        kind=RuleKind.PERMISSION, text="Boleh mempromosikan produk.", position=len(rules))
    return version


def ensure_code(institution: Institution, rules=DEFAULT_RULES) -> CodeVersion:
    """The institution's code in force with the default rules in it: published here when another
    app's test data has not published one already, else the rules are added to that one."""
    version = CodeVersion.objects.filter(institution=institution, state="published").first()
    if version is None:
        return publish_code(institution, rules)
    offset = version.rules.count()
    for position, (num, category, text) in enumerate(rules, start=offset):
        Rule.objects.create(version=version, number=f"{offset}.{num}", category=category, kind=RuleKind.PROHIBITION,
                            text=text, position=position)
    return version


def group(institution: Institution, **fields):
    return ChannelFactory(institution=institution, kind=ChannelKind.WHATSAPP_GROUP, **fields)


def join(channel, staff: StaffMember, role=GroupMembership.Role.MEMBER) -> GroupMembership:
    return GroupMembership.objects.create(channel=channel, staff=staff, role=role, since=datetime.date(2024, 1, 1))


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF (produced by WeasyPrint, as a scanned statement would be)."""
    from weasyprint import HTML

    return HTML(string="<p>Pernyataan saksi</p>").write_pdf()


def rule_ids(institution, *categories, at=None):
    """Prohibitions of the current version, or of the version in force ``at`` a moment."""
    if at is not None:
        from sanctions.selectors import citable_rules

        qs = citable_rules(institution, at=at)
    else:
        qs = Rule.objects.filter(version__institution=institution, version__state="published",
                                 kind=RuleKind.PROHIBITION)
    if categories:
        qs = qs.filter(category__in=categories)
    return list(qs.values_list("pk", flat=True))


def file_report(institution, *, reporter, subject_staff=None, subject_name="", channel=None, categories=(RuleCategory.HOAX,),
                occurred_at=None, evidence=(), source=ReportSource.STAFF, **extra) -> ViolationReport:
    occurred_at = occurred_at or timezone.now() - datetime.timedelta(hours=3)
    return services.report_submit(
        actor=reporter, institution=institution, subject_staff=subject_staff, subject_name=subject_name,
        channel=channel, place_note="" if channel else "Akun Facebook pribadi", occurred_at=occurred_at,
        rule_ids=rule_ids(institution, *categories, at=occurred_at), description="Mengirim pesan berantai yang tidak benar.",
        source=source, evidence=list(evidence), **extra,
    )


def confirmed_report(institution, *, humas, **kwargs) -> ViolationReport:
    report = file_report(institution, reporter=kwargs.pop("reporter", humas), **kwargs)
    services.report_start_review(actor=humas, report=report)
    return services.report_confirm(actor=humas, report=report, reason="Bukti tangkapan layar jelas.")


def dismissed_report(institution, *, humas, **kwargs) -> ViolationReport:
    report = file_report(institution, reporter=kwargs.pop("reporter", humas), **kwargs)
    services.report_start_review(actor=humas, report=report)
    return services.report_dismiss(actor=humas, report=report, reason="Tidak terbukti.")


def level(institution, position: int) -> LadderLevel:
    ladder = services.ladder_ensure(actor=None, institution=institution)
    return ladder.levels.get(position=position)


def hear(report: ViolationReport, humas) -> None:
    """Public relations records what the person said, so that a measure may be decided at once."""
    if selectors.is_subject(humas, report):
        humas = next(u for u in selectors.triage_colleagues(report.institution) if not selectors.is_subject(u, report))
    services.explanation_record(actor=humas, report=report, how="oral",
                                text="Yang bersangkutan mengakui dan menyesal (keterangan lisan).")


def proposed_measure(institution, *, humas, position=None, reason="", heard=True, **kwargs) -> Measure:
    """A confirmed report with a proposal; the person has been heard unless ``heard=False``."""
    report = confirmed_report(institution, humas=humas, **kwargs)
    if heard:
        hear(report, humas)
    from sanctions.selectors import suggest_level

    ladder = services.ladder_ensure(actor=None, institution=institution)
    chosen = level(institution, position) if position else suggest_level(report, ladder=ladder).level
    return services.measure_propose(actor=humas, report=report, level=chosen, reason=reason or
                                    ("Tingkat dipilih khusus." if position else ""))


def approved_measure(institution, *, humas, head, **kwargs) -> Measure:
    measure = proposed_measure(institution, humas=humas, **kwargs)
    return services.measure_approve(actor=head, measure=measure, reason="Sesuai tata tertib grup.")
