"""What Santun holds about one person (UU 27/2022 on personal data protection: the right to see it).

Each app registers the sections it holds about a user in its ``AppConfig.ready``; a section is a
list of rows (label → value, already in the reader's language) and, optionally, files (a name and
a function returning the bytes). The page and the download read only the signed-in person's own
records, across every institution they have been at.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Membership, User
from .tenancy import own_records_scope


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    title: str
    collect: Callable[[User], list[dict]]
    files: Callable[[User], list[tuple[str, Callable[[], bytes]]]] | None = None
    order: int = 100
    # A form shown below the section (e.g. "this is wrong"), with its context from the request.
    form_template: str = ""
    form_context: Callable | None = None


_sections: dict[str, PersonalDataSection] = {}


def register_personal_data(section: PersonalDataSection) -> None:
    _sections[section.key] = section


def _account(user: User) -> list[dict]:
    return [{
        _("Name"): user.get_full_name() or user.email,
        _("E-mail"): user.email,
        _("Language"): user.get_language_display(),
        _("Account since"): timezone.localtime(user.date_joined).date(),
        _("Last sign-in"): timezone.localtime(user.last_login).date() if user.last_login else "—",
    }]


def _memberships(user: User) -> list[dict]:
    return [{
        _("Institution"): membership.institution.name,
        _("Role"): membership.get_role_display(),
        _("From"): membership.starts_on,
        _("Until"): membership.ends_on or "—",
    } for membership in Membership.objects.filter(user=user).select_related("institution").order_by("pk")]


register_personal_data(PersonalDataSection("account", gettext_lazy("Account"), _account, order=10))
register_personal_data(PersonalDataSection("roles", gettext_lazy("Roles in institutions"), _memberships, order=20))


@dataclass
class CollectedSection:
    section: PersonalDataSection
    columns: list[str]
    rows: list[list[tuple[str, object]]]  # (column, value) per cell: a phone shows each cell with its column
    form: dict


def personal_data(request) -> list[CollectedSection]:
    """Every registered section with the signed-in person's own rows, in order."""
    user = request.user
    collected = []
    with own_records_scope(user):
        for section in sorted(_sections.values(), key=lambda s: s.order):
            rows = section.collect(user)
            columns = [str(key) for key in rows[0]] if rows else []
            form = section.form_context(request) if section.form_context else {}
            collected.append(CollectedSection(section, columns, [list(zip(columns, row.values(), strict=True))
                                                                 for row in rows], form))
    return collected


def personal_data_archive(user: User) -> bytes:
    """One ZIP: ``data.json`` with every section, and the person's own files (letters)."""
    buffer = io.BytesIO()
    with own_records_scope(user):
        sections = sorted(_sections.values(), key=lambda s: s.order)
        data = {"generated_at": timezone.now(), "sections": {
            section.key: {"title": str(section.title), "rows": [{str(k): v for k, v in row.items()}
                                                                for row in section.collect(user)]}
            for section in sections}}
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            for section in sections:
                for name, read in (section.files(user) if section.files else []):
                    archive.writestr(f"{section.key}/{name}", read())
    return buffer.getvalue()
