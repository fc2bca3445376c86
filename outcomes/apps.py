from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from outcomes import survey_setup

        survey_setup.register()  # the survey and the registration questions: chapters, clone steps, hooks
        from outcomes.followup_setup import followup_ready

        followup_ready()
