"""Public, non-tenant URLs of the sanctions app (letter verification)."""

urlpatterns: list = []
