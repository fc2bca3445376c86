"""allauth's account emails (address confirmation, password reset, sign-up attempts) as the
portal's own: built by workshop_portal/emails.py from the templates in templates/account/email/,
in the person's language, with every link on PORTAL_BASE_URL.

They go through the outbox (communications/) but not through a worker: people wait for them at the
screen, and they carry one-time links that must not rest in the database. So they are sent at once
by the process that asked (as allauth does) and recorded with those links cut out
(communications.services.email_send_now); a failure is recorded with the server's answer and not
retried, since the record lacks the link: the person asks again.

allauth would build its links from the host the request came in by and greet "from" that host;
the portal's other emails and its badges use PORTAL_BASE_URL, so these do too, and all agree.
"""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils import translation

from workshop_portal.account_forms import address_held_by_another
from workshop_portal.emails import portal_email, portal_url, reply_to_address, send_now
from workshop_portal.models import User

# allauth's context entries that hold a one-time secret: the confirmation key and link, the
# password-reset link (and its token), sign-in and reset codes. The outbox keeps none of them.
SECRET_CONTEXT_KEYS = ("activate_url", "key", "code", "password_reset_url", "token")


def _language(to: list[str], context: dict) -> str:
    """The person's own language; without one (a new or unknown address), the language of the
    page they are using, which is how they asked for this email."""
    user = context.get("user")
    if not isinstance(user, User):
        user = User.objects.filter(email__iexact=to[0]).only("language").first() if to else None
    chosen = user.language if user is not None else ""
    return chosen or translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        to = [email] if isinstance(email, str) else list(email)
        context = {**context, "email": to[0] if to else ""}
        if "signup_url" in context:  # allauth made it from the request's host
            context["signup_url"] = portal_url(reverse("account_signup"))
        return portal_email(
            to=to,
            language=_language(to, context),
            template=template_prefix,
            context=context,
            headers=headers,
            reply_to=reply_to_address(),  # the secretariat (PORTAL_REPLY_TO), if set
        )

    def send_mail(self, template_prefix, email, context):
        context = {"request": allauth_context.request, "email": email, **context}
        message = self.render_mail(template_prefix, email, context)
        user = context.get("user") if isinstance(context.get("user"), User) else None
        send_now(
            message,
            kind=template_prefix,
            language=message.extra_headers.get("Content-Language") or settings.LANGUAGE_CODE,
            user=user,
            secrets=[str(context[name]) for name in SECRET_CONTEXT_KEYS if context.get(name)],
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        return portal_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        # As allauth builds it: one opaque key in place of its two URL parts.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return portal_url(path.replace("UID-KEY", quote(key)))

    def confirm_email(self, request, email_address):
        # An address added before AddEmailForm refused it may still await confirmation: the
        # account that holds it must keep it.
        if address_held_by_another(email_address.email, email_address.user):
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        return super().confirm_email(request, email_address)

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": portal_url(reverse("account_signup")),
            "password_reset_url": portal_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)
