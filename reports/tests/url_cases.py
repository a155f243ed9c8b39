from tests.urlwalk import EVERY_ROLE, UrlCase


def objects(side) -> dict:
    return {}


CASES = [
    UrlCase("reports:dashboard", roles=EVERY_ROLE, parent_roles=frozenset({"kepala", "penilai"})),
]
