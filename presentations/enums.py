from django.db import models
from django.utils.translation import gettext_lazy as _


class PresentationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A presentation in one of these counts: it holds its state's best-practice slot, it can take files.
ACTIVE_STATUSES = (PresentationStatus.DRAFT, PresentationStatus.SUBMITTED, PresentationStatus.ACCEPTED)


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    PPTX = "pptx", _("PowerPoint (PPTX)")
    DOCX = "docx", _("Word (DOCX)")


class ConversionStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Ready: already a PDF, no conversion needed")
    PENDING = "pending", _("Waiting for conversion")
    CONVERTING = "converting", _("Converting")
    CONVERTED = "converted", _("Converted to PDF")
    FAILED = "failed", _("Conversion failed")
    UNAVAILABLE = "unavailable", _("Conversion unavailable")


class RemovedContent(models.TextChoices):
    """What neutralising took out of an uploaded file (presentations/neutralise.py), in the delegate's words.

    Codes are stored on PresentationFile.removed_content; add a member here for every new kind of removal.
    """

    # PDF (presentations/pdf_clean.py). Labels are what the delegate reads after "We removed from this file:".
    PDF_ATTACHMENTS = "pdf_attachments", _("Files attached inside the PDF")
    PDF_JAVASCRIPT = "pdf_javascript", _("Scripts (JavaScript)")
    PDF_OPEN_ACTION = "pdf_open_action", _("Actions that ran by themselves when the file or a page was opened")
    PDF_FORM_SUBMISSION = "pdf_form_submission", _("Form buttons that send or clear what is typed in")
    PDF_EXTERNAL_LINKS = "pdf_external_links", _("Links that open other files or start programs")
    PDF_SCRIPT_LINKS = "pdf_script_links", _("Links that run a script instead of opening a web page")
    PDF_MEDIA = "pdf_media", _("Embedded video, sound, 3D or Flash content")
    PDF_XFA_FORM = "pdf_xfa_form", _("An interactive XML form (XFA)")
    PDF_OTHER_ACTIONS = "pdf_other_actions", _("Other interactive commands")
    PDF_TRAILING_DATA = "pdf_trailing_data", _("Data hidden after the end of the PDF")
    # Office Open XML (presentations/office_clean.py)
    OFFICE_EXTERNAL_CONTENT = (
        "office_external_content",
        _(
            "Pictures, media, templates or objects linked from outside the file "
            "(insert them into the file itself if they should be shown)"
        ),
    )
    OFFICE_LOCAL_LINKS = (
        "office_local_links",
        _("Links to files on a computer or a network share (links to web pages are kept)"),
    )
