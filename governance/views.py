from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification
from .permissions import requires
from .tenancy import institutions_for_user


@login_required
def home(request):
    """Send a signed-in person to their institution, or let them choose, or explain why there is none."""
    institutions = institutions_for_user(request.user)
    if len(institutions) == 1:
        return redirect("reports:dashboard", institution=institutions[0].slug)
    return render(request, "governance/home.html", {"institutions": institutions})


def csrf_failure(request, reason=""):
    template = loader.get_template("403_csrf.html")
    return HttpResponse(template.render({"request": request}, request), status=403)


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@requires("institution.view")
def notification_list(request, institution):
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "governance/notification_list.html", {"page": page})


@require_POST
@requires("institution.view")
def notification_open(request, institution, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("governance:notifications", institution=institution)


@requires("governance.view_audit")
def audit_log(request, institution):
    page = Paginator(selectors.audit_entries(request.institution), 50).get_page(request.GET.get("page"))
    return render(request, "governance/audit_log.html", {"page": page, "title": _("Audit trail")})
