from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanctions")

    def ready(self):
        from governance.seeding import register_demo

        from . import navigation, numbering, permissions, personal_data

        permissions.register()
        register_demo("sanctions.demo.seed")
        navigation.register()
        personal_data.register()
        numbering.register()
