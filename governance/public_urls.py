"""Public, non-tenant URLs of the governance app. Each must be listed in governance/tests/url_cases.py PUBLIC_NON_TENANT."""

from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # The language switcher: on the account when signed in, in a cookie before.
    path("bahasa/", views.switch_language, name="switch_language"),
    # What Santun holds about the signed-in person, whatever their roles (login required).
    path("data-saya/", views.my_data_account, name="my_data_account"),
    path("data-saya/unduh/", views.my_data_account_download, name="my_data_account_download"),
]
