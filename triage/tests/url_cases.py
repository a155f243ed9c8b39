"""Every tenant URL of chat-export triage, who may open it, and the objects it needs. Humas and the
head see chat triage; only Humas acts."""

from sanctions.tests.factories import group, join, staff_for
from tests.urlwalk import UrlCase
from triage import services
from triage.tests.factories import AMBIGUOUS_CHAT_LINES, chat_bytes, chat_upload, imported_chat

TRIAGE = frozenset({"humas"})
CHAT_VIEW = frozenset({"kepala", "humas"})
POST_OK = frozenset({302})


def objects(side) -> dict:
    """A confirmed import with flags (one dismissed), a preview waiting for confirmation, and an
    upload waiting for its date order."""
    inst = side.institution
    humas = side.users["humas"]
    channel = group(inst, name=f"Grup Triase {inst.slug}")
    join(channel, staff_for(side.users["pegawai"], inst), role="admin")

    chat = imported_chat(inst, humas=humas, channel=channel)
    chat_flags = list(chat.flags.order_by("pk"))
    services.chat_flag_dismiss(actor=humas, flag=chat_flags[-1], reason="Justru mengingatkan aturan.")
    chat_preview = imported_chat(inst, humas=humas, channel=channel, confirm=False, only_new=False)
    chat_waiting = services.chat_import_start(actor=humas, channel=channel,
                                              upload=chat_upload(chat_bytes(AMBIGUOUS_CHAT_LINES)))
    return {"chat_channel": channel, "chat": chat, "chat_flag": chat_flags[0], "chat_dismissed": chat_flags[-1],
            "chat_preview": chat_preview, "chat_author": chat_preview.authors.first(), "chat_waiting": chat_waiting}


CASES = [
    UrlCase("triage:chat_imports", roles=CHAT_VIEW),
    UrlCase("triage:chat_upload", roles=TRIAGE, kwargs=lambda o: {"channel_pk": o["chat_channel"].pk}),
    UrlCase("triage:chat_import", roles=CHAT_VIEW, kwargs=lambda o: {"pk": o["chat_preview"].pk}),
    UrlCase("triage:chat_progress", roles=CHAT_VIEW, kwargs=lambda o: {"pk": o["chat_preview"].pk},
            ok=frozenset({200, 204})),
    UrlCase("triage:chat_date_order", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_waiting"].pk}, data=lambda o: {"order": "dmy"}),
    UrlCase("triage:chat_confirm", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_preview"].pk}),
    UrlCase("triage:chat_cancel", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_preview"].pk}),
    UrlCase("triage:chat_purge", roles=TRIAGE, method="post", ok=POST_OK, kwargs=lambda o: {"pk": o["chat"].pk}),
    UrlCase("triage:chat_author_match", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_preview"].pk},
            data=lambda o: {"author": o["chat_author"].pk, "staff": ""}),
    UrlCase("triage:chat_triage", roles=CHAT_VIEW, kwargs=lambda o: {"pk": o["chat"].pk}),
    UrlCase("triage:chat_flag_dismiss", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_flag"].pk}, data=lambda o: {"reason": "Bukan pelanggaran."}),
    UrlCase("triage:chat_flag_reopen", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["chat_dismissed"].pk}),
    UrlCase("triage:chat_flag_report", roles=TRIAGE, kwargs=lambda o: {"pk": o["chat_flag"].pk}),
    UrlCase("triage:chat_flag_pdf", roles=TRIAGE, kwargs=lambda o: {"pk": o["chat_flag"].pk}),
    UrlCase("triage:chat_lexicon", roles=CHAT_VIEW),
    UrlCase("triage:chat_lexicon_edit", roles=TRIAGE),
]
