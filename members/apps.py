from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from governance.retention import RetentionSweep, register_retention
        from governance.seeding import register_demo
        from governance.signals import code_published

        from . import hooks, permissions, personal_data, services

        permissions.register()
        register_demo("members.demo.seed")
        hooks.register()
        personal_data.register()
        register_retention(RetentionSweep("members.invitations", services.invitations_purge_due, order=30))
        register_retention(RetentionSweep("members.imports", services.import_files_sweep, order=40))
        code_published.connect(hooks.on_code_published, dispatch_uid="members.acknowledgements")
