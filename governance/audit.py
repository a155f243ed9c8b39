"""The audit trail: one entry point to write, one function to verify.

``log_action`` must run inside the transaction of the change it records, so that the change
and its entry commit together or not at all. Entries of one institution form a chain: each
entry's hash is an HMAC-SHA256, under a key that is not in the database, over its content and the
previous entry's hash, and the chain head keeps the last sequence number and hash. Someone who can
write to the database but has not got the key can neither edit, remove nor reorder an entry and
recompute the chain. Every day ``anchor_chains`` writes each institution's chain head into its
parent's chain, the top institutions' heads into the platform chain, and the platform chain's head
into a file outside the database (and to the platform operators), so that even cutting off the end
of a chain is detected. SECURITY.md describes what this protects and what it does not.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .cache import GLOBAL, bump, bump_institution
from .models import AuditChain, AuditEntry, Institution, User
from .tenancy import platform_scope

PLATFORM_CHAIN = "platform"
ANCHOR_ACTION = "governance.audit.anchored"


def chain_key(institution: Institution | None) -> str:
    return f"institution:{institution.pk}" if institution else PLATFORM_CHAIN


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def _key_file_secret(path: Path) -> str:
    """The embedded default: a key generated once into a file beside the data, not inside the database."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as key_file:
                key_file.write(secrets.token_hex(32))
    return path.read_text().strip()


def audit_keys() -> tuple[str, dict[str, bytes]]:
    """The current key id and every known key (current and retired), from settings, never the database."""
    current = settings.SANTUN_AUDIT_KEY or _key_file_secret(Path(settings.SANTUN_AUDIT_KEY_FILE))
    keys = {settings.SANTUN_AUDIT_KEY_ID: current.encode()}
    for item in filter(None, (part.strip() for part in settings.SANTUN_AUDIT_OLD_KEYS.split(","))):
        key_id, _, secret = item.partition("=")
        keys.setdefault(key_id.strip(), secret.strip().encode())
    return settings.SANTUN_AUDIT_KEY_ID, keys


def entry_payload(entry, key: str) -> dict:
    return {
        "chain": key,
        "seq": entry.seq,
        "institution": entry.institution_id,
        "actor": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": entry.data,
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(),
        "prev": entry.prev_hash,
        "key_id": entry.key_id,
    }


def entry_hash(entry, key: str, keys: dict[str, bytes] | None = None) -> str | None:
    """The entry's HMAC-SHA256 under the key it names; None when that key is unknown."""
    secret = (keys if keys is not None else audit_keys()[1]).get(entry.key_id)
    if secret is None:
        return None
    return hmac.new(secret, _canonical(entry_payload(entry, key)).encode(), hashlib.sha256).hexdigest()


def log_action(
    *,
    action: str,
    institution: Institution | None,
    actor: User | None = None,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is dotted (``sanctions.report.confirmed``); ``data`` holds ids
    and short codes, never free-form personal data."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_action must run inside the transaction of the change it records.")
    key = chain_key(institution)
    with platform_scope():
        chain, _ = AuditChain.objects.get_or_create(key=key)
        chain = AuditChain.objects.select_for_update().get(pk=chain.pk)
        entry = AuditEntry(
            chain=chain,
            seq=chain.last_seq + 1,
            institution=institution,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=json.loads(_canonical(data or {})),
            created_at=timezone.now(),
            prev_hash=chain.last_hash,
            key_id=audit_keys()[0],
        )
        entry.hash = entry_hash(entry, key)
        entry.save()
        AuditChain.objects.filter(pk=chain.pk).update(last_seq=entry.seq, last_hash=entry.hash)
    # Whatever was recorded changed the institution's data: cached pages of it are recomputed.
    if institution is None:
        bump([GLOBAL])
    else:
        bump_institution(institution)
    return entry


@dataclass
class VerificationResult:
    entries: int
    broken_entry: AuditEntry | None = None
    broken_chain: str | None = None
    reason: str = ""
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_chain is None


def _verify_chain(chain: AuditChain, keys: dict[str, bytes], anchors: list) -> VerificationResult:
    prev_hash, expected_seq, last, total = "", 1, None, 0
    for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerificationResult(total, entry, chain.key, f"expected sequence {expected_seq}, found {entry.seq}")
        if entry.prev_hash != prev_hash:
            return VerificationResult(total, entry, chain.key, "link to the previous entry does not match")
        expected = entry_hash(entry, chain.key, keys)
        if expected is None:
            return VerificationResult(total, entry, chain.key, f"signed with an unknown key {entry.key_id!r}")
        if not hmac.compare_digest(expected, entry.hash):
            return VerificationResult(total, entry, chain.key, "content does not match its hash")
        if entry.action == ANCHOR_ACTION:
            anchors.append(entry)
        prev_hash, expected_seq, last = entry.hash, expected_seq + 1, entry
        total += 1
    if (last.seq if last else 0) != chain.last_seq or prev_hash != chain.last_hash:
        return VerificationResult(total, last, chain.key, "entries are missing at the end of the chain")
    return VerificationResult(total)


