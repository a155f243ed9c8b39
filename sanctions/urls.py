"""Tenant URLs of the sanctions app, below /instansi/<institution>/."""

app_name = "sanctions"
urlpatterns: list = []
