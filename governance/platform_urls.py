"""Pages of the platform operators, outside any institution (superusers only). Each must be listed
in governance/tests/url_cases.py PLATFORM_NON_TENANT, which tests/test_isolation.py walks."""

from django.urls import path

from . import views

urlpatterns = [
    path("platform/pemilu/", views.platform_election_list, name="platform_election_list"),
    path("platform/pemilu/baru/", views.platform_election_create, name="platform_election_create"),
    path("platform/pemilu/<int:pk>/ubah/", views.platform_election_edit, name="platform_election_edit"),
    path("platform/pemilu/<int:pk>/hapus/", views.platform_election_delete, name="platform_election_delete"),
]
