"""django-allauth integration: nobody signs up; people are invited by their operator."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


def session_used_mfa(request) -> bool:
    """True when this session's sign-in included a TOTP or recovery code (allauth records it)."""
    methods = request.session.get("account_authentication_methods", [])
    return any(m.get("method") == "mfa" for m in methods)
