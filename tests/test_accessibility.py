"""Every core page, as every role that uses it, passes axe-core without a serious or critical
finding on a 360×640 phone (and again at 1280×800), never scrolls sideways as a whole, and is
photographed at both sizes into var/screenshots/<role>-<page>-<width>.png for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser_world import ASSESSOR, DEMO_PASSWORD, HOMES, INSTITUTION, LOGINS, contexts_fixture, world_fixture

pytestmark = [pytest.mark.browser, pytest.mark.shared_data, pytest.mark.django_db]
world = world_fixture
contexts = contexts_fixture

AXE = Path(settings.BASE_DIR, "static", "vendor", "axe", "axe.min.js")
SCREENSHOTS = Path(settings.BASE_DIR, "var", "screenshots")
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
INST = f"/instansi/{INSTITUTION}"
KANWIL = f"/instansi/{ASSESSOR}"

CASES = ("kepala", "humas")
STAFF = ("kepala", "humas", "operator")
MEMBERS = ("kepala", "humas", "operator", "pegawai")
# page: (who may open it — None is a visitor who has not signed in —, its address, or each role's)
CORE_PAGES = {
    "dashboard": ((*MEMBERS, "penilai"), HOMES),
    "case-queue": (CASES, f"{INST}/pelanggaran/"),
    "case-detail": (CASES, lambda ids: f"{INST}/pelanggaran/{ids['case']}/"),
    "decisions": (("kepala",), f"{INST}/keputusan/"),
    "decide-proposal": (("kepala",), lambda ids: f"{INST}/keputusan/tindakan/{ids['waiting']}/"),
    "report-form": (MEMBERS, f"{INST}/pelanggaran/lapor/"),
    "acknowledge": (MEMBERS, f"{INST}/pernyataan/"),
    "public-code": ((None,), f"{INST}/kode-etik/"),
    "staff-list": (STAFF, f"{INST}/pegawai/"),
    "import-preview": (("operator",), lambda ids: f"{INST}/impor/{ids['import']}/"),
    "channel-list": (STAFF, f"{INST}/kanal/"),
    "channel-detail": (STAFF, lambda ids: f"{INST}/kanal/{ids['channel']}/"),
    "period": (("penilai",), lambda ids: f"{KANWIL}/penilaian/{ids['scoring']}/"),
    "scoring-list": (("penilai",), lambda ids: f"{KANWIL}/penilaian/{ids['scoring']}/nilai/"),
    "scoring": (("penilai",), lambda ids: f"{KANWIL}/penilaian/{ids['scoring']}/nilai/{ids['scoring_entry']}/"),
    "ranking": (("penilai",), lambda ids: f"{KANWIL}/penilaian/{ids['finalized']}/hasil/"),
    "self-assessment": (("humas",), lambda ids: f"{INST}/penilaian-diri/{ids['scoring_entry']}/"),
    "settings": (("kepala", "operator"), f"{INST}/pengaturan/"),
    "settings-letters": (("kepala", "operator"), f"{INST}/pengaturan/surat/"),
    "ladder": (CASES, f"{INST}/tangga-sanksi/"),
    "election-periods": (STAFF, f"{INST}/pemilu/"),
    "my-settings": (MEMBERS, f"{INST}/akun-saya/"),
    "statistics": (("kepala",), f"{INST}/statistik/"),
    "statistics-subtree": (("penilai",), f"{KANWIL}/statistik/"),
    "my-data": (MEMBERS, f"{INST}/data-saya/"),
    "audit-trail": (("kepala",), f"{INST}/jejak-audit/"),
    "publication-log": (("humas",), f"{INST}/publikasi/"),
    "referrals-overdue": (("humas",), f"{INST}/pelanggaran/?referral=waiting"),
    "chat-triage": (("humas",), f"{INST}/triase-chat/"),
    "sign-in": ((None,), "/akun/login/"),
    "verify-letter": ((None,), lambda ids: f"/verifikasi/{ids['letter']}/"),
}
PAGES = [(role, name, address) for name, (roles, address) in CORE_PAGES.items() for role in roles]


def axe_findings(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now. The script is evaluated
    through the DevTools protocol: the pages' strict CSP refuses an injected inline script tag."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


def describe(findings: list[dict]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding['impact']}] {finding['id']}: {finding['help']}")
        for node in finding["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def check(page, who: str, name: str) -> None:
    """The accessibility and width checks at both sizes, and both screenshots, of the open page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SCREENSHOTS / f"{who}-{name}-360.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the whole page scrolls sideways on a phone ({width} px wide)"
    findings = axe_findings(page)
    if findings:
        pytest.fail(f"axe-core on {page.url}:\n{describe(findings)}", pytrace=False)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SCREENSHOTS / f"{who}-{name}-1280.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], f"the whole page scrolls sideways on a desktop ({width} px wide)"
    findings = axe_findings(page)
    if findings:
        pytest.fail(f"axe-core at 1280 px on {page.url}:\n{describe(findings)}", pytrace=False)


