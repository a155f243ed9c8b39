"""Telling who wrote a message: the key under which a chat name and a staff name are compared.

A staff list writes names with academic and religious titles ("Misliyani, S.Ag., M.Pd.I.",
"Drs. H. Bahri Aspan"); a WhatsApp group shows whatever the person typed ("Misliyani", "Bu
Misliyani", "BAHRI ASPAN 🙏"). ``person_key`` reduces both to the same words: case, accents, emoji
and punctuation are ignored, titles are dropped wherever they stand, and a leading form of address
(Pak, Bu, Ustadz…) is dropped. Names are compared whole: "Rina" does not match "Rina Marlina".
"""

from __future__ import annotations

import re
import unicodedata

# Degrees and titles as Indonesians write them, without their dots (S.Pd. -> spd).
ACADEMIC_TITLES = frozenset("""
    s spd spdi spdsd sag sthi shi sh se sei ssos sip skom st sti ssi sfarm skm skep sked ssy sth sps spsi
    sgz sst ssit sstp spt sp shum sak sikom sds sn sa sm sham sked sgz spi ssn
    m mpd mpdi mag mm msi mh mhum mkom mt msc ma mba mkes msy mth mhi mei mak mp mds msn me mps mpsi mfarm
    mkn mikom mtr
    a amd amdkom amdkeb amdkep amdgz ama amk ap
    dr drs dra drg ir prof phd lc gr cpns ns apt bsc ba bed med mag
    hj kh ustz
    pd pdi ag hi th thi kom keb kep md sos ip kes hum gz
""".split())
# Forms of address in front of a name in a chat ("Pak Budi", "Bu Rina", "Ust. Ahmad").
ADDRESS = frozenset("pak bapak bpk bp bu ibu ust ustad ustadz ustaz ustadzah ustazah kak mas mbak bang".split())
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _dotted_title(word: str) -> bool:
    """A degree not listed, written with dots: S.Pd.Gr., M.Pd.I., A.Md.Kom. (but not "M.Rizki")."""
    parts = [part for part in word.split(".") if part]
    return len(parts) >= 2 and parts[0] in ("s", "m", "a", "d", "b") and all(len(part) <= 4 for part in parts)


def person_key(name: str | None) -> str:
    """The words of a person's name without titles, lower case, joined by single spaces."""
    if not name:
        return ""
    words = []
    for match in _WORD.finditer(_fold(name)):
        word = match.group(0)
        bare = word.replace(".", "")
        if bare in ACADEMIC_TITLES or _dotted_title(word):
            continue
        # An initial is dropped: "M. Rizki", "M.Rizki" and "M Rizki" all read "rizki".
        words.extend(part for part in word.split(".") if len(part) > 1)
    while len(words) > 1 and words[0] in ADDRESS:
        words.pop(0)
    return " ".join(words)
