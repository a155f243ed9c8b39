from zoneinfo import ZoneInfo

import pytest
from django.utils import translation


@pytest.fixture
def wita():
    return ZoneInfo("Asia/Makassar")


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield
