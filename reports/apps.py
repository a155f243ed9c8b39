from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from governance.retention import RetentionSweep, register_retention
        from governance.seeding import register_demo

        from . import panels, permissions, services

        permissions.register()
        register_demo("reports.demo.seed")
        panels.register()
        register_retention(RetentionSweep("reports.exports", services.exports_purge_due, order=20))
