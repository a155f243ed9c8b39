from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Chat-export triage")

    def ready(self):
        from governance.retention import RetentionSweep, register_retention
        from governance.seeding import register_demo
        from governance.selectors import register_audit_case

        from . import navigation, permissions, selectors, services

        permissions.register()
        register_audit_case(selectors.audit_case_targets)
        register_retention(RetentionSweep("triage.chat", services.chat_retention_sweep, order=20))
        register_demo("triage.demo.seed")
        navigation.register()
