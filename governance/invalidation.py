"""Every saved or deleted row moves its institution's data version (see ``governance.cache``).

Connected to ``post_save``/``post_delete`` in ``GovernanceConfig.ready``. Which institution a row
belongs to is read from its model's scoped manager (``governance.scoping``), so an app that adds a
model registers nothing here.
"""

from __future__ import annotations

from .cache import GLOBAL, bump, bump_institution, user_owner
from .scoping import institution_id_of
from .tenancy import institutions_of_member

# Rows every institution's pages read (the election banner, the tree itself).
_GLOBAL_MODELS = {"governance.electionperiod", "governance.institution"}
# Rows that change what one account may open: its roles and its second sign-in factor.
_ACCOUNT_MODELS = {"governance.membership", "mfa.authenticator"}
# The trail has its own integrity and is written by every change: it moves nothing.
_IGNORED = {"governance.auditentry", "governance.auditchain"}


def bump_for_instance(sender, instance, **kwargs) -> None:
    """post_save/post_delete of any row: move the data version of the institution it belongs to."""
    label = sender._meta.label_lower
    if label in _IGNORED:
        return
    if label in _GLOBAL_MODELS:
        bump([GLOBAL])
        if label == "governance.institution":
            bump_institution(instance)
        return
    if label == "governance.user":  # a name or an account switched off shows on its institutions' pages
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            return  # signing in changes nothing any page shows
        for institution_id in institutions_of_member(instance.pk):
            bump_institution(institution_id=institution_id)
        return
    if label in _ACCOUNT_MODELS:  # what the visitor may open, read once per account (governance.tenancy)
        bump([user_owner(instance.user_id)])
        if label == "mfa.authenticator":
            return
    institution_id = institution_id_of(instance)
    if institution_id is not None:
        bump_institution(institution_id=institution_id)
