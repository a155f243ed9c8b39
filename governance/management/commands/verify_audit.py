from django.core.management.base import BaseCommand

from governance.audit import verify_chains


class Command(BaseCommand):
    help = "Verify the audit chains (HMAC of each entry, links, heads and anchors). Exit 0 with the entry count if intact, 1 naming the first broken entry."

    def handle(self, *args, **options):
        result = verify_chains()
        if result.ok:
            self.stdout.write(f"OK: {result.entries} audit entries, chains intact, {result.anchors} anchors match.")
            return
        entry = result.broken_entry
        where = f"entry id={entry.pk} seq={entry.seq} action={entry.action}" if entry else "empty chain"
        self.stderr.write(f"BROKEN: chain {result.broken_chain}, {where}: {result.reason}")
        raise SystemExit(1)
