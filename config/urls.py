"""URL wiring. Tenant URLs live below /instansi/<institution>/ and are guarded by
governance.tenancy.TenantMiddleware; the rest is public or account pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from governance import views as governance_views

tenant_patterns = [
    path("", include("governance.urls")),
    path("", include("reports.urls")),
    path("", include("members.urls")),
    path("", include("sanctions.urls")),
    path("", include("triage.urls")),
]

urlpatterns = [
    path("", governance_views.home, name="home"),
    path("healthz", governance_views.healthz, name="healthz"),
    path("akun/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("governance.public_urls")),
    path("", include("governance.platform_urls")),
    path("", include("members.public_urls")),
    path("", include("sanctions.public_urls")),
    path("instansi/<slug:institution>/", include(tenant_patterns)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
