"""Show what importing a WhatsApp chat export would produce, without saving anything."""

import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from triage.chat import CATEGORIES, AmbiguousDateOrder, ChatImportError, build_matcher, summarize


class Command(BaseCommand):
    help = (
        "Print a JSON summary of a WhatsApp chat export (.txt or .zip): format, message count, authors, "
        "first and last message time, system lines and flags per rule category. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the exported .txt or .zip file")
        parser.add_argument("--tz", default=settings.TIME_ZONE,
                            help="time zone of the institution, e.g. Asia/Makassar (default: %(default)s)")
        parser.add_argument("--date-order", choices=["dmy", "mdy"],
                            help="read dates day-first (dmy) or month-first (mdy) when the file cannot tell")
        parser.add_argument("--term", action="append", default=[], metavar="CATEGORY=TERM",
                            help="an extra lexicon term, e.g. politics='Budi Santoso' (repeatable)")
        parser.add_argument("--no-default-lexicon", action="store_true",
                            help="flag only with the --term terms")

    def handle(self, *args, **options):
        try:
            tz = ZoneInfo(options["tz"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(_("Unknown time zone: %(tz)s") % {"tz": options["tz"]}) from None
        extra: dict[str, list[str]] = {}
        for item in options["term"]:
            category, sep, term = item.partition("=")
            if not sep or category not in CATEGORIES or not term.strip():
                raise CommandError(
                    _("A term is written CATEGORY=TERM, with CATEGORY one of: %(categories)s")
                    % {"categories": ", ".join(CATEGORIES)}
                )
            extra.setdefault(category, []).append(term)
        matcher = build_matcher(extra, defaults=not options["no_default_lexicon"])
        try:
            summary = summarize(options["file"], tz, options["date_order"], matcher)
        except FileNotFoundError:
            raise CommandError(_("File not found: %(path)s") % {"path": options["file"]}) from None
        except AmbiguousDateOrder as error:
            raise CommandError(f"{error} " + _("Use --date-order dmy or --date-order mdy.")) from None
        except ChatImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
