"""Public, non-tenant URLs of the sanctions app. Each must be listed in sanctions/tests/url_cases.py PUBLIC_NON_TENANT."""

urlpatterns: list = []
