"""Appoint an acting head (Plh/Plt) — for a platform operator, at a top-level institution, which has
no parent whose head could do it on the page. Goes through the same service (audited).

    python manage.py appoint_acting pemkab-oku-timur sekda@okutimurkab.go.id [--from 2027-01-04] [--until 2027-01-15]
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.models import Institution
from governance.tenancy import institution_scope
from members import services
from members.models import StaffMember


class Command(BaseCommand):
    help = "Appoint an acting head (Plh/Plt) at an institution (platform operators)."

    def add_arguments(self, parser):
        parser.add_argument("institution", help="the institution's short address (slug)")
        parser.add_argument("email", help="the e-mail of a current staff member with an account")
        parser.add_argument("--from", dest="starts_on", type=datetime.date.fromisoformat, default=None,
                            help="the first day (YYYY-MM-DD), for a leave planned ahead; leave out to start today")
        parser.add_argument("--until", type=datetime.date.fromisoformat, default=None,
                            help="the day the head is back (YYYY-MM-DD); leave out for a standing acting head")

    def handle(self, *args, institution, email, starts_on=None, until=None, **options):
        place = Institution.objects.filter(slug=institution, is_active=True).first()
        if place is None:
            raise CommandError(f"No active institution {institution!r}.")
        with institution_scope(place):
            staff = StaffMember.objects.filter(institution=place, user__email__iexact=email, left_on__isnull=True).first()
            if staff is None:
                raise CommandError(f"{email} is not a current staff member with an account at {place.slug}.")
            try:
                membership = services.acting_appoint(actor=None, staff=staff, starts_on=starts_on, ends_on=until)
            except (ValidationError, PermissionDenied) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"{staff.full_name} is acting head of {place.name} from {membership.starts_on}"
                          + (f" until {membership.ends_on}." if membership.ends_on else "."))
