from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from delegations.letter_services import letters_lay_out_defaults
        from delegations.privacy import register
        from delegations.services import (
            delegations_lay_out_defaults,
            needs_endorsement,
            nominee_locked_fields,
            quota_seat_rule,
        )
        from delegations.signals import take_up_pending_invitations
        from registrations.services import add_endorsement_rule, add_locked_fields_rule, add_seat_rule
        from workshop_portal.services import add_workshop_created

        add_seat_rule(quota_seat_rule)  # every approval respects the delegation's quota
        add_endorsement_rule(needs_endorsement)  # a self-registration waits for its focal point
        add_locked_fields_rule(nominee_locked_fields)  # a nominee keeps the state and category given
        add_workshop_created(lambda workshop: delegations_lay_out_defaults(workshop=workshop))
        add_workshop_created(lambda workshop: letters_lay_out_defaults(workshop=workshop))
        from delegations import audiences

        audiences.register()  # its people as audiences of messages (registrations.audiences)
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
        user_logged_in.connect(take_up_pending_invitations, dispatch_uid="delegations.pending_invitations")
        from delegations.visa import on_registration_left
        from registrations.signals import registration_left

        # A cancelled or declined registration closes its visa request in the same transaction.
        registration_left.connect(on_registration_left, dispatch_uid="delegations.registration_left")
