"""What sanctions holds about a person, for their "my data" page (registered in apps.py).

Cases about the person never name who reported them."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.personal_data import PersonalDataSection, register_personal_data

from .models import Appeal, Measure, Objection, ViolationReport, WarningLetter


def _rules(report) -> str:
    return ", ".join(rule.number for rule in report.rules.all()) or "—"


def reports_filed(user) -> list[dict]:
    return [{
        _("Institution"): report.institution.name,
        _("Filed on"): timezone.localtime(report.created_at).date(),
        _("Where"): report.channel.name if report.channel_id else report.place_note or "—",
        _("Rules"): _rules(report),
        _("Outcome"): report.get_state_display(),
    } for report in ViolationReport.objects.filter(reporter=user)
        .select_related("institution", "channel").prefetch_related("rules").order_by("created_at")]


def cases_about_me(user) -> list[dict]:
    return [{
        _("Institution"): report.institution.name,
        _("When"): timezone.localtime(report.occurred_at).date(),
        _("Where"): report.channel.name if report.channel_id else report.place_note or "—",
        _("Rules"): _rules(report),
        _("State"): report.get_state_display(),
    } for report in ViolationReport.objects.filter(subject_staff__user=user)
        .select_related("institution", "channel").prefetch_related("rules").order_by("occurred_at")]


def measures_about_me(user) -> list[dict]:
    rows = []
    for measure in (Measure.objects.filter(report__subject_staff__user=user)
                    .select_related("institution").order_by("proposed_at")):
        letter = WarningLetter.objects.filter(measure=measure).first()
        rows.append({
            _("Institution"): measure.institution.name,
            _("Measure"): measure.level_name,
            _("State"): measure.get_state_display(),
            _("Active from"): measure.active_from or "—",
            _("Active until"): measure.active_until or "—",
            _("Letter"): letter.number if letter else "—",
        })
    return rows


def _filed(items) -> list[dict]:
    """Objections or appeals the person filed, with what became of them."""
    return [{
        _("Institution"): item.institution.name,
        _("Filed on"): timezone.localtime(item.filed_at).date(),
        _("Grounds"): item.text,
        _("State"): item.get_state_display(),
        _("Reason of the decision"): item.decision_reason or "—",
    } for item in items.select_related("institution").order_by("filed_at")]


def objections_of_mine(user) -> list[dict]:
    return _filed(Objection.objects.filter(measure__report__subject_staff__user=user))


def appeals_of_mine(user) -> list[dict]:
    return _filed(Appeal.objects.filter(objection__measure__report__subject_staff__user=user))


def my_letters(user) -> list[tuple[str, object]]:
    files = []
    for letter in (WarningLetter.objects.filter(measure__report__subject_staff__user=user)
                   .exclude(pdf="").order_by("issued_on", "pk")):
        name = re.sub(r"[^A-Za-z0-9.-]+", "-", letter.number).strip("-") or str(letter.pk)

        def read(letter=letter):
            with letter.pdf.open("rb") as pdf:
                return pdf.read()

        files.append((f"surat-{name}.pdf", read))
    return files


def register() -> None:
    register_personal_data(PersonalDataSection("reports_filed", gettext_lazy("Reports I filed"), reports_filed,
                                               order=60))
    register_personal_data(PersonalDataSection("cases", gettext_lazy("Cases about me"), cases_about_me, order=70))
    register_personal_data(PersonalDataSection("measures", gettext_lazy("Measures and letters about me"),
                                               measures_about_me, files=my_letters, order=80))
    register_personal_data(PersonalDataSection("objections", gettext_lazy("My objections"), objections_of_mine,
                                               order=90))
    register_personal_data(PersonalDataSection("appeals", gettext_lazy("My appeals"), appeals_of_mine, order=95))
