from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import invalidation, navigation, permissions, signals  # noqa: F401
        from .seeding import register_demo

        permissions.register()
        register_demo("governance.demo.seed")
        post_save.connect(invalidation.bump_for_instance, dispatch_uid="governance.cache.save")
        post_delete.connect(invalidation.bump_for_instance, dispatch_uid="governance.cache.delete")
        navigation.register_defaults()
        navigation.register_governance()
