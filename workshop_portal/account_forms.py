"""allauth's "add an email address" form, without letting a person claim another account's address.

With enumeration prevention on, allauth accepts another account's address as an unverified one of
the person asking and mails a confirmation link to it. An account whose address allauth never
recorded (a superuser made by `createsuperuser`, who confirms on first login) could then click the
link and hand its address to the other account. A signed-in person is told plainly instead.
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.utils import filter_users_by_email


def address_held_by_another(email: str, user) -> bool:
    """Whether an account other than `user` holds `email` (as its address or one allauth recorded)."""
    return any(other.pk != user.pk for other in filter_users_by_email(email))


class AddEmailForm(AllauthAddEmailForm):
    def clean_email(self) -> str:
        value = super().clean_email()
        if address_held_by_another(value, self.user):
            raise get_adapter().validation_error("email_taken")
        return value
