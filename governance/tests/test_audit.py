import pytest
from django.core.management import call_command
from django.db import connection, transaction

from conftest import uses_postgres
from governance.audit import log_action, verify_chains
from governance.models import AuditEntry
from governance.tests.factories import InstitutionFactory, UserFactory


def _log(institution, n, actor=None):
    with transaction.atomic():
        for i in range(n):
            log_action(action="test.step", institution=institution, actor=actor, data={"i": i})


@pytest.mark.django_db(transaction=True)
def test_log_action_outside_a_transaction_is_refused():
    institution = InstitutionFactory()
    with pytest.raises(RuntimeError):
        log_action(action="test.step", institution=institution)
    assert AuditEntry.objects.with_scopes_disabled().count() == 0


def test_entries_chain_per_institution_and_verify(db, unscoped):
    one, two = InstitutionFactory(), InstitutionFactory()
    actor = UserFactory()
    _log(one, 3, actor)
    _log(two, 2)
    entries = list(AuditEntry.objects.filter(institution=one).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash and entries[0].prev_hash == ""
    result = verify_chains()
    assert result.ok and result.entries == 5


def test_entries_cannot_be_changed_or_deleted_through_the_orm(db, unscoped):
    institution = InstitutionFactory()
    _log(institution, 1)
    entry = AuditEntry.objects.get()
    entry.action = "test.rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if uses_postgres():
            # The database refuses changes to audit rows; someone holding the table owner's
            # credentials could switch the trigger off, and verification must still notice.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE governance_auditentry DISABLE TRIGGER governance_auditentry_append_only")
        cursor.execute(sql, params)


def test_verify_audit_names_the_first_edited_entry(db, unscoped, capsys):
    institution = InstitutionFactory()
    _log(institution, 4)
    target = AuditEntry.objects.get(seq=3)
    _tamper("UPDATE governance_auditentry SET data = %s WHERE id = %s", ['{"i": 99}', target.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"id={target.pk} seq=3" in capsys.readouterr().err


def test_verify_audit_notices_a_removed_last_entry(db, unscoped, capsys):
    institution = InstitutionFactory()
    _log(institution, 3)
    _tamper("DELETE FROM governance_auditentry WHERE seq = %s", [3])
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    assert "missing" in capsys.readouterr().err


def test_verify_audit_reports_the_count_when_intact(db, capsys):
    institution = InstitutionFactory()
    _log(institution, 2)
    call_command("verify_audit")
    assert "OK: 2 audit entries" in capsys.readouterr().out


@pytest.mark.postgres
def test_postgres_itself_refuses_to_rewrite_audit_rows(db):
    from conftest import need

    need(uses_postgres(), "PostgreSQL")
    institution = InstitutionFactory()
    _log(institution, 1)
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE governance_auditentry SET action = 'x'")


def _insider_rewrite(chain_key, from_seq, new_data):
    """What someone with write access to the database (but not the audit key) can do: change one
    entry and recompute every later hash and the chain head with the published algorithm. They do
    not hold the key, so the best they can do is sign with one of their own."""
    import hashlib
    import hmac

    from governance.audit import _canonical, entry_payload
    from governance.models import AuditChain

    chain = AuditChain.objects.get(key=chain_key)
    entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
    prev = ""
    for entry in entries:
        if entry.seq == from_seq:
            entry.data = new_data
        if entry.seq >= from_seq:
            entry.prev_hash = prev
            entry.hash = hmac.new(b"a key the insider made up", _canonical(entry_payload(entry, chain_key)).encode(),
                                  hashlib.sha256).hexdigest()
            _tamper("UPDATE governance_auditentry SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                    [_canonical(entry.data), entry.prev_hash, entry.hash, entry.pk])
        prev = entry.hash
    with connection.cursor() as cursor:
        cursor.execute("UPDATE governance_auditchain SET last_hash = %s WHERE id = %s", [prev, chain.pk])


def test_an_insider_who_recomputes_the_chain_is_caught_at_the_entry_they_changed(db, unscoped, capsys):
    institution = InstitutionFactory()
    _log(institution, 5)
    target = AuditEntry.objects.get(seq=2)
    _insider_rewrite(f"institution:{institution.pk}", 2, {"i": 42})
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"id={target.pk} seq=2" in capsys.readouterr().err


def test_each_entry_names_the_key_that_signed_it_and_retired_keys_still_verify(db, unscoped, settings):
    institution = InstitutionFactory()
    _log(institution, 2)
    assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {settings.SANTUN_AUDIT_KEY_ID}
    old_id, old_key = settings.SANTUN_AUDIT_KEY_ID, settings.SANTUN_AUDIT_KEY
    settings.SANTUN_AUDIT_KEY_ID, settings.SANTUN_AUDIT_KEY = "k2", "a-new-key-after-rotation"
    settings.SANTUN_AUDIT_OLD_KEYS = f"{old_id}={old_key}"
    _log(institution, 1)
    assert AuditEntry.objects.get(seq=3).key_id == "k2"
    assert verify_chains().ok
    settings.SANTUN_AUDIT_OLD_KEYS = ""
    result = verify_chains()
    assert not result.ok and "unknown key" in result.reason and result.broken_entry.seq == 1


def test_the_embedded_default_generates_a_key_file_outside_the_database(db, unscoped, settings, tmp_path):
    from governance.audit import audit_keys

    settings.SANTUN_AUDIT_KEY, settings.SANTUN_AUDIT_KEY_FILE = "", tmp_path / "audit.key"
    first = audit_keys()[1]
    assert (tmp_path / "audit.key").exists() and (tmp_path / "audit.key").stat().st_mode & 0o077 == 0
    assert audit_keys()[1] == first


def test_anchors_catch_a_chain_cut_short_even_with_valid_hashes(db, unscoped, settings, tmp_path, mailoutbox):
    from governance.audit import anchor_chains
    from governance.models import AuditChain

    settings.SANTUN_AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    UserFactory(is_superuser=True, email="operator@santun.test")
    parent = InstitutionFactory()
    child = InstitutionFactory(parent=parent)
    _log(child, 3)
    _log(parent, 1)
    counts = anchor_chains()
    assert counts["anchored"] == 2  # the child into the parent, the parent into the platform chain
    assert anchor_chains()["anchored"] == 0  # nothing moved: nothing anchored twice
    assert (tmp_path / "anchors.jsonl").read_text().count('"chain":"platform"') == 2
    assert mailoutbox and mailoutbox[-1].to == ["operator@santun.test"]
    assert verify_chains().ok
    # The insider removes the child's last entry and points the head at the one before: every
    # remaining hash is still valid, but the parent's anchor names the removed entry.
    _tamper("DELETE FROM governance_auditentry WHERE chain_id = %s AND seq = 3",
            [AuditChain.objects.get(key=f"institution:{child.pk}").pk])
    before = AuditEntry.objects.get(institution=child, seq=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE governance_auditchain SET last_seq = 2, last_hash = %s WHERE key = %s",
                       [before.hash, f"institution:{child.pk}"])
    result = verify_chains()
    assert not result.ok and "seq=3" in result.reason and "missing" in result.reason


def test_the_anchor_file_outside_the_database_catches_a_rewritten_platform_chain(db, unscoped, settings, tmp_path):
    from governance.audit import anchor_chains

    settings.SANTUN_AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    institution = InstitutionFactory()
    _log(institution, 1)
    anchor_chains()
    platform_entry = AuditEntry.objects.filter(chain__key="platform").order_by("-seq").first()
    _tamper("UPDATE governance_auditentry SET hash = %s WHERE id = %s", ["0" * 64, platform_entry.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE governance_auditchain SET last_hash = %s WHERE key = 'platform'", ["0" * 64])
    assert not verify_chains().ok


def test_the_upgrade_seals_entries_written_before_the_key_with_it(db, unscoped, settings):
    import importlib
    from types import SimpleNamespace

    from django.db.migrations.loader import MigrationLoader

    # The models as the migration sees them (historical models, without the append-only guard).
    apps = MigrationLoader(connection).project_state(("governance", "0007_audit_key_id")).apps
    reseal = importlib.import_module("governance.migrations.0008_audit_reseal_with_key").reseal
    institution = InstitutionFactory()
    _log(institution, 3)
    settings.SANTUN_AUDIT_KEY = "the key configured at the upgrade"
    assert not verify_chains().ok  # written under another key
    # The migration only needs the connection and a way to run a statement.
    reseal(apps, SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql)))
    result = verify_chains()
    assert result.ok and result.entries == 3
