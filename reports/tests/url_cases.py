from tests.urlwalk import EVERY_ROLE, UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = set()


def objects(side) -> dict:
    return {}


CASES = [
    UrlCase("reports:dashboard", roles=EVERY_ROLE, parent_roles=frozenset({"kepala", "penilai"})),
]
