"""Tenant URLs of the members app, below /instansi/<institution>/."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("pegawai/", views.directory, name="directory"),
    path("pegawai/baru/", views.staff_create, name="staff_create"),
    path("pegawai/ekspor/", views.export, name="export"),
    path("pegawai/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("pegawai/<int:pk>/ubah/", views.staff_edit, name="staff_edit"),
    path("pegawai/<int:pk>/keluar/", views.staff_leave, name="staff_leave"),
    path("pegawai/<int:pk>/pindah/", views.staff_move, name="staff_move"),
    path("pegawai/<int:pk>/undang/", views.staff_invite, name="staff_invite"),
    path("pegawai/<int:pk>/peran/", views.role_grant, name="role_grant"),
    path("peran/<int:pk>/cabut/", views.role_revoke, name="role_revoke"),
    path("pegawai/koreksi/", views.corrections, name="corrections"),
    path("pegawai/koreksi/<int:pk>/selesai/", views.correction_resolve, name="correction_resolve"),
    path("data-saya/koreksi/<int:pk>/", views.correction_request, name="correction_request"),
    path("undangan/", views.invitation_list, name="invitations"),
    path("undangan/<int:pk>/kirim-ulang/", views.invitation_resend, name="invitation_resend"),
    path("undangan/<int:pk>/batalkan/", views.invitation_revoke, name="invitation_revoke"),
    path("kepala/", views.heads, name="heads"),
    path("kepala/<int:pk>/akhiri/", views.head_end, name="head_end"),
    path("kepala/plt/", views.acting_appoint, name="acting_appoint"),
    path("impor/", views.import_start, name="import_start"),
    path("impor/templat/", views.import_template, name="import_template"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/progres/", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import_confirm"),
    path("impor/<int:pk>/batalkan/", views.import_cancel, name="import_cancel"),
    path("instansi-bawahan/", views.children, name="children"),
    path("instansi-bawahan/baru/", views.child_create, name="child_create"),
    path("instansi-bawahan/<int:pk>/", views.child_edit, name="child_edit"),
    path("grup/<int:channel_pk>/anggota/", views.channel_members, name="channel_members"),
    path("grup/<int:channel_pk>/anggota/tambah/", views.group_add, name="group_add"),
    path("keanggotaan-grup/<int:pk>/peran/", views.group_role, name="group_role"),
    path("keanggotaan-grup/<int:pk>/akhiri/", views.group_end, name="group_end"),
    path("pernyataan/", views.acknowledge, name="acknowledge"),
    path("pernyataan/rekap/", views.acknowledgement_overview, name="acknowledgement_overview"),
    path("pernyataan/rekap/<int:pk>/", views.acknowledgement_status, name="acknowledgement_status"),
    path("pernyataan/rekap/<int:pk>/pengingat/", views.acknowledgement_remind, name="acknowledgement_remind"),
    path("pernyataan/rekap/<int:pk>/kertas/", views.acknowledgement_paper, name="acknowledgement_paper"),
]
