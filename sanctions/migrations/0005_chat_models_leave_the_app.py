"""The chat-export models (ChatImport, ChatAuthor, ChatMessage, ChatFlag, ChatLexicon) leave this
app's state. Their tables and rows stay where they are: the app that now owns the models names the
same tables (``sanctions_chat*``) in its first migration, which depends on this one."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sanctions', '0004_rename_evidence_caseevidence'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ChatFlag'),
                migrations.DeleteModel(name='ChatMessage'),
                migrations.DeleteModel(name='ChatAuthor'),
                migrations.DeleteModel(name='ChatLexicon'),
                migrations.DeleteModel(name='ChatImport'),
            ],
        ),
    ]
