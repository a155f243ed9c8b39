"""An institution's own settings: its profile (name, address, contact, letterhead, logo, time zone,
region) and its letters (unit code, classification codes, number template). The head and the
operator change them in the portal, platform operators in the Django admin; every change goes
through ``institution_settings_update`` and leaves one audit entry naming the fields it changed.
A change reaches letters issued afterwards only: an issued letter keeps its number and letterhead.
"""

from __future__ import annotations

import io
import uuid

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import log_action
from ..models import Institution, TimeZone, User
from ..numbering import letter_kinds, validate_number_template
from ..tenancy import access_for

SETTINGS_PERMISSION = "governance.manage_settings"
PROFILE_FIELDS = ("name", "address", "phone", "email", "letterhead", "timezone", "province_code", "regency_code")
LETTER_FIELDS = ("letter_unit_code", "letter_classification_code", "letter_classification_overrides",
                 "letter_number_template")
# What the admin may change besides these (the tree itself moves through ``institution_move``).
ADMIN_FIELDS = ("slug", "kind", "nsm", "is_active")
EDITABLE_FIELDS = PROFILE_FIELDS + LETTER_FIELDS + ADMIN_FIELDS

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2000 * 2000
LETTERHEAD_MAX_LINES = 4


def may_configure(user: User | None, institution: Institution) -> bool:
    """The system, platform operators, and the institution's head and operator."""
    if user is None or user.is_superuser or user.is_staff:
        return True
    access = access_for(user, institution)
    return access is not None and access.has_here(SETTINGS_PERMISSION)


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid telephone number. Write it like 0734 421234 or +62 734 421234."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _letterhead(value: str) -> str:
    lines = [" ".join(line.split()) for line in (value or "").splitlines() if line.strip()]
    if len(lines) > LETTERHEAD_MAX_LINES:
        raise ValidationError(_("A letterhead has at most %(count)d lines above the institution's name.")
                              % {"count": LETTERHEAD_MAX_LINES})
    if any(len(line) > 120 for line in lines):
        raise ValidationError(_("A letterhead line has at most 120 characters."))
    return "\n".join(lines)


def _overrides(value) -> dict[str, str]:
    known = {kind.key for kind in letter_kinds()}
    out = {}
    for key, code in (value or {}).items():
        code = (code or "").strip()
        if key not in known:
            raise ValidationError(_("Unknown letter kind: %(kind)s.") % {"kind": key})
        if len(code) > 32:
            raise ValidationError(_("A classification code has at most 32 characters."))
        if code:
            out[key] = code
    return out


def _clean_value(name: str, value, errors: dict):
    try:
        if name == "name":
            value = " ".join((value or "").split())
            if not value:
                raise ValidationError(_("Write the institution's name."))
        elif name == "phone":
            value = _phone(value)
        elif name == "email":
            value = (value or "").strip().lower()
            if value:
                validate_email(value)
        elif name == "letterhead":
            value = _letterhead(value)
        elif name == "timezone" and value not in TimeZone.values:
            raise ValidationError(_("Choose WIB, WITA or WIT."))
        elif name == "letter_number_template":
            value = (value or "").strip()
            validate_number_template(value)
        elif name == "letter_classification_overrides":
            value = _overrides(value)
        elif name == "letter_classification_code":
            value = (value or "").strip()
            if not value:
                raise ValidationError(_("Write the archive classification code, for example KP.04.2."))
        elif isinstance(value, str):
            value = value.strip()
    except ValidationError as error:
        errors[name] = error.messages if name != "email" else [_("This is not a valid e-mail address.")]
    return value


def _check_region(institution: Institution, errors: dict) -> None:
    province, regency = institution.province_code, institution.regency_code
    if regency and province and not regency.startswith(f"{province}.") and "regency_code" not in errors:
        errors["regency_code"] = [_("The regency code %(regency)s does not lie in province %(province)s.")
                                  % {"regency": regency, "province": province}]


def logo_checked(data: bytes) -> str:
    """The file extension of an acceptable logo (PNG or JPEG, by its content), or a refusal."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo may be at most %(size)d KB.") % {"size": LOGO_MAX_BYTES // 1024}})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError({"logo": _("The logo may be at most 2000 × 2000 pixels.")})
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")}) from None
    if kind not in ("PNG", "JPEG"):
        raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
    return "png" if kind == "PNG" else "jpg"


def settings_errors(values: dict, *, logo: bytes | None = None) -> dict[str, list[str]]:
    """What ``institution_settings_update`` would refuse in ``values`` (for a form to show first)."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        _clean_value(name, value, errors)
    if logo is not None:
        try:
            logo_checked(logo)
        except ValidationError as error:
            errors.update(error.message_dict)
    return errors


@transaction.atomic
def institution_settings_update(*, actor: User | None, institution: Institution, logo: bytes | None = None,
                                remove_logo: bool = False, **values) -> Institution:
    """Change some of ``EDITABLE_FIELDS`` (and the logo). Refuses with every field's problem at once
    and saves nothing then; writes one audit entry with the names of the fields that changed."""
    if not may_configure(actor, institution):
        raise PermissionDenied
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not a setting: {sorted(unknown)}")
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    errors: dict[str, list[str]] = {}
    changed = []
    for name, value in values.items():
        value = _clean_value(name, value, errors)
        if name not in errors and value != getattr(institution, name):
            setattr(institution, name, value)
            changed.append(name)
    extension = None
    if logo is not None:
        try:
            extension = logo_checked(logo)
        except ValidationError as error:
            errors.update(error.message_dict)
    _check_region(institution, errors)
    if not errors:
        try:
            institution.full_clean(exclude=["parent", "path", "depth", "logo"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if extension:
        # A new name each time: letters issued earlier keep pointing at the logo they were issued with.
        institution.logo = default_storage.save(f"logos/{institution.pk}/{uuid.uuid4().hex}.{extension}",
                                                ContentFile(logo))
        changed.append("logo")
    elif remove_logo and institution.logo:
        institution.logo = ""
        changed.append("logo")
    if changed:
        institution.save(update_fields=changed)
        log_action(action="governance.institution.settings_changed", institution=institution, actor=actor,
                   target=institution, data={"fields": changed})
    return institution
