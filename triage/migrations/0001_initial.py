"""Chat-export triage becomes its own app. Its models were the sanctions app's until
``sanctions.0005_chat_models_leave_the_app``; their tables (``sanctions_chat*``) and rows stay: this
migration only adds the models to this app's state, and moves their content types (and with them the
admin permissions) from the sanctions label to this one. Audit entries name their target by its
label as written when the entry was made, so the older ones keep ``sanctions.chat...``."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["chatimport", "chatauthor", "chatmessage", "chatflag", "chatlexicon"]


def _relabel(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_types_forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "sanctions", "triage")


def content_types_backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "triage", "sanctions")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('governance', '0008_audit_reseal_with_key'),
        ('members', '0003_staff_corrections'),
        ('sanctions', '0005_chat_models_leave_the_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already: state only.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ChatImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('parsing', 'Reading the file'), ('needs_order', 'Date order to choose'), ('refused', 'Refused'), ('preview', 'Waiting for confirmation'), ('confirmed', 'In triage'), ('cancelled', 'Cancelled'), ('expired', 'Not confirmed in time')], default='parsing', max_length=12, verbose_name='state')),
                        ('file', models.FileField(blank=True, max_length=200, upload_to='')),
                        ('original_name', models.CharField(blank=True, max_length=200, verbose_name='file name')),
                        ('size', models.PositiveBigIntegerField(default=0, verbose_name='file size')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the uploaded file')),
                        ('date_order', models.CharField(blank=True, max_length=3)),
                        ('date_order_detected', models.BooleanField(default=True)),
                        ('ambiguous_example', models.CharField(blank=True, max_length=40)),
                        ('format', models.CharField(blank=True, max_length=40, verbose_name='format')),
                        ('format_details', models.CharField(blank=True, max_length=80, verbose_name='format')),
                        ('first_at', models.DateTimeField(blank=True, null=True, verbose_name='first message')),
                        ('last_at', models.DateTimeField(blank=True, null=True, verbose_name='last message')),
                        ('message_count', models.PositiveIntegerField(default=0, verbose_name='messages')),
                        ('system_lines', models.PositiveIntegerField(default=0)),
                        ('author_count', models.PositiveIntegerField(default=0)),
                        ('flag_count', models.PositiveIntegerField(default=0)),
                        ('flag_counts', models.JSONField(blank=True, default=dict)),
                        ('stored_messages', models.PositiveIntegerField(default=0)),
                        ('context', models.PositiveSmallIntegerField(default=3)),
                        ('since', models.DateTimeField(blank=True, null=True)),
                        ('skipped_flags', models.PositiveIntegerField(default=0)),
                        ('election_periods', models.JSONField(blank=True, default=list)),
                        ('problem_code', models.CharField(blank=True, max_length=40)),
                        ('problem_params', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('parsed_at', models.DateTimeField(blank=True, null=True)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('purged_at', models.DateTimeField(blank=True, null=True, verbose_name='chat text deleted')),
                        ('channel', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chat_imports', to='governance.channel', verbose_name='group')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chat_imports', to='governance.institution')),
                    ],
                    options={
                        'verbose_name': 'chat import',
                        'verbose_name_plural': 'chat imports',
                        'db_table': 'sanctions_chatimport',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ChatAuthor',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name in the chat')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='number')),
                        ('match', models.CharField(blank=True, choices=[('phone', 'by phone number'), ('name', 'by name'), ('manual', 'chosen by hand')], max_length=8)),
                        ('ambiguous', models.BooleanField(default=False)),
                        ('messages', models.PositiveIntegerField(default=0)),
                        ('flags', models.PositiveIntegerField(default=0)),
                        ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.staffmember', verbose_name='staff member')),
                        ('chat_import', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='authors', to='triage.chatimport')),
                    ],
                    options={
                        'db_table': 'sanctions_chatauthor',
                        'ordering': ['chat_import_id', '-flags', '-messages', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ChatLexicon',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('hoax', 'Hoax or misleading news'), ('pornography', 'Pornography'), ('politics', 'Politics and election neutrality'), ('sara', 'Ethnicity, religion, race and inter-group relations (SARA)'), ('hate_speech', 'Hate speech against Pancasila, UUD 1945, NKRI or the government'), ('state_symbols', 'State symbols'), ('confidential', 'Confidential or exempted information'), ('harassment', 'Harassment'), ('live_uniform', 'Live streaming in uniform'), ('official_travel', 'Display during official travel'), ('account_naming', 'Account naming'), ('etiquette', 'Etiquette'), ('other', 'Other')], max_length=20, verbose_name='category')),
                        ('additions', models.TextField(blank=True, verbose_name='added terms')),
                        ('removals', models.TextField(blank=True, verbose_name='removed terms')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.institution')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'chat lexicon',
                        'verbose_name_plural': 'chat lexicons',
                        'db_table': 'sanctions_chatlexicon',
                    },
                ),
                migrations.CreateModel(
                    name='ChatMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('index', models.PositiveIntegerField()),
                        ('sent_at', models.DateTimeField()),
                        ('kind', models.CharField(max_length=8)),
                        ('event', models.CharField(blank=True, max_length=20)),
                        ('text', models.TextField(blank=True)),
                        ('edited', models.BooleanField(default=False)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='triage.chatauthor')),
                        ('chat_import', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='triage.chatimport')),
                    ],
                    options={
                        'db_table': 'sanctions_chatmessage',
                        'ordering': ['chat_import_id', 'index'],
                    },
                ),
                migrations.CreateModel(
                    name='ChatFlag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('hoax', 'Hoax or misleading news'), ('pornography', 'Pornography'), ('politics', 'Politics and election neutrality'), ('sara', 'Ethnicity, religion, race and inter-group relations (SARA)'), ('hate_speech', 'Hate speech against Pancasila, UUD 1945, NKRI or the government'), ('state_symbols', 'State symbols'), ('confidential', 'Confidential or exempted information'), ('harassment', 'Harassment'), ('live_uniform', 'Live streaming in uniform'), ('official_travel', 'Display during official travel'), ('account_naming', 'Account naming'), ('etiquette', 'Etiquette'), ('other', 'Other')], max_length=20, verbose_name='category')),
                        ('categories', models.CharField(max_length=250)),
                        ('terms', models.JSONField(default=list)),
                        ('sent_at', models.DateTimeField()),
                        ('state', models.CharField(choices=[('open', 'To review'), ('dismissed', 'Dismissed'), ('reported', 'Reported')], default='open', max_length=10, verbose_name='state')),
                        ('dismiss_reason', models.TextField(blank=True, verbose_name='reason')),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sanctions.violationreport')),
                        ('chat_import', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='triage.chatimport')),
                        ('message', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='flag', to='triage.chatmessage')),
                    ],
                    options={
                        'db_table': 'sanctions_chatflag',
                        'ordering': ['chat_import_id', 'sent_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='chatimport',
                    index=models.Index(fields=['institution', 'state'], name='sanctions_c_institu_48e040_idx'),
                ),
                migrations.AddIndex(
                    model_name='chatimport',
                    index=models.Index(fields=['channel', 'state'], name='sanctions_c_channel_11a745_idx'),
                ),
                migrations.AddConstraint(
                    model_name='chatauthor',
                    constraint=models.UniqueConstraint(fields=('chat_import', 'name'), name='chat_author_unique_per_import'),
                ),
                migrations.AddConstraint(
                    model_name='chatlexicon',
                    constraint=models.UniqueConstraint(fields=('institution', 'category'), name='one_chat_lexicon_per_category'),
                ),
                migrations.AddConstraint(
                    model_name='chatmessage',
                    constraint=models.UniqueConstraint(fields=('chat_import', 'index'), name='chat_message_unique_index'),
                ),
                migrations.AddIndex(
                    model_name='chatflag',
                    index=models.Index(fields=['chat_import', 'state'], name='sanctions_c_chat_im_9b68df_idx'),
                ),
                migrations.AddIndex(
                    model_name='chatflag',
                    index=models.Index(fields=['chat_import', 'category'], name='sanctions_c_chat_im_861743_idx'),
                ),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
