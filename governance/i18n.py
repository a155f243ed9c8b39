from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose English: on their account when signed in (notices
    and e-mails follow it too), with the switcher's cookie before signing in.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which on most
    phones and office PCs says English; our users expect Indonesian, so only the person's own
    choice counts. Runs after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
