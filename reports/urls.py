"""Tenant URLs of the reports app, below /instansi/<institution>/.

- ``rapor/``, ``penilaian-diri/``: the institution's own report cards and self-assessment;
- ``statistik/``: moderation statistics of the institution or its subtree, with CSV/XLSX downloads;
- ``penilaian/``, ``rubrik/``: an assessor institution's periods, scoring, results and rubrics.
"""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    # The assessed institution.
    path("rapor/", views.card_list, name="card_list"),
    path("rapor/<int:pk>/", views.card_detail, name="card_detail"),
    path("rapor/<int:pk>/rapor.xlsx", views.card_xlsx, name="card_xlsx"),
    path("rapor/<int:pk>/rapor.pdf", views.card_pdf, name="card_pdf"),
    path("rapor/<int:pk>/bukti/<int:evidence>/", views.card_evidence, name="card_evidence"),
    path("penilaian-diri/<int:pk>/", views.self_assessment, name="self_assessment"),
    path("penilaian-diri/<int:pk>/kirim/", views.self_assessment_submit, name="self_assessment_submit"),
    path("penilaian-diri/<int:pk>/kriteria/<int:criterion>/", views.answer_edit, name="answer_edit"),
    path("penilaian-diri/<int:pk>/kriteria/<int:criterion>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("penilaian-diri/<int:pk>/bukti/<int:evidence>/hapus/", views.evidence_delete, name="evidence_delete"),
    # Moderation statistics of the institution, or of its subtree.
    path("statistik/", views.statistics_page, name="statistics"),
    path("statistik/unduh.csv", views.statistics_csv, name="statistics_csv"),
    path("statistik/unduh.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    # The assessor institution.
    path("penilaian/", views.period_list, name="period_list"),
    path("penilaian/baru/", views.period_create, name="period_create"),
    path("penilaian/<int:pk>/", views.period_detail, name="period_detail"),
    path("penilaian/<int:pk>/ubah/", views.period_edit, name="period_edit"),
    path("penilaian/<int:pk>/buka/", views.period_open, name="period_open"),
    path("penilaian/<int:pk>/mulai-penilaian/", views.period_start_scoring, name="period_start_scoring"),
    path("penilaian/<int:pk>/hitung-ulang/", views.period_recompute, name="period_recompute"),
    path("penilaian/<int:pk>/finalisasi/", views.period_finalize, name="period_finalize"),
    path("penilaian/<int:pk>/koreksi/", views.period_revise, name="period_revise"),
    path("penilaian/<int:pk>/nilai/", views.scoring_list, name="scoring_list"),
    path("penilaian/<int:pk>/nilai/<int:entry>/", views.scoring_entry, name="scoring_entry"),
    path("penilaian/<int:pk>/nilai/<int:entry>/bukti/<int:evidence>/", views.scoring_evidence, name="scoring_evidence"),
    path("penilaian/<int:pk>/hasil/", views.results, name="results"),
    path("penilaian/<int:pk>/hasil/<int:entry>/", views.result_entry, name="result_entry"),
    path("penilaian/<int:pk>/ekspor/", views.export_request, name="export_request"),
    path("penilaian/<int:pk>/ekspor/<int:export>/", views.export_status, name="export_status"),
    path("penilaian/<int:pk>/ekspor/<int:export>/unduh/", views.export_download, name="export_download"),
    path("penilaian/<int:pk>/ekspor/<int:export>/ulangi/", views.export_retry, name="export_retry"),
    path("rubrik/", views.rubric_list, name="rubric_list"),
    path("rubrik/baru/", views.rubric_create, name="rubric_create"),
    path("rubrik/<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("rubrik/<int:pk>/ubah/", views.rubric_edit, name="rubric_edit"),
    path("rubrik/<int:pk>/salin/", views.rubric_copy, name="rubric_copy"),
]
