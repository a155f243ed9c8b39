"""Tenant URLs of the governance app, below /instansi/<institution>/."""

from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("jejak-audit/", views.audit_log, name="audit_log"),
    path("jejak-audit/unduh.csv", views.audit_log_download, {"fmt": "csv"}, name="audit_log_csv"),
    path("jejak-audit/unduh.jsonl", views.audit_log_download, {"fmt": "jsonl"}, name="audit_log_jsonl"),
    # What Santun holds about the signed-in person (UU 27/2022), across institutions.
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/unduh/", views.my_data_download, name="my_data_download"),
    path("akun-saya/", views.my_settings, name="my_settings"),
    # The institution's own settings (head and operator).
    path("pengaturan/", views.settings_profile, name="settings_profile"),
    path("pengaturan/logo/", views.settings_logo, name="settings_logo"),
    path("pengaturan/surat/", views.settings_letters, name="settings_letters"),
    path("pengaturan/surat/pratinjau/", views.settings_letters_preview, name="settings_letters_preview"),
    # Groups and official accounts.
    path("kanal/", views.channel_list, name="channel_list"),
    path("kanal/baru/", views.channel_create, name="channel_create"),
    path("kanal/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("kanal/<int:pk>/ubah/", views.channel_edit, name="channel_edit"),
    path("kanal/<int:pk>/arsipkan/", views.channel_archive, name="channel_archive"),
    path("kanal/<int:pk>/pulihkan/", views.channel_restore, name="channel_restore"),
    path("kanal/<int:pk>/aktivitas/", views.channel_activity, name="channel_activity"),
    # Codes of conduct. The public page and its QR code need no sign-in.
    path("kode-etik/", views.public_code, name="public_code"),
    path("kode-etik/qr.svg", views.public_code_qr_svg, name="public_code_qr_svg"),
    path("kode-etik/qr.png", views.public_code_qr_png, name="public_code_qr_png"),
    path("kode-etik/kelola/", views.code_versions, name="code_versions"),
    path("kode-etik/kelola/baru/", views.code_version_start, name="code_version_start"),
    path("kode-etik/kelola/templat/", views.code_templates, name="code_templates"),
    path("kode-etik/kelola/adopsi/", views.code_adopt, name="code_adopt"),
    path("kode-etik/versi/<int:pk>/", views.code_version_detail, name="code_version_detail"),
    path("kode-etik/versi/<int:pk>/perubahan/", views.code_version_diff, name="code_version_diff"),
    path("kode-etik/versi/<int:pk>/ubah/", views.code_version_edit, name="code_version_edit"),
    path("kode-etik/versi/<int:pk>/aturan/baru/", views.rule_create, name="rule_create"),
    path("kode-etik/versi/<int:pk>/terbitkan/", views.code_publish, name="code_publish"),
    path("kode-etik/versi/<int:pk>/buang/", views.code_discard, name="code_discard"),
    path("kode-etik/aturan/<int:pk>/ubah/", views.rule_edit, name="rule_edit"),
    path("kode-etik/aturan/<int:pk>/hapus/", views.rule_remove, name="rule_remove"),
    # Regional election periods, kept by a province or regency office for its own region.
    path("pemilu/", views.election_list, name="election_list"),
    path("pemilu/baru/", views.election_create, name="election_create"),
    path("pemilu/<int:pk>/ubah/", views.election_edit, name="election_edit"),
    path("pemilu/<int:pk>/hapus/", views.election_delete, name="election_delete"),
    # Publication log of official accounts.
    path("publikasi/", views.publication_list, name="publication_list"),
    path("publikasi/baru/", views.publication_create, name="publication_create"),
    path("publikasi/impor/", views.publication_import, name="publication_import"),
    path("publikasi/impor/contoh.csv", views.publication_import_sample, name="publication_import_sample"),
    path("publikasi/capaian/", views.publication_attainment, name="publication_attainment"),
    path("publikasi/draf/", views.publication_draft, name="publication_draft"),
    path("publikasi/<int:pk>/periksa/", views.publication_check, name="publication_check"),
    path("publikasi/<int:pk>/terbitkan/", views.publication_publish, name="publication_publish"),
    path("publikasi/<int:pk>/ubah/", views.publication_edit, name="publication_edit"),
    path("publikasi/<int:pk>/hapus/", views.publication_delete, name="publication_delete"),
]
