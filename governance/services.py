"""Writes of the governance app. Each one changes state and logs it in the same transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from . import links, selectors
from .audit import log_action
from .models import (
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionReminder,
    Institution,
    Membership,
    Notification,
    Publication,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
    User,
)
from .signals import code_published
from .tenancy import institution_scope


@transaction.atomic
def institution_create(*, actor: User | None, parent: Institution | None, **fields) -> Institution:
    institution = Institution(parent=parent, **fields)
    institution.full_clean()
    institution.save()
    log_action(
        action="governance.institution.created",
        institution=institution,
        actor=actor,
        target=institution,
        data={"slug": institution.slug, "kind": institution.kind, "parent": parent.pk if parent else None},
    )
    return institution


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, institution: Institution, role: str,
    starts_on: datetime.date | None = None,
) -> Membership:
    """Give ``user`` a role at ``institution``. Who may grant which role is checked by the caller's
    permission (``members.manage_roles`` below head, ``members.grant_head`` for heads)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with institution_scope(institution):
        existing = Membership.objects.active().filter(user=user, role=role).first()
        if existing:
            return existing
        membership = Membership.objects.create(
            user=user, institution=institution, role=role,
            starts_on=starts_on or institution.local_today(), granted_by=actor,
        )
        log_action(
            action="governance.membership.granted", institution=institution, actor=actor,
            target=membership, data={"user": user.pk, "role": role},
        )
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, ends_on: datetime.date | None = None) -> Membership:
    institution = membership.institution
    membership.ends_on = ends_on or institution.local_today()
    membership.save(update_fields=["ends_on"])
    log_action(
        action="governance.membership.ended", institution=institution, actor=actor,
        target=membership, data={"user": membership.user_id, "role": membership.role},
    )
    return membership


def notify(
    *, recipients, institution: Institution, kind: str, title, body="", url: str = "", email: bool = True,
) -> list[Notification]:
    """In-app notice for each recipient and, after commit, an e-mail copy.

    ``title`` and ``body`` may be lazy translations: each copy is rendered in the recipient's
    language. Titles become e-mail subjects, so they must not contain personal data.
    """
    from .tasks import send_notification_email

    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        with override(user.language):
            notification = Notification.objects.create(
                recipient=user, institution=institution, kind=kind, title=str(title), body=str(body), url=url,
            )
        created.append(notification)
        if email and user.email:
            send_notification_email.delay_on_commit(institution_id=institution.pk, notification_id=notification.pk)
    return created


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


# ================================================================ channels

CHANNEL_FIELDS = ("kind", "name", "link", "is_official", "purpose", "posting_target", "posting_target_unit")


def _channel_validate(channel: Channel) -> None:
    """Normalise the link and refuse duplicates and targets that make no sense. Runs in the
    channel's institution scope."""
    errors: dict[str, list] = {}
    channel.name = (channel.name or "").strip()
    try:
        normalised = links.normalise(channel.kind, channel.link, kind_label=channel.get_kind_display())
    except ValidationError as error:
        errors["link"] = error.messages
        normalised = None
    else:
        channel.link = normalised.url if normalised else ""
    others = Channel.objects.filter(institution=channel.institution).exclude(pk=channel.pk)
    if normalised is not None:
        duplicate = others.filter(link_key=normalised.key).first()
        if duplicate is not None:
            message = (
                _("This account or group is already registered as “%(name)s”.")
                if duplicate.is_active else
                _("This account or group is already registered as “%(name)s”, which is archived. Restore it instead of registering it again.")
            )
            errors.setdefault("link", []).append(message % {"name": duplicate.name})
    elif not errors.get("link") and others.filter(kind=channel.kind, name__iexact=channel.name, is_active=True).exists():
        errors["name"] = [_("A %(kind)s with this name is already registered. Give it a distinct name or add its link.")
                          % {"kind": channel.get_kind_display()}]
    if channel.posting_target is not None and channel.posting_target <= 0:
        channel.posting_target = None
    if channel.posting_target and not channel.is_official_account:
        errors["posting_target"] = [_("Posting targets are for official accounts (pages, profiles, websites), "
                                      "not for groups or informal accounts. Leave it empty.")]
    if errors:
        raise ValidationError(errors)


