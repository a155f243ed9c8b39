from governance.models import Notification
from tests.urlwalk import ALL_MEMBER_ROLES, UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = set()


def objects(side) -> dict:
    kepala = side.users["kepala"]
    notification = Notification.objects.create(
        recipient=kepala, institution=side.institution, kind="test", title="Ada laporan baru", url=""
    )
    return {"notification": notification}


CASES = [
    UrlCase("governance:notifications", roles=ALL_MEMBER_ROLES | {"penilai"}, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase(
        "governance:notification_open", roles=frozenset({"kepala"}), method="post",
        kwargs=lambda o: {"pk": o["notification"].pk}, ok=frozenset({302}), forbidden=404,
    ),
    UrlCase("governance:audit_log", roles=frozenset({"kepala"})),
]
