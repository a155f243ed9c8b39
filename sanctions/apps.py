from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanctions")

    def ready(self):
        from governance.retention import RetentionSweep, register_retention
        from governance.seeding import register_demo
        from governance.selectors import register_audit_case

        from . import navigation, numbering, permissions, personal_data, selectors, services

        permissions.register()
        register_demo("sanctions.demo.seed")
        register_demo("sanctions.demo_recent.seed")
        register_demo("sanctions.demo_spread.seed")
        navigation.register()
        personal_data.register()
        numbering.register()
        register_audit_case(selectors.audit_case_targets)
        register_retention(RetentionSweep("sanctions.cases", services.cases_purge_due,
                                          settle=services.retention_settle, order=10))
