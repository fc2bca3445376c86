"""The reader's language: chosen in the switcher, remembered for a signed-in person, else the browser's.

Django's LocaleMiddleware picks the language from the language cookie, else the browser's
Accept-Language. A signed-in person who chose a language (User.language) gets that one on every
device, right after signing in; their emails use it too (`User.email_language`). This module is
loaded with the middleware, which connects the sign-in signal below.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def supported_language(code: str | None) -> str:
    """`code` if the portal speaks it, else ""."""
    return code if code in dict(settings.LANGUAGES) else ""


def workshop_languages(workshop) -> list[str]:
    """The languages a workshop speaks, its first language first (certificates, letters and
    messages fall back to it). A workshop has no list of its own yet: every language of the portal,
    the portal's default first. The one definition: documents and communications read it."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE, *(code for code in codes if code != settings.LANGUAGE_CODE)]


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's own language wins.

    The cookie follows it, so the pages stay in that language after signing out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = supported_language(user.language) if user is not None and user.is_authenticated else ""
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        # Not when the view set the cookie itself (the switcher) or signed the person out.
        if language and cookie not in response.cookies and request.user.is_authenticated:
            language = supported_language(request.user.language)
            if language and request.COOKIES.get(cookie) != language:
                _set_language_cookie(response, language)
        return response


def set_language(request):
    """Django's set_language (on POST: the cookie; always: back where the person was), and the
    choice kept on the signed-in person."""
    response = django_set_language(request)
    language = supported_language(request.POST.get("language")) if request.method == "POST" else ""
    user = request.user
    if language and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@receiver(user_logged_in)
def activate_user_language(sender, request, user, **kwargs):
    """Right at sign-in, so the welcome message is already in the person's language."""
    language = supported_language(getattr(user, "language", ""))
    if language and request is not None:
        translation.activate(language)
        request.LANGUAGE_CODE = language
