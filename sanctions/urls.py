"""Tenant URLs of the sanctions app, below /instansi/<institution>/."""

from django.urls import path

from . import views

app_name = "sanctions"

urlpatterns = [
    path("pelanggaran/lapor/", views.report_create, name="report_create"),
    path("pelanggaran/saya/", views.my_cases, name="my_cases"),
    path("pelanggaran/saya/tindakan/<int:pk>/", views.my_measure, name="my_measure"),
    path("pelanggaran/saya/tindakan/<int:pk>/terima/", views.my_measure_acknowledge, name="my_measure_acknowledge"),
    path("pelanggaran/saya/tindakan/<int:pk>/keberatan/", views.my_measure_object, name="my_measure_object"),
    path("pelanggaran/saya/tindakan/<int:pk>/banding/", views.my_measure_appeal, name="my_measure_appeal"),
    path("pelanggaran/saya/tindakan/<int:pk>/surat.pdf", views.my_letter_pdf, name="my_letter_pdf"),
    path("pelanggaran/saya/klarifikasi/<int:pk>/", views.my_explanation, name="my_explanation"),
    path("pelanggaran/", views.queue, name="queue"),
    path("pelanggaran/unduh.csv", views.queue_export, {"fmt": "csv"}, name="queue_csv"),
    path("pelanggaran/unduh.xlsx", views.queue_export, {"fmt": "xlsx"}, name="queue_xlsx"),
    path("pelanggaran/massal/", views.queue_bulk, name="queue_bulk"),
    path("pelanggaran/<int:pk>/", views.report_detail, name="report_detail"),
    path("pelanggaran/<int:pk>/berkas-perkara.pdf", views.case_dossier, name="case_dossier"),
    path("pelanggaran/<int:pk>/telaah/", views.report_start_review, name="report_start_review"),
    path("pelanggaran/<int:pk>/tugaskan/", views.report_assign, name="report_assign"),
    path("pelanggaran/<int:pk>/catatan/", views.report_note, name="report_note"),
    path("pelanggaran/<int:pk>/putuskan/", views.report_decide, name="report_decide"),
    path("pelanggaran/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("pelanggaran/<int:pk>/usulkan/", views.measure_propose, name="measure_propose"),
    path("pelanggaran/<int:pk>/rujuk/", views.referral_create, name="referral_create"),
    path("pelanggaran/<int:pk>/klarifikasi/", views.explanation_record, name="explanation_record"),
    path("pelanggaran/<int:pk>/klarifikasi/lewati/", views.explanation_skip, name="explanation_skip"),
    path("pelanggaran/<int:pk>/klarifikasi/berkas/", views.explanation_file, name="explanation_file"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("tindakan/<int:pk>/tarik/", views.measure_withdraw, name="measure_withdraw"),
    path("tindakan/<int:pk>/penyampaian/", views.measure_delivery, name="measure_delivery"),
    path("tindakan/<int:pk>/keberatan/", views.objection_file_for, name="objection_file_for"),
    path("tindakan/<int:pk>/banding/", views.appeal_file_for, name="appeal_file_for"),
    path("surat/<int:pk>/surat.pdf", views.letter_pdf, name="letter_pdf"),
    path("keputusan/", views.decisions, name="decisions"),
    path("keputusan/tindakan/<int:pk>/", views.measure_decide, name="measure_decide"),
    path("keputusan/keberatan/<int:pk>/", views.objection_decide, name="objection_decide"),
    path("keputusan/banding/<int:pk>/", views.appeal_decide, name="appeal_decide"),
    path("keputusan-induk/", views.decisions_escalated, name="decisions_escalated"),
    path("keputusan-induk/tindakan/<int:pk>/", views.measure_decide_escalated, name="measure_decide_escalated"),
    path("keputusan-induk/keberatan/<int:pk>/", views.objection_decide_escalated, name="objection_decide_escalated"),
    path("keputusan-induk/banding/<int:pk>/", views.appeal_decide_escalated, name="appeal_decide_escalated"),
    path("pengeluaran-grup/", views.removals, name="removals"),
    path("pengeluaran-grup/<int:pk>/", views.removal_confirm, name="removal_confirm"),
    path("rujukan/<int:pk>/hasil/", views.referral_outcome, name="referral_outcome"),
    path("tangga-sanksi/", views.ladder, name="ladder"),
    path("tangga-sanksi/kebijakan/", views.ladder_policy, name="ladder_policy"),
]
