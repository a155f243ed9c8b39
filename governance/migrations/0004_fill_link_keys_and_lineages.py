"""Fill the link keys of channels and the lineages of rules that existed before 0003.

A migration of its own, so that its row updates commit before 0005 alters the tables (PostgreSQL
refuses to alter a table with pending trigger events in the same transaction)."""

import uuid

from django.db import migrations


def fill_existing_rows(apps, schema_editor):
    from governance.links import link_key

    Channel = apps.get_model("governance", "Channel")
    Rule = apps.get_model("governance", "Rule")
    Channel.objects.filter(posting_target=0).update(posting_target=None)
    seen = set()
    for channel in Channel.objects.order_by("pk"):
        key = link_key(channel.kind, channel.link)
        if key and (channel.institution_id, key) not in seen:
            seen.add((channel.institution_id, key))
            Channel.objects.filter(pk=channel.pk).update(link_key=key)
    for rule in Rule.objects.filter(lineage__isnull=True):
        Rule.objects.filter(pk=rule.pk).update(lineage=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_channels_codes_publications")]
    operations = [migrations.RunPython(fill_existing_rows, migrations.RunPython.noop)]
