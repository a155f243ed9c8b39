from tests.urlwalk import UrlCase  # noqa: F401

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = set()


def objects(side) -> dict:
    return {}


CASES: list = []
