"""Flags with the messages around them."""

from triage.chat import Flag, build_matcher, context_of, flag, parse, with_context

CHAT = "".join(
    f"15/01/24 10.{i:02d} - {'Budi' if i % 2 else 'Siti'}: {text}\n"
    for i, text in enumerate([
        "selamat pagi", "ayo coblos nomor urut 2", "jangan begitu", "iya", "info A1 sebarkan sebelum dihapus",
        "sudah", "terima kasih",
    ])
) + "15/01/24 10.10 - Budi: <Media tidak disertakan>\nkampanye di sini\n15/01/24 10.11 - Siti keluar\n"


def messages():
    return parse(CHAT.encode(), "Asia/Jakarta").read_all()


def test_flag_lists_each_flagged_message_with_its_categories_and_terms():
    flags = flag(messages(), build_matcher())
    assert [f.message_index for f in flags] == [1, 4, 7]
    assert flags[0] == Flag(1, ("politics",), ("coblos", "coblos*", "nomor urut"),
                            (("politics", "coblos"), ("politics", "coblos*"), ("politics", "nomor urut")))
    assert flags[1].categories == ("hoax",)
    assert flags[2].categories == ("politics",)  # a media caption is flagged too


def test_with_context_streams_n_messages_before_and_after():
    found = list(with_context(iter(messages()), build_matcher(), context=2))
    assert [f.message.index for f in found] == [1, 4, 7]
    assert [m.index for m in found[0].before] == [0] and [m.index for m in found[0].after] == [2, 3]
    assert [m.index for m in found[1].before] == [2, 3] and [m.index for m in found[1].after] == [5, 6]
    assert [m.index for m in found[2].before] == [5, 6] and [m.index for m in found[2].after] == [8]


def test_with_context_zero():
    found = list(with_context(messages(), build_matcher(), context=0))
    assert [(f.message.index, f.before, f.after) for f in found] == [(1, (), ()), (4, (), ()), (7, (), ())]


def test_context_of_a_stored_list():
    kept = messages()
    before, after = context_of(kept, 4, 3)
    assert [m.index for m in before] == [1, 2, 3] and [m.index for m in after] == [5, 6, 7]
    before, after = context_of(kept[2:], 2, 3)
    assert before == () and [m.index for m in after] == [3, 4, 5]
