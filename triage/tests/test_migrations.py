"""The chat-export models moved from the sanctions app to this one without touching their tables:
imports made before the move are read, whole, through ``triage.models`` after it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import build_side
from governance.models import RuleCategory
from sanctions.tests.factories import group
from triage.models import ChatFlag, ChatImport, ChatLexicon

BEFORE_THE_MOVE = [("sanctions", "0004_rename_evidence_caseevidence")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_chat_imports_made_in_the_sanctions_app_are_read_through_triage_after_the_move(unscoped):
    side = build_side("pindah")
    humas = side.users["humas"]
    channel = group(side.institution, name="Grup Guru")
    content_type = ContentType.objects.get_for_model(ChatImport).pk
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = _migrate(BEFORE_THE_MOVE)
    try:
        assert ContentType.objects.filter(app_label="sanctions", model="chatimport").exists()
        OldImport, OldAuthor = old.get_model("sanctions", "ChatImport"), old.get_model("sanctions", "ChatAuthor")
        OldMessage, OldFlag = old.get_model("sanctions", "ChatMessage"), old.get_model("sanctions", "ChatFlag")
        sent = timezone.make_aware(datetime.datetime(2024, 11, 13, 19, 40))
        chat_import = OldImport.objects.create(
            institution_id=side.institution.pk, channel_id=channel.pk, state="confirmed", sha256="0" * 64,
            created_by_id=humas.pk, message_count=12, flag_count=1, flag_counts={"hoax": 1}, parsed_at=sent)
        author = OldAuthor.objects.create(chat_import=chat_import, name="Budi Santoso", messages=5, flags=1)
        message = OldMessage.objects.create(chat_import=chat_import, index=4, sent_at=sent, author=author,
                                            kind="message", text="Info: madrasah libur seminggu krn banjir.")
        OldFlag.objects.create(chat_import=chat_import, message=message, category="hoax", categories=",hoax,",
                               terms=["libur"], sent_at=sent)
        old.get_model("sanctions", "ChatLexicon").objects.create(
            institution_id=side.institution.pk, category="hoax", additions="banjir bandang")
    finally:
        _migrate(leaves)

    moved = ChatImport.objects.get(pk=chat_import.pk)
    assert (moved.channel, moved.created_by, moved.state, moved.flag_counts) == (channel, humas, "confirmed", {"hoax": 1})
    assert [a.name for a in moved.authors.all()] == ["Budi Santoso"]
    flag = ChatFlag.objects.get(chat_import=moved)
    assert flag.message.text == "Info: madrasah libur seminggu krn banjir." and flag.message.author.name == "Budi Santoso"
    assert flag.category_list == [RuleCategory.HOAX] and flag.state == "open"
    assert ChatLexicon.objects.get(institution=side.institution).added == ["banjir bandang"]
    # The same content type row, now under this app's label.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(ChatImport).pk == content_type
    assert not ContentType.objects.filter(app_label="sanctions", model__startswith="chat").exists()
