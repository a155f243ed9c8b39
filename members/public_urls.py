"""Public, non-tenant URLs of the members app. Each must be listed in members/tests/url_cases.py PUBLIC_NON_TENANT."""

urlpatterns: list = []
