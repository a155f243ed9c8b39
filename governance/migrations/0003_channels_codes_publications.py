"""Channels get a normalised link key, rules a lineage across versions; the publication log and the
record of election reminders. Keys of existing rows are filled in by 0004, constrained by 0005."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0002_audit_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='ElectionReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent at')),
                ('recipients', models.PositiveIntegerField(default=0, verbose_name='recipients')),
            ],
            options={
                'verbose_name': 'election reminder',
                'verbose_name_plural': 'election reminders',
            },
        ),
        migrations.CreateModel(
            name='Publication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(verbose_name='published at')),
                ('link', models.URLField(blank=True, max_length=500, verbose_name='link to the post')),
                ('topic', models.CharField(max_length=200, verbose_name='topic')),
                ('source_verified', models.BooleanField(default=False, verbose_name='source checked')),
                ('content_true', models.BooleanField(default=False, verbose_name='content is true')),
                ('nothing_confidential', models.BooleanField(default=False, help_text='No whiteboards, slides, papers or screens with confidential information in the picture.', verbose_name='nothing confidential visible')),
                ('neutral', models.BooleanField(default=False, verbose_name='politically neutral')),
                ('caption_matches', models.BooleanField(default=False, verbose_name='caption matches the picture')),
                ('source', models.CharField(choices=[('manual', 'Entered by hand'), ('import', 'Imported from CSV')], default='manual', editable=False, max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'publication',
                'verbose_name_plural': 'publications',
                'ordering': ['-published_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='channel',
            name='link_key',
            field=models.CharField(blank=True, db_index=True, default='', editable=False, max_length=320),
        ),
        migrations.AddField(
            model_name='channel',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='codeversion',
            name='based_on',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.codeversion', verbose_name='copied from'),
        ),
        migrations.AddField(
            model_name='codeversion',
            name='change_note',
            field=models.TextField(blank=True, help_text='A short note for staff on what this version changes.', verbose_name='what changed'),
        ),
        migrations.AddField(
            model_name='codeversion',
            name='source_note',
            field=models.TextField(blank=True, help_text='Where these rules come from, e.g. the meeting or the article that set them, with its date.', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='codeversion',
            name='template_key',
            field=models.CharField(blank=True, max_length=40, verbose_name='template'),
        ),
        migrations.AddField(
            model_name='codeversion',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='rule',
            name='lineage',
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AlterField(
            model_name='codeversion',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('superseded', 'Superseded'), ('discarded', 'Discarded draft')], default='draft', max_length=12, verbose_name='state'),
        ),
        migrations.AddConstraint(
            model_name='codeversion',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'draft')), fields=('institution',), name='one_draft_code_per_institution'),
        ),
        migrations.AddConstraint(
            model_name='rule',
            constraint=models.UniqueConstraint(fields=('version', 'number'), name='rule_number_unique_per_version'),
        ),
        migrations.AddField(
            model_name='electionreminder',
            name='institution',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.institution'),
        ),
        migrations.AddField(
            model_name='electionreminder',
            name='period',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='governance.electionperiod'),
        ),
        migrations.AddField(
            model_name='publication',
            name='channel',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publications', to='governance.channel', verbose_name='account'),
        ),
        migrations.AddField(
            model_name='publication',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='publication',
            name='institution',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publications', to='governance.institution'),
        ),
        migrations.AddField(
            model_name='publication',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='checked by'),
        ),
        migrations.AddConstraint(
            model_name='electionreminder',
            constraint=models.UniqueConstraint(fields=('institution', 'period'), name='one_election_reminder_per_institution'),
        ),
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['institution', 'published_at'], name='governance__institu_26c955_idx'),
        ),
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['channel', 'published_at'], name='governance__channel_9f6882_idx'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.UniqueConstraint(condition=models.Q(('link', ''), _negated=True), fields=('channel', 'link'), name='publication_link_unique_per_account'),
        ),
    ]
