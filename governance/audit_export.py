"""The audit trail as a file: CSV for a spreadsheet, JSON Lines (one entry per line, with its hashes)
for a program that checks it. Both hold the same entries as the filtered audit view."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from .cells import csv_bytes
from .models import AuditEntry, Institution

EXPORT_LIMIT = 50_000


def _fields(entry: AuditEntry, institution: Institution) -> dict:
    return {
        "seq": entry.seq,
        "time": timezone.localtime(entry.created_at, institution.tzinfo).isoformat(),
        "action": entry.action,
        "actor": entry.actor.full_name if entry.actor else "",
        "actor_email": entry.actor.email if entry.actor else "",
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": entry.data,
        "key_id": entry.key_id,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def to_jsonl(entries, institution: Institution) -> bytes:
    return "".join(json.dumps(_fields(entry, institution), cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
                   for entry in entries).encode("utf-8")


def to_csv(entries, institution: Institution) -> bytes:
    headers = ["#", _("Time"), _("Action"), _("By"), _("E-mail"), _("About"), _("ID"), _("Details"), _("Key"),
               _("Previous hash"), _("Hash")]
    rows = []
    for entry in entries:
        fields = _fields(entry, institution)
        fields["data"] = json.dumps(fields["data"], cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        rows.append(list(fields.values()))
    return csv_bytes(headers, rows)
