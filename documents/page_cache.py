"""Which cached pages a change of this app's records renews (workshop_portal/page_cache.py): a holder's
dashboard lists their documents."""

from workshop_portal.page_cache import invalidated_by, person_scopes


def _holder_scopes(document):
    if document.registration_id is None:
        return []
    from registrations.models import Registration

    user_id = Registration.objects.filter(pk=document.registration_id).values_list("user_id", flat=True).first()
    return person_scopes([user_id])


def register() -> None:
    invalidated_by("documents.IssuedDocument", _holder_scopes)
