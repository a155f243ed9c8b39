#!/usr/bin/env bash
# Back up Santun: the PostgreSQL database (custom format) and the private files (evidence,
# letters, exports). Usage: scripts/backup.sh DESTINATION_DIR
# Needs DATABASE_URL and SANTUN_PRIVATE_MEDIA_ROOT as the application uses them.
set -euo pipefail
dest=${1:?usage: scripts/backup.sh DESTINATION_DIR}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --dbname="${DATABASE_URL:?DATABASE_URL is not set}" --file="$dest/santun-$stamp.dump"
tar -C "${SANTUN_PRIVATE_MEDIA_ROOT:?SANTUN_PRIVATE_MEDIA_ROOT is not set}" -czf "$dest/santun-private-$stamp.tar.gz" .
echo "$dest/santun-$stamp.dump"
echo "$dest/santun-private-$stamp.tar.gz"
