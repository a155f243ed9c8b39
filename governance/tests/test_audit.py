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
