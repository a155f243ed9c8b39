# The time to explain and the time to carry out a removal, set by each institution in its ladder policy.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sanctions', '0015_explanation_how_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='ladder',
            name='hearing_working_days',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='time to explain (working days)'),
        ),
        migrations.AddField(
            model_name='ladder',
            name='removal_working_days',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='removal from the group within (working days)'),
        ),
    ]
