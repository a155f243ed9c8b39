"""Generate → parse → the same messages, in every supported format and both languages."""

import pytest

from triage.chat import parse
from triage.tests.generate import all_formats, expected, make_entries, to_bytes, write_zip

FORMATS = all_formats()
CHAT = {language: make_entries(150, seed=7, language=language) for language in ("id", "en")}


@pytest.mark.parametrize("spec", FORMATS, ids=[spec.details for spec in FORMATS])
@pytest.mark.parametrize("language", ["id", "en"])
def test_round_trip(spec, language, wita):
    chat = CHAT[language]
    for ampm, pad in (("AM", True), ("nnbsp", False), ("a.m.", True)) if spec.clock == 12 else (("AM", True),):
        result = parse(to_bytes(spec, chat, language=language, ampm=ampm, pad=pad), wita)
        assert [m.as_tuple() for m in result.messages] == expected(chat, spec, wita, language=language)
        assert (result.spec, result.date_order_detected) == (spec, True)
        assert result.count + result.system_lines == len(chat)


@pytest.mark.parametrize("spec", [FORMATS[0], FORMATS[24]], ids=lambda spec: spec.layout)
def test_round_trip_through_a_zip_with_media(spec, wita, tmp_path):
    chat = CHAT["id"]
    path = tmp_path / "export.zip"
    write_zip(path, spec, chat, with_media=True)
    assert [m.as_tuple() for m in parse(path, wita).messages] == expected(chat, spec, wita)


def test_the_generated_chats_contain_the_tricky_lines():
    chat = CHAT["id"]
    kinds = {(e.kind, e.event, e.media) for e in chat}
    assert {("media", None, "omitted"), ("media", None, "attached"), ("system", "deleted", None),
            ("system", "encryption", None)} <= kinds
    assert any("\n" in e.text for e in chat)
    assert {e.author for e in chat} >= {"+62 812-3456-7890", "Wali Kelas 9:A", "عبد الله", "Humas:"}
