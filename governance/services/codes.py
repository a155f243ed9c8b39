"""Codes of conduct: drafts started from scratch, a template or the parent's code; rules; publishing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..audit import log_action
from ..models import ChannelKind, CodeVersion, Institution, Role, Rule, RuleCategory, RuleKind, User
from ..signals import code_published
from ..tenancy import institution_scope
from .notifications import notify

RULE_FIELDS = ("number", "category", "kind", "severity", "channel_kinds", "text")


def _refuse_unless_draft(version: CodeVersion) -> None:
    if version.state != CodeVersion.State.DRAFT:
        raise ValidationError(
            _("Version %(number)s is no longer a draft: a published code cannot be changed. Start a new version to change it.")
            % {"number": version.number}, code="not_draft",
        )


def _refuse_if_draft_exists(institution: Institution) -> None:
    draft = selectors.draft_code_version(institution)
    if draft is not None:
        raise ValidationError(
            _("Version %(number)s is still a draft. Publish or discard it before starting another one.")
            % {"number": draft.number}, code="draft_exists", params={"pk": draft.pk},
        )


def _next_number(institution: Institution) -> int:
    return (CodeVersion.objects.filter(institution=institution).aggregate(n=Max("number"))["n"] or 0) + 1


def _renumber_positions(version: CodeVersion) -> None:
    rules = sorted(version.rules.all(), key=lambda r: (selectors.natural_key(r.number), r.pk))
    for position, rule in enumerate(rules, start=1):
        if rule.position != position:
            Rule.objects.filter(pk=rule.pk).update(position=position)


def _new_draft(*, actor, institution, **fields) -> CodeVersion:
    _refuse_if_draft_exists(institution)
    version = CodeVersion(institution=institution, number=_next_number(institution), created_by=actor,
                          state=CodeVersion.State.DRAFT, **fields)
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        raise ValidationError(_("Someone else started a draft at the same moment. Open the code page again."),
                              code="draft_exists") from error
    return version


def _copy_rule(rule: Rule, version: CodeVersion, **overrides) -> Rule:
    values = {name: getattr(rule, name) for name in RULE_FIELDS}
    values.update(lineage=rule.lineage, inherited_from=rule.inherited_from, position=rule.position)
    values.update(overrides)
    return Rule(version=version, **values)


@transaction.atomic
def code_version_start(*, actor: User | None, institution: Institution) -> CodeVersion:
    """A new draft: a copy of the code in force (its rules, title and preamble), or an empty draft
    when nothing has been published yet."""
    with institution_scope(institution):
        current = selectors.current_code_version(institution)
        if current is None:
            version = _new_draft(actor=actor, institution=institution,
                                 title=_("Social media code of conduct"))
        else:
            version = _new_draft(
                actor=actor, institution=institution, title=current.title, preamble=current.preamble,
                source_note=current.source_note, based_on=current, template_key=current.template_key,
                adopted_parent_version=current.adopted_parent_version,
            )
            Rule.objects.bulk_create([_copy_rule(rule, version) for rule in current.rules.all()])
        log_action(action="governance.code.draft_started", institution=institution, actor=actor, target=version,
                   data={"number": version.number, "based_on": current.pk if current else None})
    return version


@transaction.atomic
def code_start_from_template(*, actor: User | None, institution: Institution, template_key: str) -> CodeVersion:
    """A new draft filled from one of the built-in templates (``governance.code_templates``)."""
    from ..code_templates import TEMPLATES

    template = TEMPLATES.get(template_key)
    if template is None:
        raise ValidationError(_("Unknown template."), code="unknown_template")
    with institution_scope(institution):
        version = _new_draft(
            actor=actor, institution=institution, title=template.title, preamble=template.preamble,
            source_note=template.source_note, template_key=template.key,
            based_on=selectors.current_code_version(institution),
        )
        Rule.objects.bulk_create([
            Rule(version=version, number=rule.number, category=rule.category, kind=rule.kind, severity=rule.severity,
                 channel_kinds=list(rule.channel_kinds), text=rule.text, position=position)
            for position, rule in enumerate(template.rules, start=1)
        ])
        log_action(action="governance.code.draft_started", institution=institution, actor=actor, target=version,
                   data={"number": version.number, "template": template.key})
    return version


@transaction.atomic
def code_adopt_parent(*, actor: User | None, institution: Institution) -> CodeVersion:
    """Start a draft from the parent institution's code in force.

    The draft holds a copy of every rule of the parent's published version (``Rule.inherited_from``
    points at the parent's rule, so the child shows where each rule comes from and cannot change
    it) followed by this institution's own rules from its code in force, if any (renumbered after
    the parent's when their numbers collide). Title, preamble and source come from the parent's
    version. The draft still has to be published by the head.

    Raises ``ValidationError`` when there is no parent, the parent has published nothing, or a
    draft is already open here.
    """
    parent = institution.parent if institution.parent_id else None
    if parent is None:
        raise ValidationError(_("This institution has no parent institution to adopt a code from."), code="no_parent")
    with institution_scope(parent):
        parent_version = selectors.current_code_version(parent)
        parent_rules = list(parent_version.rules.all()) if parent_version else []
    if parent_version is None:
        raise ValidationError(
            _("%(parent)s has not published a code of conduct yet, so there is nothing to adopt.") % {"parent": parent.name},
            code="parent_has_no_code",
        )
    with institution_scope(institution):
        current = selectors.current_code_version(institution)
        own = [rule for rule in current.rules.all() if rule.inherited_from_id is None] if current else []
        version = _new_draft(
            actor=actor, institution=institution, title=parent_version.title, preamble=parent_version.preamble,
            source_note=parent_version.source_note, adopted_parent_version=parent_version, based_on=current,
        )
        taken = {rule.number for rule in parent_rules}
        highest = max([int(n) for n in taken if n.isdigit()] or [0])
        rules = [_copy_rule(rule, version, inherited_from=rule, lineage=rule.lineage) for rule in parent_rules]
        for rule in own:
            number = rule.number
            if number in taken:
                highest += 1
                number = str(highest)
            taken.add(number)
            rules.append(_copy_rule(rule, version, number=number, inherited_from=None))
        Rule.objects.bulk_create(rules)
        _renumber_positions(version)
        log_action(action="governance.code.adopted", institution=institution, actor=actor, target=version,
                   data={"number": version.number, "parent": parent.pk, "parent_version": parent_version.pk,
                         "inherited": len(parent_rules), "own": len(own)})
    return version


@transaction.atomic
def code_version_update(*, actor: User | None, version: CodeVersion, title: str, preamble: str = "",
                        source_note: str = "", change_note: str = "") -> CodeVersion:
    institution = version.institution
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_draft(version)
        if not (title or "").strip():
            raise ValidationError({"title": [_("Give the code a title.")]})
        version.title, version.preamble = title.strip(), preamble or ""
        version.source_note, version.change_note = source_note or "", change_note or ""
        version.save()
        log_action(action="governance.code.draft_edited", institution=institution, actor=actor, target=version,
                   data={"number": version.number})
    return version


def _rule_validate(rule: Rule) -> None:
    errors: dict[str, list] = {}
    rule.number = (rule.number or "").strip()
    rule.text = (rule.text or "").strip()
    if not rule.number:
        errors["number"] = [_("Give the rule a number, e.g. 3 or A2.")]
    elif Rule.objects.filter(version=rule.version_id, number__iexact=rule.number).exclude(pk=rule.pk).exists():
        errors["number"] = [_("Number %(number)s is already used in this version. Choose another number.")
                            % {"number": rule.number}]
    if not rule.text:
        errors["text"] = [_("Write the text of the rule.")]
    rule.channel_kinds = sorted(set(rule.channel_kinds or []))
    if set(rule.channel_kinds) - set(ChannelKind.values):
        errors["channel_kinds"] = [_("Unknown channel kind.")]
    if rule.category not in RuleCategory.values:
        errors["category"] = [_("Choose a category.")]
    if rule.kind not in RuleKind.values:
        errors["kind"] = [_("Choose whether the rule prohibits, recommends or permits.")]
    if errors:
        raise ValidationError(errors)


def _refuse_if_inherited(rule: Rule) -> None:
    if rule.inherited_from_id is not None:
        raise ValidationError(
            _("This rule comes from the parent institution's code; it can only be changed there."), code="inherited",
        )


@transaction.atomic
def rule_add(*, actor: User | None, version: CodeVersion, number: str, category: str, kind: str, severity: int,
             text: str, channel_kinds: list[str] | None = None) -> Rule:
    institution = version.institution
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_draft(version)
        rule = Rule(version=version, number=number, category=category, kind=kind, severity=severity, text=text,
                    channel_kinds=list(channel_kinds or []), position=10_000)
        _rule_validate(rule)
        rule.save()
        _renumber_positions(version)
        log_action(action="governance.rule.added", institution=institution, actor=actor, target=rule,
                   data={"version": version.number, "number": rule.number, "category": rule.category, "kind": rule.kind})
    rule.refresh_from_db(fields=["position"])
    return rule


@transaction.atomic
def rule_update(*, actor: User | None, rule: Rule, **fields) -> Rule:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"rule_update cannot change {sorted(unknown)}")
    institution = rule.version.institution
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=rule.version_id)
        _refuse_unless_draft(version)
        rule = Rule.objects.get(pk=rule.pk)
        _refuse_if_inherited(rule)
        before = {name: getattr(rule, name) for name in RULE_FIELDS}
        for name, value in fields.items():
            setattr(rule, name, value)
        _rule_validate(rule)
        changed = sorted(name for name in RULE_FIELDS if getattr(rule, name) != before[name])
        if changed:
            rule.save()
            _renumber_positions(version)
            log_action(action="governance.rule.changed", institution=institution, actor=actor, target=rule,
                       data={"version": version.number, "number": rule.number, "fields": changed})
    return rule


@transaction.atomic
def rule_remove(*, actor: User | None, rule: Rule) -> None:
    """Take a rule out of a draft (published versions keep every rule they had)."""
    institution = rule.version.institution
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=rule.version_id)
        _refuse_unless_draft(version)
        rule = Rule.objects.get(pk=rule.pk)
        _refuse_if_inherited(rule)
        data = {"version": version.number, "number": rule.number, "lineage": str(rule.lineage)}
        log_action(action="governance.rule.removed", institution=institution, actor=actor, target=rule, data=data)
        rule.delete()
        _renumber_positions(version)


def may_publish(actor: User | None, institution: Institution) -> bool:
    from ..tenancy import access_for

    access = access_for(actor, institution) if actor is not None else None
    return access is not None and access.has("governance.publish_code")


@transaction.atomic
def code_publish(*, actor: User, version: CodeVersion) -> CodeVersion:
    """The head puts a draft in force. The previous version is superseded; both stay readable.

    Refused for a version that is not a draft, for a draft without rules and for anyone but the
    head. Sends ``governance.signals.code_published`` in the transaction (members asks staff to
    acknowledge) and tells the heads and Humas of child institutions that they can adopt it.
    """
    institution = version.institution
    if not may_publish(actor, institution):
        raise ValidationError(_("Only the head of the institution can publish the code of conduct."), code="not_head")
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_draft(version)
        rule_count = version.rules.count()
        if rule_count == 0:
            raise ValidationError(_("A code without rules cannot be published. Add at least one rule first."),
                                  code="empty")
        previous = selectors.current_code_version(institution)
        if previous is not None:
            previous.state = CodeVersion.State.SUPERSEDED
            previous.save(update_fields=["state", "updated_at"])
        version.state = CodeVersion.State.PUBLISHED
        version.published_at, version.published_by = timezone.now(), actor
        version.save(update_fields=["state", "published_at", "published_by", "updated_at"])
        log_action(
            action="governance.code.published", institution=institution, actor=actor, target=version,
            data={"number": version.number, "rules": rule_count, "previous": previous.pk if previous else None,
                  "parent_version": version.adopted_parent_version_id},
        )
        code_published.send(sender=CodeVersion, version=version, actor=actor)
    _tell_children(version)
    return version


def _tell_children(version: CodeVersion) -> None:
    institution = version.institution
    for child in Institution.objects.filter(parent=institution, is_active=True).order_by("pk"):
        recipients = selectors.active_members(child, roles=[Role.HEAD, Role.PUBLIC_RELATIONS])
        if not recipients:
            continue
        with institution_scope(child):
            url = reverse("governance:code_versions", kwargs={"institution": child.slug})
            notify(
                recipients=recipients, institution=child, kind="governance.parent_code_published",
                title=gettext_lazy("Your parent institution published a new code of conduct"),
                body=format_lazy(
                    gettext_lazy("{parent} published version {number} of its code of conduct. Open the code page to adopt it "
                          "into a new draft of your own code."),
                    parent=institution.name, number=version.number,
                ),
                url=url,
            )


@transaction.atomic
def code_draft_discard(*, actor: User | None, version: CodeVersion) -> CodeVersion:
    """Set a draft aside. It is kept (state "discarded") so the numbering and the history stay whole."""
    institution = version.institution
    with institution_scope(institution):
        version = CodeVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_draft(version)
        version.state = CodeVersion.State.DISCARDED
        version.save(update_fields=["state", "updated_at"])
        log_action(action="governance.code.draft_discarded", institution=institution, actor=actor, target=version,
                   data={"number": version.number})
    return version
