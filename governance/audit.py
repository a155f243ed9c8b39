"""The audit trail: one entry point to write, one function to verify.

``log_action`` must run inside the transaction of the change it records, so that the change
and its entry commit together or not at all. Entries of one institution form a hash chain:
each entry's hash covers its content and the previous entry's hash, and the chain head keeps
the last sequence number and hash, so an edited, removed or reordered entry is detectable.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .cache import GLOBAL, bump, bump_institution
from .models import AuditChain, AuditEntry, Institution, User
from .tenancy import platform_scope

PLATFORM_CHAIN = "platform"


def chain_key(institution: Institution | None) -> str:
    return f"institution:{institution.pk}" if institution else PLATFORM_CHAIN


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def entry_hash(entry: AuditEntry, key: str) -> str:
    payload = {
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
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


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

    @property
    def ok(self) -> bool:
        return self.broken_chain is None


def verify_chains() -> VerificationResult:
    """Walk every chain from its first entry; report the first break."""
    total = 0
    with platform_scope():
        for chain in AuditChain.objects.order_by("pk"):
            prev_hash, expected_seq, last = "", 1, None
            for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
                if entry.seq != expected_seq:
                    return VerificationResult(total, entry, chain.key, f"expected sequence {expected_seq}, found {entry.seq}")
                if entry.prev_hash != prev_hash:
                    return VerificationResult(total, entry, chain.key, "link to the previous entry does not match")
                if entry_hash(entry, chain.key) != entry.hash:
                    return VerificationResult(total, entry, chain.key, "content does not match its hash")
                prev_hash, expected_seq, last = entry.hash, expected_seq + 1, entry
                total += 1
            if (last.seq if last else 0) != chain.last_seq or prev_hash != chain.last_hash:
                return VerificationResult(total, last, chain.key, "entries are missing at the end of the chain")
    return VerificationResult(total)
