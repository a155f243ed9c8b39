"""Fill untranslated entries of a gettext catalog from a "msgid => msgstr" text file.

    python scripts/po_fill.py governance/locale/id/LC_MESSAGES/django.po translations.txt

The text file holds one pair per entry: a line with the English msgid, a line starting with
"=> " with the Indonesian text, and a blank line between pairs. Existing translations are kept
unless --overwrite is given. Untranslated entries left over are listed, so nothing is missed.
"""

import sys

import polib


def read_pairs(path):
    pairs, msgid = {}, None
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.startswith("=> "):
                pairs[msgid] = line[3:]
                msgid = None
            elif line.strip():
                msgid = line
    return pairs


def main(argv):
    overwrite = "--overwrite" in argv
    po_path, pairs_path = [a for a in argv if not a.startswith("--")]
    catalog = polib.pofile(po_path, wrapwidth=0)
    pairs = read_pairs(pairs_path)
    for entry in catalog:
        done = entry.msgstr or (entry.msgid_plural and entry.msgstr_plural.get(0))
        if entry.msgid in pairs and (overwrite or not done or entry.fuzzy):
            if entry.msgid_plural:
                # Indonesian has one plural form.
                entry.msgstr_plural = {0: pairs[entry.msgid]}
            else:
                entry.msgstr = pairs[entry.msgid]
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
    catalog.save(po_path)
    missing = [e.msgid for e in catalog.untranslated_entries() + catalog.fuzzy_entries() if not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
