"""Onboarding: a child institution is added below its parent, with its first head and operator
invited. Renaming and moving institutions belong to governance (``governance.services``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, Role, User
from governance.selectors import current_code_version
from governance.services import code_adopt_parent, institution_create
from governance.tenancy import institution_scope

from .. import selectors
from ..validators import validate_nsm, validate_region
from ._common import LEAF_KINDS
from .invitations import invitation_create
from .staff import staff_create


def _check_institution_fields(*, kind: str, province_code: str, regency_code: str, timezone_name: str, nsm: str) -> None:
    errors = {}
    try:
        validate_region(province_code, regency_code, timezone_name)
    except ValidationError as error:
        errors.update(error.message_dict)
    if kind == Institution.Kind.MADRASAH:
        if not nsm:
            errors["nsm"] = [_("A madrasah needs its NSM (12 digits).")]
        else:
            try:
                validate_nsm(nsm, province_code=province_code, regency_code=regency_code)
            except ValidationError as error:
                errors["nsm"] = error.messages
    elif nsm:
        errors["nsm"] = [_("Only madrasahs have an NSM; leave it empty.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def institution_onboard(
    *, actor: User | None, parent: Institution, name: str, slug: str, kind: str, province_code: str = "",
    regency_code: str = "", timezone_name: str = "Asia/Jakarta", nsm: str = "", letter_unit_code: str = "",
    head_name: str, head_email: str, operator_name: str, operator_email: str,
) -> Institution:
    """Add a child institution under ``parent`` and invite its first head and operator."""
    if not selectors.may_onboard_at(actor, parent):
        raise PermissionDenied
    if parent.kind in LEAF_KINDS:
        raise ValidationError(_("No institution can be added below a %(kind)s.") % {"kind": parent.get_kind_display().lower()})
    nsm = "".join(nsm.split())
    _check_institution_fields(kind=kind, province_code=province_code, regency_code=regency_code,
                              timezone_name=timezone_name, nsm=nsm)
    if Institution.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short address is already taken; choose another.")})
    if head_email.strip().lower() == operator_email.strip().lower():
        raise ValidationError({"operator_email": _("The head and the operator need different e-mail addresses.")})
    institution = institution_create(
        actor=actor, parent=parent, name=" ".join(name.split()), slug=slug, kind=kind, province_code=province_code,
        regency_code=regency_code, timezone=timezone_name, nsm=nsm, letter_unit_code=letter_unit_code.strip(),
    )
    invitations = []
    for role, person_name, email in ((Role.HEAD, head_name, head_email), (Role.OPERATOR, operator_name, operator_email)):
        try:
            staff = staff_create(actor=actor, institution=institution, full_name=person_name, email=email)
        except ValidationError as error:
            prefix = "head" if role == Role.HEAD else "operator"
            raise ValidationError({f"{prefix}_name" if "full_name" in error.message_dict else f"{prefix}_email":
                                   error.messages}) from None
        try:
            invitations.append(invitation_create(actor=actor, staff=staff, role=role, email=email, _checked=True))
        except ValidationError as error:
            prefix = "head" if role == Role.HEAD else "operator"
            raise ValidationError({f"{prefix}_email": error.messages}) from None
    log_action(action="members.institution.onboarded", institution=parent, actor=actor, target=institution,
               data={"institution": institution.pk, "kind": kind, "invitations": [i.pk for i in invitations]})
    # The new institution starts from its parent's code in force: a draft holding the parent's
    # rules, which its own head publishes (only a head puts a code in force).
    with institution_scope(institution.parent):
        parent_has_code = current_code_version(institution.parent) is not None
    if parent_has_code:
        code_adopt_parent(actor=actor, institution=institution)
    return institution
