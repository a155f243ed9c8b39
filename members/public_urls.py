"""Public, non-tenant URLs of the members app. Each must be listed in members/tests/url_cases.py PUBLIC_NON_TENANT."""

from django.urls import path

from . import views

urlpatterns = [
    # The invitation link: the random token is the key; it works once and expires.
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
