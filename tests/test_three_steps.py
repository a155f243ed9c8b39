"""On a 360×640 phone, every role reaches its main task in three taps or fewer from the page it
lands on after signing in, following only links and buttons it can see (no typed addresses)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.demo import demo_semesters
from tests.browser_world import HOMES, contexts_fixture, world_fixture

pytestmark = [pytest.mark.browser, pytest.mark.shared_data, pytest.mark.django_db]
world = world_fixture
contexts = contexts_fixture
MOST_TAPS = 3


class Journey:
    """A person on the phone: starts on the landing page and counts every tap."""

    def __init__(self, world, contexts, role: str):
        self.page = contexts(role).new_page()
        self.page.goto(world.url + HOMES[role])
        self.taps = 0

    def tap(self, locator) -> None:
        target = locator.first
        expect(target).to_be_visible()
        target.click()
        self.taps += 1

    def arrives(self, heading) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        assert self.taps <= MOST_TAPS, f"{self.taps} taps"
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 360

    def close(self):
        self.page.close()


@pytest.fixture
def journey(world, contexts):
    opened = []

    def start(role):
        opened.append(Journey(world, contexts, role))
        return opened[-1]

    yield start
    for one in opened:
        one.close()


def test_head_decides_a_pending_proposal(journey):
    head = journey("kepala")
    head.tap(head.page.get_by_role("link", name=re.compile(r"^SP1 · ")))
    head.arrives(re.compile(r"^SP1 — "))
    expect(head.page.get_by_label("Setujui")).to_be_visible()
    expect(head.page.get_by_label("Tolak")).to_be_visible()
    expect(head.page.get_by_role("button", name="Simpan keputusan saya")).to_be_visible()


def test_humas_opens_the_queue_and_a_case_to_triage(journey):
    humas = journey("humas")
    humas.tap(humas.page.get_by_role("link", name="Perlu ditelaah"))
    humas.arrives("Laporan pelanggaran")
    humas.tap(humas.page.get_by_role("main").get_by_role("link", name=re.compile(r"^#\d+")))
    humas.arrives(re.compile(r"^Laporan #\d+"))
    expect(humas.page.get_by_role("button", name="Saya mulai menelaah")).to_be_visible()


def test_humas_files_a_report(journey):
    humas = journey("humas")
    humas.tap(humas.page.get_by_role("link", name="Laporkan pelanggaran"))
    humas.arrives("Laporkan pelanggaran")


def test_staff_member_reads_and_acknowledges_the_code(journey):
    staff = journey("pegawai")
    staff.tap(staff.page.get_by_role("main").get_by_role("link", name="Baca dan nyatakan"))
    staff.arrives("Tata Tertib Grup WhatsApp Resmi Madrasah")
    staff.tap(staff.page.get_by_role("button", name="Saya telah membaca dan memahami kode etik ini"))
    expect(staff.page.get_by_text("Terima kasih. Pernyataan Anda telah dicatat.")).to_be_visible()
    assert staff.taps <= MOST_TAPS


def test_staff_member_reports_a_violation(journey):
    staff = journey("pegawai")
    staff.tap(staff.page.get_by_role("link", name="Laporkan pelanggaran"))
    staff.arrives("Laporkan pelanggaran")


def test_operator_imports_staff(journey):
    operator = journey("operator")
    operator.tap(operator.page.get_by_role("link", name="Impor lembar kerja"))
    operator.arrives("Impor dari lembar kerja")
    expect(operator.page.get_by_label("Lembar kerja (XLSX atau CSV)")).to_be_visible()


def test_operator_adds_a_staff_member(journey):
    operator = journey("operator")
    operator.tap(operator.page.get_by_role("main").get_by_role("link", name="Pegawai", exact=True))
    operator.tap(operator.page.get_by_role("main").get_by_role("link", name="Tambah pegawai"))
    operator.arrives("Tambah pegawai")


def _semester_label(key) -> str:
    return f"{'I' if key[1] == 1 else 'II'} {key[0]}"


def test_assessor_scores_an_institution_in_the_open_period(journey):
    assessor = journey("penilai")
    assessor.tap(assessor.page.get_by_role("link", name="Nilai instansi"))
    current = _semester_label(demo_semesters(timezone.localdate())[2])
    assessor.arrives(re.compile(rf"^Penilaian · Semester {current}"))
    assessor.tap(assessor.page.get_by_role("main").get_by_role("link", name="MTs Negeri 1 Muara Enim"))
    assessor.arrives("MTs Negeri 1 Muara Enim")
    expect(assessor.page.get_by_role("button", name="Simpan nilai")).to_be_visible()


def test_assessor_sees_the_ranking(journey):
    assessor = journey("penilai")
    assessor.tap(assessor.page.get_by_role("link", name="Semua periode penilaian"))
    finalized = _semester_label(demo_semesters(timezone.localdate())[1])
    assessor.tap(assessor.page.get_by_role("link", name=f"Semester {finalized}"))
    assessor.tap(assessor.page.get_by_role("link", name="Hasil"))
    assessor.arrives(re.compile(rf"^Hasil · Semester {finalized}"))
    expect(assessor.page.get_by_role("heading", name="Peringkat")).to_be_visible()