@pytest.mark.parametrize(("role", "name", "address"), PAGES, ids=[f"{r or 'visitor'}-{n}" for r, n, _ in PAGES])
def test_core_page_is_accessible_on_a_phone(world, contexts, role, name, address):
    path = address(world.ids) if callable(address) else address[role] if isinstance(address, dict) else address
    page = contexts(role).new_page()
    try:
        response = page.goto(world.url + path)
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check(page, role or "visitor", name)
        if name == "dashboard":
            # The collapsed menu, opened, is checked too: every page carries it.
            page.set_viewport_size(PHONE)
            page.get_by_role("button", name="Buka menu").click()
            expect(page.locator("#main-nav.collapse.show")).to_be_visible()
            page.screenshot(path=SCREENSHOTS / f"{role}-menu-360.png")
            findings = axe_findings(page)
            if findings:
                pytest.fail(f"axe-core on the open menu of {page.url}:\n{describe(findings)}", pytrace=False)
    finally:
        page.close()


def test_mfa_page_is_accessible_on_a_phone(world, browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        page.goto(f"{world.url}/akun/login/")
        page.get_by_label("Email").fill(LOGINS["kepala"])
        page.get_by_label("Sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page.get_by_label("Kode")).to_be_visible()
        check(page, "kepala", "mfa")
    finally:
        context.close()


@pytest.mark.parametrize("role", (*MEMBERS, "penilai"))
def test_the_menu_fits_one_row_on_a_desktop_and_names_the_institution_in_full(world, contexts, role):
    page = contexts(role).new_page()
    try:
        page.set_viewport_size(DESKTOP)
        page.goto(world.url + HOMES[role])
        page.screenshot(path=SCREENSHOTS / f"{role}-menu-1280.png")
        # One row: every menu entry's middle within one line height of the brand's.
        spread = page.evaluate("""() => {
            const middle = el => { const r = el.getBoundingClientRect(); return (r.top + r.bottom) / 2; };
            const brand = middle(document.querySelector('.navbar-brand'));
            return Math.max(...[...document.querySelectorAll('#main-nav > ul > li')].map(li => Math.abs(middle(li) - brand)));
        }""")
        assert spread < 16, f"the menu of {role} wraps at 1280 px (an entry {spread:.0f} px off the row)"
        bar = page.locator(".institution-bar")
        name = page.evaluate("document.querySelector('.institution-bar').textContent.trim()")
        assert len(name) > 10 and "..." not in name and "…" not in name
        assert bar.evaluate("el => el.scrollWidth <= el.clientWidth"), "the institution's name is cut"
        # The current page is marked for sight and for screen readers.
        expect(page.locator('#main-nav [aria-current="page"]')).to_have_count(1)
        # A group opens with the keyboard.
        page.wait_for_load_state("load")
        toggle = page.locator("#main-nav .dropdown-toggle").first
        toggle.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#main-nav .dropdown-menu.show")).to_have_count(1)
        findings = axe_findings(page)
        if findings:
            pytest.fail(f"axe-core on the open menu group of {page.url}:\n{describe(findings)}", pytrace=False)
    finally:
        page.close()
