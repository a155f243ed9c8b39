"""Ladders an institution can choose. Level names are Indonesian official terms (they appear on
letters as they are); the ladder names are translated for the settings page."""

from django.utils.translation import gettext_lazy as _

from .models import LevelKind

PRESETS = {
    # Seed 000 (MTsN 1 Muara Enim, 8 Aug 2020): "SP twice, then the admin removes you from the group".
    "sp": {
        "name": _("Warning letters, then removal (SP1 → SP2 → removal)"),
        "levels": [
            ("SP1", "Surat Peringatan Pertama", LevelKind.LETTER),
            ("SP2", "Surat Peringatan Kedua", LevelKind.LETTER),
            ("KELUAR", "Dikeluarkan dari grup", LevelKind.REMOVAL),
        ],
    },
    # Seed 001 (Kemenag Banjarbaru, 30 Nov 2020): oral, then written reprimand.
    "teguran": {
        "name": _("Reprimands (verbal → written)"),
        "levels": [
            ("TL", "Teguran lisan tata tertib grup", LevelKind.VERBAL),
            ("TT", "Teguran tertulis tata tertib grup", LevelKind.LETTER),
        ],
    },
}
