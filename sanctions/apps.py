from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanctions")

    def ready(self):
        from . import navigation

        navigation.register()
        from . import personal_data

        personal_data.register()
