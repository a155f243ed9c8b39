"""A backup made with scripts/backup.sh restores into a fresh database with every case, letter and
audit entry, and the restored audit trail verifies (PostgreSQL only)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from conftest import need, uses_postgres
from governance.models import AuditEntry
from sanctions.models import ViolationReport, WarningLetter

ROOT = Path(__file__).resolve().parent.parent


def _url(settings_dict, name):
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user, password = settings_dict.get("USER", ""), settings_dict.get("PASSWORD", "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgresql://{auth}{host}:{port}/{name}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_case_letter_and_audit_entry(tmp_path, settings):
    need(uses_postgres(), "PostgreSQL")
    call_command("seed_demo", quiet=True, force=True)
    with scopes_disabled():
        counts = (ViolationReport.objects.count(), WarningLetter.objects.count(), AuditEntry.objects.count())
    assert all(counts)

    source = connection.settings_dict
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": _url(source, source["NAME"]), "SANTUN_PRIVATE_MEDIA_ROOT": str(media)}
    backup = subprocess.run([str(ROOT / "scripts/backup.sh"), str(tmp_path / "backup")], env=env,
                            capture_output=True, text=True, check=True)
    dump, tarball = backup.stdout.split()

    fresh = f"santun_restore_{uuid.uuid4().hex[:8]}"
    admin = _url(source, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore_env = {**env, "DATABASE_URL": _url(source, fresh),
                       "SANTUN_PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
                       "PYTHON": sys.executable, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        restored = subprocess.run([str(ROOT / "scripts/restore.sh"), dump, tarball], env=restore_env,
                                  capture_output=True, text=True, cwd=ROOT)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert f"OK: {counts[2]} audit entries" in restored.stdout
        with psycopg.connect(_url(source, fresh)) as conn:
            found = tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in
                          ("sanctions_violationreport", "sanctions_warningletter", "governance_auditentry"))
        assert found == counts
        letters = list((tmp_path / "restored-private").rglob("*.pdf"))
        assert len(letters) >= counts[1]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
