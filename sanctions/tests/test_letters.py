"""Warning letters: content, numbering (also under concurrency on PostgreSQL), and the public
verification page that shows no personal data."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django_scopes import scope
from pypdf import PdfReader

from conftest import need, uses_postgres
from governance.numbering import render_number
from sanctions import services
from sanctions.letters import letter_html, qr_payload, verification_url
from sanctions.models import WarningLetter
from sanctions.tests.factories import approved_measure, proposed_measure


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_number_template_placeholders():
    day = datetime.date(2020, 8, 10)
    assert render_number("B-{seq}/{kode_jabatan}/KP.04.2/{MM}/{YYYY}", seq=123, unit_code="Mts.06.03.1",
                         classification="KP.04.2", day=day) == "B-123/Mts.06.03.1/KP.04.2/08/2020"
    assert render_number("{seq}/{kode_jabatan}/{kode_klasifikasi}/{DD}.{MM}.{YY}", seq=7, unit_code="Rutan.Kds",
                         classification="PK.01", day=day) == "7/Rutan.Kds/PK.01/10.08.20"
    # A broken template is refused, never replaced by the default.
    for broken in ("B-{nomor}/{YYYY}", "B/{kode_jabatan}/{YYYY}", "B-{seq/{YYYY}", "B-{seq:03d}/{YYYY}"):
        with pytest.raises(ValidationError):
            render_number(broken, seq=1, unit_code="X", classification="KP.04.2", day=day)


def test_an_unusable_template_stops_the_approval_with_a_message(world, unscoped):
    from governance.models import Institution

    inst = world.institution
    Institution.objects.filter(pk=inst.pk).update(letter_number_template="B-{nomor}/{YYYY}")
    with pytest.raises(ValidationError, match="nomor"):
        approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_name="Anggota",
                         channel=world.channel)
    assert not WarningLetter.objects.filter(institution=inst).exists()


def test_letter_content_in_indonesian(world):
    inst = world.institution
    inst.address = "Jl. Pendidikan No. 1, Muara Enim"
    inst.save()
    budi = world.budi
    budi.nip = "198503152010011002"
    budi.save()
    with time_machine.travel(datetime.datetime(2025, 3, 12, 2, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"], subject_staff=budi,
                                   channel=world.channel)
    letter = WarningLetter.objects.get(measure=measure)
    html = letter_html(letter)
    letter = services.letter_render_pdf(letter=letter)
    text = pdf_text(letter.pdf.read())
    for expected in [inst.name, "Surat Peringatan Pertama", f"Nomor: {letter.number}", "B-1/Mts.06.03.1/KP.04.2/03/2025",
                     budi.full_name, "198503152010011002", budi.position, world.channel.name,
                     "Tidak menyebarkan berita bohong", "berlaku selama 6 bulan", "12 Maret 2025", "11 September 2025",
                     "bukan hukuman disiplin", "Peraturan Pemerintah Nomor 94 Tahun 2021", "14 hari kerja",
                     letter.signer_name, "telah memberikan klarifikasi pada 12 Maret 2025 secara lisan"]:
        assert expected in " ".join(text.split()) or expected in html, expected
    assert verification_url(letter) in " ".join(text.split()).replace(" ", "") or verification_url(letter) in html
    assert qr_payload(letter) == f"http://127.0.0.1:8000/verifikasi/{letter.verification_code}/"
    assert "data:image/svg+xml" in html and "Jl. Pendidikan No. 1" in html


def test_numbers_run_per_institution_and_restart_each_year(world, side_b, unscoped):
    from sanctions.tests.factories import StaffMemberFactory, publish_code

    inst = world.institution
    numbers = []
    for moment in (datetime.datetime(2025, 12, 30, 3, tzinfo=datetime.UTC), datetime.datetime(2025, 12, 31, 3, tzinfo=datetime.UTC),
                   # 31 Dec 2025 20:00 UTC is already 1 Jan 2026 in Jakarta: the sequence restarts.
                   datetime.datetime(2025, 12, 31, 20, tzinfo=datetime.UTC)):
        with time_machine.travel(moment, tick=False):
            measure = approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"],
                                       subject_name=f"Anggota {moment.hour}", channel=world.channel)
            numbers.append(measure.letter.number)
    assert numbers == ["B-1/Mts.06.03.1/KP.04.2/12/2025", "B-2/Mts.06.03.1/KP.04.2/12/2025",
                       "B-1/Mts.06.03.1/KP.04.2/01/2026"]
    publish_code(side_b.institution)
    from governance.models import Membership

    Membership.objects.filter(institution=side_b.institution).update(starts_on=datetime.date(2020, 1, 1))
    with time_machine.travel(datetime.datetime(2025, 12, 30, 3, tzinfo=datetime.UTC), tick=False):
        other = approved_measure(side_b.institution, humas=side_b.users["humas"], head=side_b.users["kepala"],
                                 subject_staff=StaffMemberFactory(institution=side_b.institution))
    assert other.letter.seq == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_get_unique_gapless_numbers():
    need(uses_postgres(), "PostgreSQL")
    from conftest import build_side
    from sanctions.tests.factories import StaffMemberFactory, publish_code

    side = build_side("konkuren")
    inst = side.institution
    with scope(institution=inst):
        publish_code(inst)
        measures = [proposed_measure(inst, humas=side.users["humas"], subject_staff=StaffMemberFactory(institution=inst))
                    for _ in range(8)]
    barrier = threading.Barrier(len(measures))
    errors = []

    def approve(measure):
        try:
            with scope(institution=inst):
                barrier.wait(timeout=20)
                services.measure_approve(actor=side.users["kepala"], measure=measure, reason="Setuju.")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in measures]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with scope(institution=inst):
        seqs = sorted(WarningLetter.objects.filter(institution=inst).values_list("seq", flat=True))
    assert seqs == list(range(1, len(measures) + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_approval_makes_one_letter_on_postgres():
    need(uses_postgres(), "PostgreSQL")
    from conftest import build_side
    from sanctions.tests.factories import StaffMemberFactory, publish_code

    side = build_side("ganda")
    inst = side.institution
    with scope(institution=inst):
        publish_code(inst)
        measure = proposed_measure(inst, humas=side.users["humas"], subject_staff=StaffMemberFactory(institution=inst))
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            with scope(institution=inst):
                barrier.wait(timeout=20)
                services.measure_approve(actor=side.users["kepala"], measure=measure, reason="Setuju.")
                outcomes.append("ok")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["ValidationError", "ok"]
    with scope(institution=inst):
        assert WarningLetter.objects.filter(measure=measure).count() == 1


def test_the_verification_page_says_only_what_the_public_may_know(world):
    with time_machine.travel(datetime.datetime(2025, 3, 12, 2, tzinfo=datetime.UTC), tick=False):
        measure = approved_measure(world.institution, humas=world.users["humas"], head=world.users["kepala"],
                                   subject_staff=world.budi, channel=world.channel)
    letter = measure.letter
    with time_machine.travel(datetime.datetime(2025, 4, 1, 2, tzinfo=datetime.UTC), tick=False):
        response = Client().get(f"/verifikasi/{letter.verification_code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert letter.number in body and world.institution.name in body and "12 Maret 2025" in body
    assert "Asli dan berlaku" in body and "11 September 2025" in body  # the dates as the letter writes them
    for private in (world.budi.full_name, world.channel.name, "berita bohong", letter.signer_name):
        assert private not in body
    assert response["X-Robots-Tag"] == "noindex"
    # Lower case and dashes, as people type them from paper, still work.
    code = letter.verification_code.lower()
    assert Client().get(f"/verifikasi/{code[:4]}-{code[4:8]}-{code[8:]}/").status_code == 200


def test_an_unknown_code_is_not_genuine(db):
    response = Client().get("/verifikasi/ABCDEFGHJKLM/")
    assert response.status_code == 404 and "Tidak ada surat dengan kode ini" in response.content.decode()
