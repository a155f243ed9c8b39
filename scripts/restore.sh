#!/usr/bin/env bash
# Restore a Santun backup into an EMPTY database and private-files folder, then verify the
# audit trail. Usage: scripts/restore.sh DUMP_FILE PRIVATE_TARBALL
# Needs DATABASE_URL (the new, empty database) and SANTUN_PRIVATE_MEDIA_ROOT (an empty folder).
set -euo pipefail
dump=${1:?usage: scripts/restore.sh DUMP_FILE PRIVATE_TARBALL}
files=${2:?usage: scripts/restore.sh DUMP_FILE PRIVATE_TARBALL}
pg_restore --no-owner --exit-on-error --dbname="${DATABASE_URL:?DATABASE_URL is not set}" "$dump"
mkdir -p "${SANTUN_PRIVATE_MEDIA_ROOT:?SANTUN_PRIVATE_MEDIA_ROOT is not set}"
tar -C "$SANTUN_PRIVATE_MEDIA_ROOT" -xzf "$files"
cd "$(dirname "$0")/.."
"${PYTHON:-.venv/bin/python}" manage.py verify_audit
