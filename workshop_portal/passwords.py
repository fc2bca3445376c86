"""Password rules: Django's, with messages every language of the portal has.

Django's Arabic catalogue holds the "too short" message under an older msgid (with
%(min_length)d where Django now says %d), so an Arabic reader who chose a short password was told
so in English. The same message from our own catalogue is translated in every language.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
