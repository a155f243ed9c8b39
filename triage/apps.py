from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Chat-export triage")

    def ready(self):
        from governance.seeding import register_demo

        from . import navigation, permissions

        permissions.register()
        register_demo("triage.demo.seed")
        navigation.register()
