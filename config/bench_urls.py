"""The portal's URLs plus the benchmark's yardstick, wired only by config.settings.bench.

``/__bench__/minimal/`` goes through the same middleware stack as every page (sessions, locale,
CSRF, authentication, CSP, allauth, htmx, tenancy) and returns a few bytes without touching the
database beyond what the middleware does: the fastest a page of this server can be."""

from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as portal_urlpatterns


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/minimal/", minimal, name="bench_minimal"), *portal_urlpatterns]
