"""The printable case dossier for a referral to an ethics body: what it holds, that the reporter
stays unnamed, and that only those who may open the full case file (never its subject) get it."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from governance.models import AuditEntry, CodeVersion, RuleCategory
from sanctions import services, visitor_actions
from sanctions.models import ReportSource
from sanctions.tests.conftest import plain_client
from sanctions.tests.factories import approved_measure, file_report, png_bytes, staff_for

WIB = datetime.timezone(datetime.timedelta(hours=7))


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def squeezed(text: str) -> str:
    """Without any white space (a long hash may be broken over two lines)."""
    return "".join(text.split())


@pytest.fixture
def full_case(world):
    """Budi's case, reported by the pegawai with a screenshot, heard, decided, objected to, appealed
    and referred, each with its reason."""
    inst, humas, head = world.institution, world.users["humas"], world.users["kepala"]
    world.budi.nip = "198501012010011001"
    world.budi.save()
    # The code was published long before it happened.
    CodeVersion.objects.filter(institution=inst).update(published_at=datetime.datetime(2024, 1, 2, tzinfo=WIB))
    with time_machine.travel(datetime.datetime(2025, 5, 5, 20, 0, tzinfo=WIB), tick=False):
        measure = approved_measure(inst, humas=humas, head=head, reporter=world.users["pegawai"],
                                   subject_staff=world.budi, channel=world.channel,
                                   categories=(RuleCategory.HOAX,), evidence=[("layar.png", png_bytes())])
    with time_machine.travel(datetime.datetime(2025, 5, 8, 10, 0, tzinfo=WIB), tick=False):
        objection = services.objection_file(actor=humas, measure=measure, text="Akun saya dipakai anak saya.")
        rejected = services.objection_decide(actor=head, objection=objection, upheld=False,
                                             reason="Pesan dikirim dari nomor yang terdaftar atas namanya.")
        appeal = services.appeal_file(actor=humas, objection=rejected, text="Mohon ditinjau kepala kantor.")
        services.appeal_decide(actor=world.parent_users["kepala"], appeal=appeal, upheld=False, as_parent=True,
                               reason="Keputusan kepala madrasah sudah cermat.")
        referral = services.referral_create(actor=humas, report=measure.report, track="ethics",
                                            referred_to="Majelis Kode Etik Kankemenag",
                                            referred_on=datetime.date(2025, 5, 8))
        services.referral_record_outcome(actor=head, referral=referral, outcome="Sanksi moral: pernyataan terbuka.",
                                         outcome_on=datetime.date(2025, 5, 8))
    return measure.report


@time_machine.travel(datetime.datetime(2025, 5, 9, 9, 0, tzinfo=WIB), tick=False)
def test_the_dossier_holds_the_case_its_rules_evidence_explanation_decisions_and_history(world, full_case):
    report = full_case
    text = pdf_text(plain_client(world.users["humas"]).get(url(world, "case_dossier", pk=report.pk)))
    flat = squeezed(text)

    assert f"Berkas perkara #{report.pk}" in text
    assert "Budi Santoso, S.Pd." in text and "198501012010011001" in text
    assert squeezed("5 Mei 2025, 20.00 WIB") in flat  # filed, in the institution's zone
    # The rules cited and the version of the code in force then.
    version = report.code_version
    assert squeezed(f"{version.title}, versi {version.number} · berlaku sejak 2 Januari 2024") in flat
    for rule in report.rules.all():
        assert squeezed(rule.text) in flat
    # The evidence by its hash, never the file or its name.
    item = report.evidence.get()
    assert item.sha256 in flat and "layar.png" not in text
    # The explanation and every decision with its reason.
    assert squeezed("Yang bersangkutan mengakui dan menyesal") in flat
    assert squeezed("Bukti tangkapan layar jelas.") in flat  # the triage decision
    assert squeezed("Sesuai tata tertib grup.") in flat  # the measure
    letter = report.measures.get().letter
    assert squeezed(letter.number) in flat
    assert squeezed("Pesan dikirim dari nomor yang terdaftar atas namanya.") in flat  # the objection
    assert squeezed("Keputusan kepala madrasah sudah cermat.") in flat  # the appeal
    assert squeezed("Majelis Kode Etik Kankemenag") in flat and squeezed("Sanksi moral: pernyataan terbuka.") in flat
    # The history, with the audit entries' numbers.
    for label in ("Laporan diajukan", "Bukti dilampirkan", "Tindakan disetujui", "Keberatan ditolak", "Banding ditolak",
                  "Hasil rujukan dicatat"):
        assert squeezed(label) in flat, label
    filed = AuditEntry.objects.get(action="sanctions.report.submitted", target_id=str(report.pk))
    assert filed.hash[:16] in flat


@time_machine.travel(datetime.datetime(2025, 5, 9, 9, 0, tzinfo=WIB), tick=False)
def test_the_dossier_never_names_the_staff_member_who_reported(world, full_case):
    reporter = world.users["pegawai"]
    text = pdf_text(plain_client(world.users["kepala"]).get(url(world, "case_dossier", pk=full_case.pk)))
    assert squeezed("Pelapor (dirahasiakan)") in squeezed(text)
    assert squeezed(str(reporter)) not in squeezed(text) and reporter.email not in text
    # A finding of public relations is theirs to sign: they are named.
    humas = world.users["humas"]
    finding = file_report(world.institution, reporter=humas, subject_staff=world.budi, source=ReportSource.HUMAS)
    text = pdf_text(plain_client(world.users["kepala"]).get(url(world, "case_dossier", pk=finding.pk)))
    assert squeezed("Pelapor (dirahasiakan)") not in squeezed(text) and squeezed(str(humas)) in squeezed(text)


@time_machine.travel(datetime.datetime(2025, 5, 9, 9, 0, tzinfo=WIB), tick=False)
def test_only_those_who_may_open_the_case_file_get_the_dossier_and_its_link(world):
    inst, humas = world.institution, world.users["humas"]
    about_head = file_report(inst, reporter=world.users["pegawai"], subject_staff=staff_for(world.users["kepala"], inst))
    about_budi = file_report(inst, reporter=world.users["pegawai"], subject_staff=world.budi)
    dossier, case = url(world, "case_dossier", pk=about_head.pk), url(world, "report_detail", pk=about_head.pk)

    # The head is its subject: no dossier, whatever their role.
    assert plain_client(world.users["kepala"]).get(dossier).status_code == 403
    assert plain_client(world.users["pegawai"]).get(dossier).status_code == 403
    assert plain_client(world.users["operator"]).get(dossier).status_code == 403
    assert plain_client(humas).get(dossier).status_code == 200
    assert plain_client(world.users["plt"]).get(dossier).status_code == 200

    # The case page offers the link exactly when the visitor may have it.
    from governance.tenancy import access_for

    assert visitor_actions.case_documents(access_for(humas, inst), humas, about_head) == {"dossier"}
    assert visitor_actions.case_documents(access_for(world.users["kepala"], inst), world.users["kepala"],
                                          about_head) == frozenset()
    assert dossier in plain_client(humas).get(case).content.decode()
    head_page = plain_client(world.users["kepala"]).get(url(world, "report_detail", pk=about_budi.pk)).content.decode()
    assert url(world, "case_dossier", pk=about_budi.pk) in head_page
