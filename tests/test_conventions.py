"""House rules that a reviewer would otherwise have to remember (zulip's custom lint, in tests)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "governance", "members", "sanctions", "triage", "reports"]


def _sources(pattern="*.py"):
    for app in APPS:
        for path in (ROOT / app).rglob(pattern):
            if "/tests/" not in str(path) and "/migrations/" not in str(path):
                yield path


def test_only_the_tenancy_module_turns_scoping_off():
    offenders = [str(p.relative_to(ROOT)) for p in _sources() if "scopes_disabled" in p.read_text()
                 and p.name != "tenancy.py"]
    assert offenders == [], "use governance.tenancy.platform_scope() only where a platform job needs it"


def test_apps_import_only_apps_to_their_left():
    order = ["governance", "members", "sanctions", "triage", "reports"]
    offenders = []
    for path in _sources():
        app = path.relative_to(ROOT).parts[0]
        if app not in order:
            continue
        allowed = set(order[: order.index(app) + 1])
        for match in re.finditer(r"^\s*(?:from|import)\s+(governance|members|sanctions|triage|reports)\b", path.read_text(), re.M):
            if match.group(1) not in allowed:
                offenders.append(f"{path.relative_to(ROOT)} imports {match.group(1)}")
    assert offenders == []


def test_no_template_marks_user_input_safe():
    offenders = []
    for app in [*APPS, "templates"]:
        for path in (ROOT / app).rglob("*.html"):
            text = path.read_text()
            if "|safe" in text or "autoescape off" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for app in [*APPS, "templates"]:
        for path in (ROOT / app).rglob("*.html"):
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or " style=\"" in text or "<style" in text or re.search(r"\son[a-z]+=\"", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "the Content-Security-Policy forbids inline scripts, styles and handlers"