def _channel_save(channel: Channel) -> None:
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError as error:
        # Two people registering the same account at the same moment: the database has the last word.
        raise ValidationError({"link": [_("This account or group is already registered.")]}) from error


@transaction.atomic
def channel_register(
    *, actor: User | None, institution: Institution, kind: str, name: str, link: str = "", is_official: bool = True,
    purpose: str = "", posting_target: int | None = None, posting_target_unit: str = Channel.TargetUnit.DAY,
) -> Channel:
    """Register a group or an account. The link is stored in its canonical form; the same account
    written another way (``@x`` and ``https://www.instagram.com/x/``) is refused as a duplicate."""
    with institution_scope(institution):
        channel = Channel(
            institution=institution, kind=kind, name=name, link=link or "", is_official=is_official,
            purpose=purpose or "", posting_target=posting_target,
            posting_target_unit=posting_target_unit or Channel.TargetUnit.DAY,
        )
        if kind not in ChannelKind.values:
            raise ValidationError({"kind": [_("Choose the kind of group or account.")]})
        _channel_validate(channel)
        _channel_save(channel)
        log_action(
            action="governance.channel.registered", institution=institution, actor=actor, target=channel,
            data={"kind": kind, "official": channel.is_official, "target": channel.posting_target,
                  "unit": channel.posting_target_unit if channel.posting_target else None},
        )
    return channel


@transaction.atomic
def channel_update(*, actor: User | None, channel: Channel, **fields) -> Channel:
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise TypeError(f"channel_update cannot change {sorted(unknown)}")
    institution = channel.institution
    with institution_scope(institution):
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if not channel.is_active:
            raise ValidationError(_("This channel is archived. Restore it before changing it."), code="archived")
        before = {name: getattr(channel, name) for name in CHANNEL_FIELDS}
        for name, value in fields.items():
            setattr(channel, name, value if value is not None or name == "posting_target" else "")
        _channel_validate(channel)
        changed = sorted(name for name in CHANNEL_FIELDS if getattr(channel, name) != before[name])
        if not changed:
            return channel
        _channel_save(channel)
        log_action(
            action="governance.channel.updated", institution=institution, actor=actor, target=channel,
            data={"fields": changed, "official": channel.is_official, "target": channel.posting_target},
        )
    return channel


@transaction.atomic
def channel_archive(*, actor: User | None, channel: Channel) -> Channel:
    """Archive a channel that is no longer used. Nothing is deleted: its history, memberships and
    logged posts stay, and it can be restored."""
    institution = channel.institution
    with institution_scope(institution):
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if not channel.is_active:
            return channel
        channel.is_active, channel.archived_at = False, timezone.now()
        channel.save(update_fields=["is_active", "archived_at", "updated_at"])
        log_action(action="governance.channel.archived", institution=institution, actor=actor, target=channel,
                   data={"kind": channel.kind})
    return channel


@transaction.atomic
def channel_restore(*, actor: User | None, channel: Channel) -> Channel:
    institution = channel.institution
    with institution_scope(institution):
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if channel.is_active:
            return channel
        channel.is_active, channel.archived_at = True, None
        channel.save(update_fields=["is_active", "archived_at", "updated_at"])
        log_action(action="governance.channel.restored", institution=institution, actor=actor, target=channel,
                   data={"kind": channel.kind})
    return channel


# ================================================================ codes of conduct

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
    from .code_templates import TEMPLATES

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
    from .tenancy import access_for

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
        recipients = selectors.active_members(child, roles=[Role.KEPALA, Role.HUMAS])
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


# ================================================================ election periods


