"""Tenant URLs of the reports app, below /instansi/<institution>/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
