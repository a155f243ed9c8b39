"""Every string a person reads is translated into Indonesian, the default language.

The catalogs are regenerated from the source into a copy of the project, so a string added
without its translation — or a catalog nobody refreshed — fails here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["config", "governance", "members", "sanctions", "triage", "reports", "templates", "locale", "manage.py"]


def test_every_message_has_an_indonesian_translation(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--add-location", "file", "-v", "0"],
        cwd=tmp_path, check=True, env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    problems = []
    for po_path in sorted(tmp_path.glob("**/locale/id/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(po_path))
        for entry in catalog.untranslated_entries() + catalog.fuzzy_entries():
            problems.append(f"{po_path.relative_to(tmp_path)}: {entry.msgid!r}")
    assert problems == [], "untranslated strings (run `make messages`, then translate):\n" + "\n".join(problems)


def test_one_english_text_has_one_indonesian_translation_across_apps():
    """Django merges every app's catalog into one: a text translated two ways in two apps shows only
    one of them everywhere. Where the meanings differ, give one of them a context (pgettext)."""
    seen: dict[tuple, dict[str, str]] = {}
    for po_path in sorted(ROOT.glob("*/locale/id/LC_MESSAGES/django.po")) + [ROOT / "locale/id/LC_MESSAGES/django.po"]:
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            text = entry.msgstr or str(sorted(entry.msgstr_plural.items()))
            seen.setdefault((entry.msgctxt, entry.msgid), {})[po_path.parts[-5]] = text
    conflicts = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert conflicts == {}


def test_santuns_own_translation_wins_over_the_libraries():
    """A text Santun shares with Django's admin, allauth or import-export ("Edit", "Filter") shows
    Santun's Indonesian, not the library's: an app's catalog would lose to a library listed
    before it in INSTALLED_APPS, so Santun's catalogs are in LOCALE_PATHS."""
    from django.utils import translation

    wrong = []
    with translation.override("id"):
        for po_path in sorted(ROOT.glob("*/locale/id/LC_MESSAGES/django.po")) + [ROOT / "locale/id/LC_MESSAGES/django.po"]:
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
                    continue
                shown = (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt
                         else translation.gettext(entry.msgid))
                if shown != entry.msgstr:
                    wrong.append(f"{entry.msgid!r}: {shown!r} instead of {entry.msgstr!r}")
    assert wrong == []
