from tests.urlwalk import UrlCase  # noqa: F401


def objects(side) -> dict:
    return {}


CASES: list = []