def _anchored_hashes() -> dict[tuple[str, int], str]:
    """The platform chain heads written outside the database, by (chain, seq)."""
    path = Path(settings.SANTUN_AUDIT_ANCHOR_FILE)
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        if line.strip():
            record = json.loads(line)
            found[(record["chain"], int(record["seq"]))] = record["hash"]
    return found


def verify_chains() -> VerificationResult:
    """Walk every chain from its first entry, then every anchor; report the first break."""
    total, anchors = 0, []
    _, keys = audit_keys()
    with platform_scope():
        heads = {}
        for chain in AuditChain.objects.order_by("pk"):
            result = _verify_chain(chain, keys, anchors)
            total += result.entries
            if not result.ok:
                result.entries = total
                return result
            heads[chain.key] = chain
        # An anchor names a head of another chain: that entry must still be there, unchanged.
        external = [(None, chain, seq, digest) for (chain, seq), digest in _anchored_hashes().items()]
        internal = [(entry, entry.data.get("chain"), int(entry.data.get("seq", 0)), entry.data.get("hash"))
                    for entry in anchors]
        for anchor, key, seq, digest in internal + external:
            if seq == 0:
                continue
            chain = heads.get(key)
            target = AuditEntry.objects.filter(chain=chain, seq=seq).first() if chain else None
            if target is None or not hmac.compare_digest(target.hash, digest or ""):
                where = "the anchor file outside the database" if anchor is None else f"anchor entry seq={anchor.seq}"
                reason = (f"entry seq={seq} was anchored in {where} with another hash" if target
                          else f"entry seq={seq}, anchored in {where}, is missing")
                return VerificationResult(total, target or anchor, key, reason, len(internal))
    return VerificationResult(total, anchors=len(internal) + len(external))


def _depth_first(institutions: list[Institution]) -> list[Institution]:
    """Deepest institutions first, so that a parent's head is taken after its children's anchors."""
    return sorted(institutions, key=lambda institution: (-len(institution.path), institution.pk))


def anchor_chains(*, now: datetime.datetime | None = None) -> dict:
    """Write every chain head that moved since its last anchor into the chain above it, then the
    platform chain's head into the anchor file outside the database and to the platform operators.
    Returns counts only."""
    now = now or timezone.now()
    anchored = 0
    with transaction.atomic(), platform_scope():
        chains = {chain.key: chain for chain in AuditChain.objects.all()}
        institutions = {f"institution:{i.pk}": i for i in Institution.objects.filter(
            pk__in=[int(key.split(":")[1]) for key in chains if key.startswith("institution:")])}
        for institution in _depth_first(list(institutions.values())):
            key = chain_key(institution)
            chain = AuditChain.objects.get(key=key)
            parent = institution.parent if institution.parent_id else None
            if chain.last_seq == 0 or _already_anchored(key, chain, parent):
                continue
            log_action(action=ANCHOR_ACTION, institution=parent,
                       data={"chain": key, "seq": chain.last_seq, "hash": chain.last_hash})
            anchored += 1
        platform, _ = AuditChain.objects.get_or_create(key=PLATFORM_CHAIN)
        platform.refresh_from_db()
    record = {"chain": PLATFORM_CHAIN, "seq": platform.last_seq, "hash": platform.last_hash,
              "key_id": audit_keys()[0], "at": now.astimezone(datetime.UTC).isoformat()}
    if platform.last_seq:
        path = Path(settings.SANTUN_AUDIT_ANCHOR_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as anchor_file:
            anchor_file.write(_canonical(record) + "\n")
        operators = list(User.objects.filter(is_superuser=True, is_active=True).exclude(email="")
                         .values_list("email", flat=True))
        if operators:
            send_mail("[Santun] audit anchor", _canonical(record), None, operators)
    return {"anchored": anchored, "platform_seq": platform.last_seq}


def _already_anchored(key: str, chain: AuditChain, parent: Institution | None) -> bool:
    last = (AuditEntry.objects.filter(chain__key=chain_key(parent), action=ANCHOR_ACTION, data__chain=key)
            .order_by("-seq").first())
    return last is not None and last.data.get("seq") == chain.last_seq
