"""Tenant URLs of chat-export triage, below /instansi/<institution>/ (namespace "triage")."""

from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("triase-chat/", views.chat_imports, name="chat_imports"),
    path("triase-chat/grup/<int:channel_pk>/unggah/", views.chat_upload, name="chat_upload"),
    path("triase-chat/<int:pk>/", views.chat_import, name="chat_import"),
    path("triase-chat/<int:pk>/progres/", views.chat_progress, name="chat_progress"),
    path("triase-chat/<int:pk>/urutan-tanggal/", views.chat_date_order, name="chat_date_order"),
    path("triase-chat/<int:pk>/konfirmasi/", views.chat_confirm, name="chat_confirm"),
    path("triase-chat/<int:pk>/batalkan/", views.chat_cancel, name="chat_cancel"),
    path("triase-chat/<int:pk>/hapus-teks/", views.chat_purge, name="chat_purge"),
    path("triase-chat/<int:pk>/penulis/", views.chat_author_match, name="chat_author_match"),
    path("triase-chat/<int:pk>/temuan/", views.chat_triage, name="chat_triage"),
    path("triase-chat/temuan/<int:pk>/abaikan/", views.chat_flag_dismiss, name="chat_flag_dismiss"),
    path("triase-chat/temuan/<int:pk>/buka-lagi/", views.chat_flag_reopen, name="chat_flag_reopen"),
    path("triase-chat/temuan/<int:pk>/laporan/", views.chat_flag_report, name="chat_flag_report"),
    path("triase-chat/temuan/<int:pk>/bukti.pdf", views.chat_flag_pdf, name="chat_flag_pdf"),
    path("triase-chat/leksikon/", views.chat_lexicon, name="chat_lexicon"),
    path("triase-chat/leksikon/ubah/", views.chat_lexicon_edit, name="chat_lexicon_edit"),
]
