"""Benchmark (not a test): the staff import against a plain bulk_create of the same rows.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/import_staff.py [--rows 10000] [--repeat 3]

With DATABASE_URL set it runs on that server (in a throw-away test database), otherwise on
in-memory SQLite. For CSV and XLSX it times the preview (read, check and plan every row) and the
confirmed import (read and plan again, then write in one transaction with one audit entry), and
compares the import with ``StaffMember.objects.bulk_create`` of the same, already clean rows.
Each is run ``--repeat`` times (default 3), taking turns, and the medians are printed. The goal is an import at most 3× the plain bulk_create; the ratio is printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

HEADERS = ["NIP", "Nama", "Jabatan", "Status Kepegawaian", "No. HP", "Email"]


def generate(n: int) -> list[list[str]]:
    rng = random.Random(20240214)
    rows, used = [], set()
    for i in range(n):
        while True:
            nip = (f"{rng.randint(1965, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                   f"{rng.randint(2015, 2023)}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}")
            if nip not in used:
                used.add(nip)
                break
        rows.append([nip, f"Pegawai Uji {i}, S.Pd.", rng.choice(["Guru", "Staf TU", "Pustakawan"]),
                     rng.choice(["PNS", "PPPK"]), f"0812{i:08d}", f"pegawai{i}@contoh.test"])
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows) -> bytes:
    # A workbook as openpyxl writes it (text inline in the cells, as many personnel systems do; Excel
    # itself writes a shared-strings table).
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(n: int, repeat: int = 3) -> None:
    from governance.models import Institution
    from governance.tenancy import institution_scope
    from members import services
    from members.models import ImportJob, StaffMember
    from members.validators import normalize_phone, parse_nip

    institution = Institution.objects.create(name="Instansi Tolok Ukur", slug="tolok-ukur", kind="madrasah")
    rows = generate(n)
    files = {"csv": as_csv(rows), "xlsx": as_xlsx(rows)}
    status = {"PNS": "pns", "PPPK": "pppk"}
    print(f"{n} rows on {connection.vendor}")
    with institution_scope(institution):
        def build():
            objects = []
            for nip, name, position, state, phone, email in rows:
                parts = parse_nip(nip)
                objects.append(StaffMember(institution=institution, nip=nip, full_name=name, position=position,
                                           status=status[state], phone=normalize_phone(phone), email=email,
                                           birth_date=parts.birth_date, sex=parts.sex))
            return objects

        def insert(objects):
            with transaction.atomic():
                StaffMember.objects.bulk_create(objects, batch_size=1000)

        samples: dict[str, list[float]] = {"prepare": [], "bulk": []}
        for _ in range(repeat):  # the runs take turns, so that a change in the machine's load hits all alike
            prepare, objects = timed(build)
            bulk, _ = timed(lambda objects=objects: insert(objects))
            samples["prepare"].append(prepare)
            samples["bulk"].append(bulk)
            StaffMember.objects.filter(institution=institution).delete()
            for kind, data in files.items():
                job = ImportJob.objects.create(institution=institution, kind=ImportJob.Kind.STAFF)
                job.file.save(f"bench.{kind}", io.BytesIO(data), save=True)
                preview, job = timed(lambda job=job: services.import_job_preview(job=job))
                assert job.state == ImportJob.State.READY, job.problem or job.rows[:3]
                job.state = ImportJob.State.IMPORTING
                job.save()
                imported, job = timed(lambda job=job: services.import_job_apply(job=job, actor=None))
                assert job.state == ImportJob.State.DONE and job.counts["new"] == n, job.counts
                again = ImportJob.objects.create(institution=institution, kind=ImportJob.Kind.STAFF)
                again.file.save(f"again.{kind}", io.BytesIO(data), save=True)
                reimport, again = timed(lambda again=again: services.import_job_preview(job=again))
                assert again.counts["unchanged"] == n
                services.import_job_cancel(actor=None, job=again)
                for name, value in (("preview", preview), ("import", imported), ("reimport", reimport)):
                    samples.setdefault(f"{kind}_{name}", []).append(value)
                StaffMember.objects.filter(institution=institution).delete()
        med = {name: statistics.median(values) for name, values in samples.items()}
        bulk, prepare = med["bulk"], med["prepare"]
        print(f"  plain bulk_create of ready objects: {bulk:6.2f} s "
              f"(building them from the rows: {prepare:5.2f} s more)")
        for kind in files:
            preview, imported, reimport = med[f"{kind}_preview"], med[f"{kind}_import"], med[f"{kind}_reimport"]
            ratios = sorted(i / b for i, b in zip(samples[f"{kind}_import"], samples["bulk"], strict=True))
            print(f"  {kind.upper():4} preview {preview:6.2f} s · import {imported:6.2f} s "
                  f"(ratio to bulk_create {imported / bulk:4.1f}×, to build + bulk_create {imported / (bulk + prepare):4.1f}×) · re-import preview {reimport:6.2f} s"
                  f" · per-run ratios {', '.join(f'{r:.1f}' for r in ratios)}")
        print(f"  medians of {repeat} runs · load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians are printed")
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.rows, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
