"""Now that every row has its key: rules always get a lineage, and duplicates are refused."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_fill_link_keys_and_lineages")]

    operations = [
        migrations.AlterField(
            model_name='rule',
            name='lineage',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name='channel',
            constraint=models.UniqueConstraint(condition=models.Q(('link_key', ''), _negated=True), fields=('institution', 'link_key'), name='channel_link_key_unique_per_institution'),
        ),
        migrations.AddConstraint(
            model_name='channel',
            constraint=models.CheckConstraint(condition=models.Q(('posting_target__isnull', True), ('posting_target__gt', 0), _connector='OR'), name='channel_posting_target_positive'),
        ),
        migrations.AddConstraint(
            model_name='rule',
            constraint=models.UniqueConstraint(fields=('version', 'lineage'), name='rule_lineage_unique_per_version'),
        ),
    ]
