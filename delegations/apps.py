from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")

    def ready(self):
        from delegations.services import delegations_lay_out_defaults, quota_seat_rule
        from registrations.services import add_seat_rule
        from workshop_portal.services import add_workshop_created

        add_seat_rule(quota_seat_rule)  # every approval respects the delegation's quota
        add_workshop_created(lambda workshop: delegations_lay_out_defaults(workshop=workshop))
