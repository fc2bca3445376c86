from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        import jobs
        from documents import certificates, letters, page_cache, selectors
        from documents.batches import DOCUMENT_BATCHES
        from documents.privacy import register
        from documents.staff_dashboard import DocumentsOnDashboard
        from registrations.selectors import add_registration_contents
        from registrations.staff_dashboard import add_workshop_part

        letters.register()  # the invitation and visa letters, before the certificates (the kinds' order)
        certificates.register()  # the certificates of attendance and of presentation (documents/kinds.py)
        jobs.register(DOCUMENT_BATCHES)  # restarted or failed by the one watchdog (jobs/watchdog.py)
        page_cache.register()  # a holder's dashboard lists their documents
        add_registration_contents(selectors.registration_documents)  # ... with each of their registrations
        add_workshop_part(DocumentsOnDashboard())  # a link to each workshop's documents for the staff
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
        from documents.services import on_registration_left
        from registrations.signals import registration_left

        # A declined or cancelled registration's letters and certificates stop being valid with it.
        registration_left.connect(on_registration_left, dispatch_uid="documents.registration_left")
