from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SITE = "site", _("Site")
    API = "api", _("API")
    COMMAND = "command", _("Command or background job")


class Action(models.TextChoices):
    """The actions the portal records; an app may record others (the field has no fixed choices)."""

    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    APPROVE = "approve", _("Approved")
    WAITLIST = "waitlist", _("Put on the waiting list")
    DECLINE = "decline", _("Declined")
    CANCEL = "cancel", _("Cancelled")
    ENDORSE = "endorse", _("Endorsed")
    PROMOTE = "promote", _("Promoted from the waiting list")
    FILE_UPLOAD = "file_upload", _("File uploaded")
    PUBLISH = "publish", _("Published")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role taken away")
    FOCAL_POINT_DESIGNATE = "focal_point_designate", _("Focal point designated")
