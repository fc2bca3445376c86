"""What other apps hear of a registration's life, so that registrations need not know them."""

from django.dispatch import Signal

registration_left = Signal()
"""A registration was declined or cancelled (`registration`, `status`, `by`), inside the transaction
that changed it: the apps that issued something for it (a visa letter, a certificate) withdraw it
in that transaction."""
