"""django-allauth integration: nobody signs up; people are invited by their operator."""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.shortcuts import redirect
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


def session_used_mfa(request) -> bool:
    """True when this session's sign-in included a TOTP or recovery code (allauth records it)."""
    methods = request.session.get("account_authentication_methods", [])
    return any(m.get("method") == "mfa" for m in methods)


def platform_mfa_redirect(request, next_url: str | None = None):
    """Platform operators work with every institution's data: their pages (the Django admin and
    ``/platform/``) need a sign-in with the second factor in this session. ``None`` when it was;
    otherwise where to go first — setting up TOTP, or entering the code again — and back."""
    if session_used_mfa(request):
        return None
    from allauth.mfa.models import Authenticator

    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    target = reverse("mfa_reauthenticate" if has_totp else "mfa_activate_totp")
    return redirect(f"{target}?next={quote(next_url or request.get_full_path())}")
