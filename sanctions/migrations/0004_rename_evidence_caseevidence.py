"""The report's evidence files are ``CaseEvidence`` in code (the assessment has its own evidence):
the rows are kept, the table becomes ``sanctions_caseevidence``."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("sanctions", "0003_queue_indexes"),
    ]

    operations = [
        migrations.RenameModel(old_name="Evidence", new_name="CaseEvidence"),
    ]
