"""Names in a chat against names on the staff list, and refusals rebuilt from their stored code."""

import pytest

from triage.chat import build_matcher, with_context
from triage.chat.errors import ChatImportError, MixedFormats, error_from_code
from triage.chat.parser import WrongDateOrder, parse
from triage.chat.people import person_key


@pytest.mark.parametrize(("staff", "chat"), [
    ("Misliyani, S.Ag., M.Pd.I.", "Bu Misliyani"),
    ("Drs. Bahri Aspan", "BAHRI ASPAN 🙏"),
    ("Muslim Ansori, S. Ag., M.Pd.I.", "Pak Muslim Ansori"),
    ("Emawardi, S. Pd.", "emawardi"),
    ("Ema Elita,A. Md.", "Ema Elita"),
    ("Dra. Hj. Rina Marlina, M.Pd.", "RINA MARLINA"),
    ("M. Rizki Pratama, S.Pd.Gr.", "M Rizki Pratama"),
    ("Séno Aji, S.Kom.", "Seno Aji"),
])
def test_titles_case_and_forms_of_address_do_not_matter(staff, chat):
    assert person_key(staff) == person_key(chat) != ""


@pytest.mark.parametrize(("staff", "chat"), [
    ("Rina Marlina, S.Pd.", "Bu Rina :)"),
    ("Budi Santoso, S.Pd.", "Budi"),
    ("Ahmad Fauzi, S.Ag.", "Ahmad Fauzan"),
])
def test_names_are_compared_whole(staff, chat):
    assert person_key(staff) != person_key(chat)


def test_a_phone_number_or_nothing_gives_no_name():
    assert person_key("+62 812-3456-7890") == "" and person_key(None) == "" and person_key("🙏") == ""


def test_a_stored_refusal_reads_again_in_the_active_language(indonesian):
    error = error_from_code("chat_mixed", {"count": 7})
    assert isinstance(error, MixedFormats) and "7 baris" in error.messages[0]
    assert isinstance(error_from_code("chat_wrong_date_order", {"example": "13/01/24"}), WrongDateOrder)
    assert type(error_from_code("tidak-dikenal")) is ChatImportError


def test_the_matcher_can_be_chosen_per_message(wita):
    text = b"15/01/24 10.00 - Budi: Hendra Wijaya datang\n16/01/24 10.00 - Budi: Hendra Wijaya pulang\n"
    plain, campaign = build_matcher(), build_matcher({"politics": ["Hendra Wijaya"]})
    with parse(text, wita) as result:
        found = list(with_context(result.messages, plain, pick=lambda m: campaign if m.sent_at.day == 15 else plain))
    assert [f.message.index for f in found] == [0]
