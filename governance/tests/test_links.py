import pytest
from django.core.exceptions import ValidationError

from governance.links import normalise


@pytest.mark.parametrize(("kind", "one", "other"), [
    ("instagram", "https://www.instagram.com/x/", "@x"),
    ("instagram", "instagram.com/MTsN1MuaraEnim?igsh=abc", "@mtsn1muaraenim"),
    ("instagram", "rutan.kudus", "https://instagram.com/rutan.kudus"),
    ("facebook", "https://m.facebook.com/diskominfo.okut/", "facebook.com/Diskominfo.OKUT"),
    ("facebook", "https://www.facebook.com/profile.php?id=1000123", "fb.com/profile.php?id=1000123"),
    ("x", "https://twitter.com/Kemenag_RI", "@kemenag_ri"),
    ("tiktok", "https://www.tiktok.com/@humas.rutan?lang=id", "@humas.rutan"),
    ("youtube", "https://www.youtube.com/@KemenagRI/videos", "@kemenagri"),
    ("wa_group", "https://chat.whatsapp.com/AbCdEfGh1234", "AbCdEfGh1234"),
    ("tg_group", "https://t.me/joinchat/AbCdEfGh12", "t.me/+AbCdEfGh12"),
    ("website", "https://www.okutimurkab.go.id/", "okutimurkab.go.id"),
])
def test_the_same_account_written_two_ways_has_one_key(kind, one, other):
    assert normalise(kind, one).key == normalise(kind, other).key


def test_canonical_addresses_are_clickable():
    assert normalise("instagram", "@x").url == "https://www.instagram.com/x/"
    assert normalise("tiktok", "humas.rutan").url == "https://www.tiktok.com/@humas.rutan"
    assert normalise("website", "http://OKUTIMURKAB.go.id/berita/").url == "http://okutimurkab.go.id/berita"


def test_whatsapp_invitation_codes_keep_their_case():
    assert normalise("wa_group", "AbCdEfGh1234").key != normalise("wa_group", "abcdefgh1234").key


def test_blank_is_no_link():
    assert normalise("instagram", "  ") is None


@pytest.mark.parametrize(("kind", "raw"), [
    ("instagram", "https://facebook.com/x"),
    ("instagram", "nama dengan spasi"),
    ("website", "instagram.com/x"),
    ("website", "bukan-alamat"),
    ("wa_group", "https://wa.me/628123456789"),
    ("youtube", "https://www.youtube.com/watch?v=abc"),
])
def test_a_link_of_another_kind_or_no_link_at_all_is_refused(kind, raw):
    with pytest.raises(ValidationError):
        normalise(kind, raw)
