"""The publication log of official accounts: entries logged, changed, removed and imported from CSV."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..audit import log_action
from ..models import Channel, Institution, Publication, User
from ..tenancy import institution_scope

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
        if publication.state == Publication.State.PUBLISHED:
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
        if changed and publication.state == Publication.State.CHECKED:
            # A changed post is no longer the post that was checked: it goes back to draft.
            publication.state, publication.checked_before_publishing = Publication.State.DRAFT, False
            publication.reviewed_by, publication.checked_at = None, None
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


# ---------------------------------------------------------------- draft → checked → published


@transaction.atomic
def publication_draft(*, actor: User | None, institution: Institution, channel: Channel, topic: str,
                      link: str = "") -> Publication:
    """A post written for an official account, not published yet: it waits for its check."""
    with institution_scope(institution):
        publication = Publication(institution=institution, channel=channel, topic=(topic or "").strip(),
                                  link=(link or "").strip(), created_by=actor, state=Publication.State.DRAFT)
        errors = publication_errors(publication)
        if errors:
            raise ValidationError(errors)
        publication.save()
        log_action(action="governance.publication.drafted", institution=institution, actor=actor,
                   target=publication, data={"channel": channel.pk})
    return publication


@transaction.atomic
def publication_check(*, actor: User, publication: Publication, answers: dict[str, bool],
                      notes: dict[str, str] | None = None) -> Publication:
    """Record the five checks of a post (seeds 002 and 004). All five yes: a draft becomes checked.
    Any no: a draft goes back to its writer with the reason. A post already published can be checked
    afterwards; that still does not count as checked before publishing."""
    institution = publication.institution
    with institution_scope(institution):
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        refusal = selectors.publication_check_refusal(actor, publication)
        if refusal:
            raise ValidationError(refusal)
        notes = {name: (notes or {}).get(name, "").strip() for name in Publication.CHECKS}
        for name in Publication.CHECKS:
            setattr(publication, name, bool(answers.get(name)))
        failed = [name for name in Publication.CHECKS if not getattr(publication, name)]
        publication.check_notes = {name: note for name, note in notes.items() if note}
        publication.reviewed_by, publication.checked_at = actor, timezone.now()
        if failed:
            labels = [str(Publication._meta.get_field(name).verbose_name) for name in failed]
            reason = _("Not passed: %(checks)s.") % {"checks": ", ".join(labels)}
            extra = "; ".join(notes[name] for name in failed if notes[name])
            publication.returned_reason = f"{reason} {extra}".strip()
        else:
            publication.returned_reason = ""
        was_draft = publication.state == Publication.State.DRAFT
        if was_draft and not failed:
            publication.state = Publication.State.CHECKED
            publication.checked_before_publishing = True
        publication.save()
        action = "governance.publication.checked" if not failed else "governance.publication.check_failed"
        log_action(action=action, institution=institution, actor=actor, target=publication,
                   data={"failed": failed, "before_publishing": publication.checked_before_publishing,
                         "state": publication.state})
    return publication


@transaction.atomic
def publication_mark_published(*, actor: User, publication: Publication, published_at: datetime.datetime,
                               link: str = "") -> Publication:
    """A checked post went out: record when and where."""
    institution = publication.institution
    with institution_scope(institution):
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.state != Publication.State.CHECKED:
            raise ValidationError(_("Only a checked post can be marked published."))
        publication.published_at = published_at
        publication.link = (link or "").strip() or publication.link
        publication.state = Publication.State.PUBLISHED
        errors = publication_errors(publication, channel_changed=False)
        if errors:
            raise ValidationError(errors)
        publication.save()
        log_action(action="governance.publication.published", institution=institution, actor=actor,
                   target=publication, data={"published_at": published_at, "link": publication.link})
    return publication
