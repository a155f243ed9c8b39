"""Public, non-tenant URLs of the sanctions app. Each must be listed in sanctions/tests/url_cases.py PUBLIC_NON_TENANT."""

from django.urls import path

from . import views

urlpatterns = [
    path("verifikasi/<str:code>/", views.verify_letter, name="verify_letter"),
]
