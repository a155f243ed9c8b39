"""Seal the entries written before the audit key existed with that key (HMAC-SHA256), chain by
chain in order, so that every entry — old ones too — can only be recomputed by someone holding the
key. On PostgreSQL the append-only trigger is set aside for this one rewrite."""

from django.db import migrations

TRIGGER = "governance_auditentry_append_only"


def reseal(apps, schema_editor):
    from governance.audit import audit_keys, entry_hash

    AuditChain = apps.get_model("governance", "AuditChain")
    AuditEntry = apps.get_model("governance", "AuditEntry")
    key_id, keys = audit_keys()
    postgres = schema_editor.connection.vendor == "postgresql"
    if not AuditEntry.objects.exists():
        return
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE governance_auditentry DISABLE TRIGGER {TRIGGER}")
    for chain in AuditChain.objects.order_by("pk"):
        prev = ""
        # Two passes keep the unique hash constraint satisfied while the values change.
        entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
        for entry in entries:
            entry.prev_hash, entry.key_id = prev, key_id
            entry.hash = entry_hash(entry, chain.key, keys)
            prev = entry.hash
        for entry in entries:
            AuditEntry.objects.filter(pk=entry.pk).update(hash=f"reseal-{entry.pk}")
        for entry in entries:
            AuditEntry.objects.filter(pk=entry.pk).update(hash=entry.hash, prev_hash=entry.prev_hash, key_id=key_id)
        AuditChain.objects.filter(pk=chain.pk).update(last_hash=prev)
    if postgres:
        # Deferred foreign-key checks count as pending trigger events, which ALTER TABLE refuses.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE governance_auditentry ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_audit_key_id")]
    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
