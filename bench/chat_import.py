"""Benchmark (not a test): storing a 100,000-message WhatsApp export through chat-export triage.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/chat_import.py [--messages 100000]

With DATABASE_URL set it runs on that server (in a throw-away test database), otherwise on
in-memory SQLite. It generates an Indonesian Android export (``triage.tests.generate``, one
message in 40 carrying lexicon terms, plus what the default lexicon flags by itself), then times:

* ``engine``: parse and flag with context, keeping nothing (the phase-1 engine alone);
* ``upload``: ``chat_import_start`` — the quick format check, SHA-256 and private storage;
* ``parse_and_store``: ``chat_import_parse`` — parse, flag, match authors to staff and write the
  flagged messages with their context in batches, in one transaction, then delete the upload.

It prints one JSON document; nothing fails when the numbers change.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def run(n: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from governance.models import Channel, ChannelKind, Institution, Membership, Role, User
    from governance.tenancy import institution_scope
    from members.models import StaffMember
    from triage import services as chat_services
    from triage.chat import parse, with_context
    from triage.chat.formats import FormatSpec
    from triage.models import ChatFlag, ChatMessage
    from triage.selectors import ImportMatchers
    from triage.tests.generate import make_entries, to_bytes

    spec = FormatSpec("android", "dmy", "/", 2, 24, ".", seconds=False, comma=False)
    data = to_bytes(spec, make_entries(n, seed=7))
    institution = Institution.objects.create(name="Instansi Tolok Ukur", slug="tolok-ukur", kind="madrasah")
    humas = User.objects.create_user("humas@tolok-ukur.test", "x")
    Membership.objects.create(user=humas, institution=institution, role=Role.PUBLIC_RELATIONS)
    with institution_scope(institution):
        channel = Channel.objects.create(institution=institution, kind=ChannelKind.WHATSAPP_GROUP, name="Grup Guru")
        StaffMember.objects.create(institution=institution, full_name="Budi Santoso, S.Pd.", status="honorer")

        start = time.perf_counter()
        matchers = ImportMatchers(institution)
        with parse(io.BytesIO(data), institution.tzinfo) as result:
            flagged = sum(1 for _ in with_context(result.messages, matchers.base, 3))
        engine = time.perf_counter() - start

        start = time.perf_counter()
        with mock.patch("triage.services._queue_parse"):  # parsed below, timed on its own
            chat_import = chat_services.chat_import_start(
                actor=humas, channel=channel, upload=SimpleUploadedFile("chat.txt", data, content_type="text/plain"))
        upload = time.perf_counter() - start
        start = time.perf_counter()
        chat_import = chat_services.chat_import_parse(chat_import=chat_import)
        store = time.perf_counter() - start
        assert chat_import.state == "preview", chat_import.problem_code
        return {
            "database": connection.vendor,
            "messages": chat_import.message_count + chat_import.system_lines,
            "megabytes": round(len(data) / 1e6, 1),
            "flagged": chat_import.flag_count,
            "stored_messages": ChatMessage.objects.filter(chat_import=chat_import).count(),
            "stored_flags": ChatFlag.objects.filter(chat_import=chat_import).count(),
            "seconds": {"engine": round(engine, 2), "upload": round(upload, 2), "parse_and_store": round(store, 2)},
            "engine_flagged": flagged,
            "load_average": os.getloadavg()[0],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(json.dumps(run(args.messages), indent=2))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
