"""Public, non-tenant URLs of the governance app. Each must be listed in governance/tests/url_cases.py PUBLIC_NON_TENANT."""

urlpatterns: list = []
