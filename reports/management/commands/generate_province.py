"""Generate a province-scale data set for load tests and benchmarks (see reports/province.py).

    python manage.py generate_province --institutions 500

Refuses a database that already holds institutions unless ``--append`` (a second province beside
what is there) or ``--force`` is given, so that nobody fills a production database by accident.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from governance.models import Institution
from reports import province


class Command(BaseCommand):
    help = "Generate a province of N institutions with staff, channels, cases, letters and assessments (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, default=500, help="institutions in all, the top one included")
        parser.add_argument("--append", action="store_true", help="add a further province to a database that has data")
        parser.add_argument("--force", action="store_true", help="same as --append")
        parser.add_argument("--seed", type=int, default=20240601)
        parser.add_argument("--password", default=province.DEFAULT_PASSWORD, help="password of every generated account")
        parser.add_argument("--json", action="store_true", help="print the result as one JSON document")

    def handle(self, *args, institutions, append, force, seed, password, json: bool, **options):
        if institutions < 1:
            raise CommandError("--institutions must be at least 1.")
        existing = Institution.objects.count()
        if existing and not (append or force):
            raise CommandError(
                f"This database already holds {existing} institutions. Refusing to add generated data; "
                f"pass --append (or --force) if this really is a test database.\n"
                f"Basis data ini sudah berisi {existing} instansi. Data buatan tidak ditambahkan; "
                f"gunakan --append (atau --force) bila ini memang basis data uji."
            )
        say = (lambda line: None) if json else self.stdout.write
        say(f"Generating a province of {institutions} institutions ...")
        result = province.generate(institutions, seed=seed, password=password, say=say)
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(f"Done in {result.timings['total']:.1f} s (prefix {result.prefix}).")
        for line in province.summary_lines(result):
            self.stdout.write(f"  {line}")


def _dumps(result) -> str:
    return json.dumps({"prefix": result.prefix, "institutions": result.institutions, "counts": result.counts,
                       "timings": result.timings, "logins": result.logins, "pages": result.pages,
                       "password": result.password})
