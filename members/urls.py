"""Tenant URLs of the members app, below /instansi/<institution>/."""

app_name = "members"
urlpatterns: list = []
