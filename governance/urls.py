"""Tenant URLs of the governance app, below /instansi/<institution>/."""

from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("jejak-audit/", views.audit_log, name="audit_log"),
]