def election_reminders_send(*, institution: Institution, day: datetime.date | None = None) -> list[ElectionReminder]:
    """Remind every active member of the institution, once per election period, to stay neutral.

    Safe to call every day and from several workers: the reminder row (one per institution and
    period, unique in the database) is written before anyone is notified, in the same transaction.
    """
    day = day or institution.local_today()
    sent = []
    for period in selectors.active_election_periods(institution, day):
        with transaction.atomic(), institution_scope(institution):
            if ElectionReminder.objects.filter(period=period).exists():
                continue
            try:
                with transaction.atomic():
                    reminder = ElectionReminder.objects.create(institution=institution, period=period)
            except IntegrityError:
                continue
            recipients = selectors.active_members(institution, day=day)
            notify(
                recipients=recipients, institution=institution, kind="governance.election_reminder",
                title=gettext_lazy("Election period: keep your social media neutral"),
                body=format_lazy(
                    gettext_lazy("{period} runs from {start} to voting day on {voting}. Do not post, share, like or comment on "
                          "campaign material, in the office's groups or on your own accounts. The rules on politics "
                          "and neutrality are at the top of the code of conduct."),
                    period=period.name, start=formats.date_format(period.campaign_starts_on, "DATE_FORMAT"),
                    voting=formats.date_format(period.voting_day, "DATE_FORMAT"),
                ),
                url=reverse("governance:code_versions", kwargs={"institution": institution.slug}),
            )
            reminder.recipients = len(recipients)
            reminder.save(update_fields=["recipients"])
            log_action(action="governance.election.reminded", institution=institution, actor=None, target=reminder,
                       data={"period": period.pk, "recipients": reminder.recipients})
            sent.append(reminder)
    return sent


# ================================================================ publication log

PUBLICATION_FIELDS = ("channel", "published_at", "link", "topic", "source_verified", "content_true",
                      "nothing_confidential", "neutral", "caption_matches", "reviewed_by")
# A phone clock a little ahead of the server's is not "in the future".
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


def publication_errors(publication: Publication, *, channel_changed: bool = True, member_ids=None,
                       logged_links=None) -> dict[str, list]:
    """What is wrong with a log entry (used by the form, the import preview and the services).

    ``member_ids`` and ``logged_links`` (``{(channel_id, link)}`` already in the log) may be passed
    by callers checking many rows at once, so that each row costs no query."""
    errors: dict[str, list] = {}
    channel = publication.channel if publication.channel_id else None
    if channel is None or channel.institution_id != publication.institution_id or not channel.is_official_account:
        errors["channel"] = [_("Choose one of this institution's official accounts.")]
    elif channel_changed and not channel.is_active:
        errors["channel"] = [_("Account “%(name)s” is archived. Restore it before logging its posts.") % {"name": channel.name}]
    if publication.published_at is None:
        errors["published_at"] = [_("Give the date and time of the post.")]
    elif publication.published_at > timezone.now() + FUTURE_TOLERANCE:
        errors["published_at"] = [_("This date is in the future. Log posts once they are published.")]
    if not (publication.topic or "").strip():
        errors["topic"] = [_("Write the topic of the post.")]
    if publication.link and channel is not None and "channel" not in errors:
        if logged_links is not None:
            duplicate = (channel.pk, publication.link) in logged_links
        else:
            duplicate = Publication.objects.filter(channel=channel, link=publication.link).exclude(pk=publication.pk).exists()
        if duplicate:
            errors["link"] = [_("This post is already in the log.")]
    if publication.reviewed_by_id is not None:
        if member_ids is None:
            member_ids = {user.pk for user in selectors.active_members(publication.institution)}
        if publication.reviewed_by_id not in member_ids:
            errors["reviewed_by"] = [_("The person who checked the post must be a member of this institution.")]
    return errors


