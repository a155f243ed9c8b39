"""Indonesian normalisation for matching."""

import pytest

from triage.chat import normalize, tokens


@pytest.mark.parametrize("text, normal", [
    ("Mantap BANGEEET!!", "mantap banget"),
    ("Jgn lupa yg penting", "jangan lupa yang penting"),
    ("gak, ga, gk, nggak, tdk", "tidak tidak tidak tidak tidak"),
    ("c4l0n nomor 02", "calon nomor 02"),
    ("y6 b3n4r", "yang benar"),
    ("hati2 di jalan", "hati hati di jalan"),
    ("kata2nya", "kata2nya"),
    ("Café naïve résumé", "cafe naive resume"),
    ("kam\u200bpa\u200dnye", "kampanye"),
    ("𝓀𝒶𝓂𝓅𝒶𝓃𝓎𝑒 ｋａｍｐａｎｙｅ", "kampanye kampanye"),
    ("Selamat 🙏 pagi😊semua", "selamat pagi semua"),
    ("pilih_nomor-2", "pilih nomor 2"),
    ("2024 10.00", "2024 10 00"),
    ("السلام عليكم", "السلام عليكم"),
    ("", ""),
])
def test_normalize(text, normal):
    assert normalize(text) == normal


def test_message_and_term_meet_in_the_same_form():
    assert tokens("Sebarkan sblm dihapuuus!!!") == tokens("sebarkan sebelum dihapus")
    assert tokens("maaf") == tokens("maaaaaf")
