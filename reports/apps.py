from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and proceedings")

    def ready(self):
        import jobs
        from registrations.staff_dashboard import add_workshop_part
        from reports import page_cache
        from reports.admin import ReminderSettingsInline
        from reports.privacy import register
        from reports.proceedings.build_job import PROCEEDINGS_JOB
        from reports.staff_dashboard import ProceedingsOnDashboard
        from workshop_portal.admin import add_workshop_inline

        page_cache.register()  # which pages a change of this app's records renews
        add_workshop_part(ProceedingsOnDashboard())  # its builds on the staff dashboard
        from reports import audiences

        audiences.register()  # its people as audiences of messages (registrations.audiences)
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
        jobs.register(PROCEEDINGS_JOB)  # builds run on the one job lifecycle
        add_workshop_inline(ReminderSettingsInline)  # the reminders' offsets and schedule on the workshop's page