@transaction.atomic
def publication_create(*, actor: User | None, institution: Institution, channel: Channel,
                       published_at: datetime.datetime, topic: str, link: str = "", reviewed_by: User | None = None,
                       source_verified: bool = False, content_true: bool = False, nothing_confidential: bool = False,
                       neutral: bool = False, caption_matches: bool = False) -> Publication:
    with institution_scope(institution):
        publication = Publication(
            institution=institution, channel=channel, published_at=published_at, topic=(topic or "").strip(),
            link=(link or "").strip(), reviewed_by=reviewed_by, created_by=actor, source_verified=source_verified,
            content_true=content_true, nothing_confidential=nothing_confidential, neutral=neutral,
            caption_matches=caption_matches,
        )
        errors = publication_errors(publication)
        if errors:
            raise ValidationError(errors)
        publication.save()
        log_action(action="governance.publication.logged", institution=institution, actor=actor, target=publication,
                   data={"channel": channel.pk, "checks": publication.checks_passed})
    return publication


@transaction.atomic
def publication_update(*, actor: User | None, publication: Publication, **fields) -> Publication:
    unknown = set(fields) - set(PUBLICATION_FIELDS)
    if unknown:
        raise TypeError(f"publication_update cannot change {sorted(unknown)}")
    institution = publication.institution
    with institution_scope(institution):
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        old_channel = publication.channel_id
        before = {name: getattr(publication, name) for name in PUBLICATION_FIELDS}
        for name, value in fields.items():
            setattr(publication, name, value.strip() if isinstance(value, str) else value)
        errors = publication_errors(publication, channel_changed=publication.channel_id != old_channel)
        if errors:
            raise ValidationError(errors)
        changed = sorted(name for name in PUBLICATION_FIELDS if getattr(publication, name) != before[name])
        if changed:
            publication.save()
            log_action(action="governance.publication.changed", institution=institution, actor=actor,
                       target=publication, data={"fields": changed, "checks": publication.checks_passed})
    return publication


@transaction.atomic
def publication_delete(*, actor: User | None, publication: Publication) -> None:
    """Remove a wrongly logged post. The audit entry keeps that it existed and on which account."""
    institution = publication.institution
    with institution_scope(institution):
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        log_action(action="governance.publication.removed", institution=institution, actor=actor, target=publication,
                   data={"channel": publication.channel_id, "published_at": publication.published_at})
        publication.delete()


def _logged_links(institution: Institution, rows) -> set[tuple[int, str]]:
    """(channel id, link) pairs of the rows' accounts that are already in the log, in one query."""
    channel_ids = {row.channel.pk for row in rows if row.link}
    if not channel_ids:
        return set()
    return set(Publication.objects.filter(institution=institution, channel_id__in=channel_ids).exclude(link="")
               .values_list("channel_id", "link"))


@transaction.atomic
def publication_import(*, actor: User | None, institution: Institution, rows) -> list[Publication]:
    """Save the rows of a checked CSV import (``governance.imports.read_publications_csv``) all at
    once. Every row is checked again inside the transaction; if any fails, nothing is saved and
    ``ValidationError`` lists the failing rows with their line numbers."""
    with institution_scope(institution):
        publications, errors, seen = [], [], set()
        member_ids = {user.pk for user in selectors.active_members(institution)}
        logged_links = _logged_links(institution, rows)
        for row in rows:
            publication = Publication(
                institution=institution, channel=row.channel, published_at=row.published_at, link=row.link,
                topic=row.topic, reviewed_by=row.reviewed_by, created_by=actor, source=Publication.Source.IMPORT,
                **row.checks,
            )
            problems = [message for messages in publication_errors(publication, member_ids=member_ids,
                                                                   logged_links=logged_links).values()
                        for message in messages]
            if publication.link:
                key = (row.channel.pk, publication.link)
                if key in seen:
                    problems.append(_("The same post appears twice in the file."))
                seen.add(key)
            for problem in problems:
                errors.append(_("Row %(line)s: %(problem)s") % {"line": row.line, "problem": problem})
            publications.append(publication)
        if not publications:
            raise ValidationError(_("The file has no rows to import."), code="empty")
        if errors:
            raise ValidationError(errors)
        created = Publication.objects.bulk_create(publications)
        log_action(
            action="governance.publication.imported", institution=institution, actor=actor,
            data={"rows": len(created), "channels": sorted({p.channel_id for p in created})},
        )
    return created
