from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Chat-export triage")

    def ready(self):
        from . import navigation

        navigation.register()
