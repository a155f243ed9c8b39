"""Groups and accounts an institution registers (its channels), archived and restored, never deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import links
from ..audit import log_action
from ..models import Channel, ChannelKind, Institution, User
from ..tenancy import institution_scope

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
