"""Writes to session reports. Proceedings builds live in reports/proceedings/."""

import markdown
import nh3
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from reports.models import REPORT_SECTIONS, SessionReport
from sessions.models import WorkingSession
from workshop_portal.models import User

# What a rapporteur may use: headings, paragraphs, lists, emphasis, quotations. Nothing that
# loads, links out or runs: the same HTML goes to the site and into the printed proceedings.
ALLOWED_TAGS = {"h3", "h4", "h5", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote"}


def report_markdown_to_html(text: str) -> str:
    # Markdown's "#" headings become h3 and below: the page and the PDF own h1 and h2.
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None, strip_comments=True)


def user_may_edit_report(*, user: User, session: WorkingSession) -> bool:
    """Rapporteurs edit their own session's report; organisers and secretariat edit all."""
    if not user.is_authenticated:
        return False
    return session.rapporteur_id == user.pk or user.has_perm("reports.edit_any_report")


def report_for_session(*, session: WorkingSession) -> SessionReport:
    report, _created = SessionReport.objects.get_or_create(session=session)
    return report


@transaction.atomic
def report_save(*, report: SessionReport, by: User) -> SessionReport:
    """Save a report: sections rendered from Markdown and sanitised, the revision counted."""
    if not user_may_edit_report(user=by, session=report.session):
        raise PermissionDenied
    report.rendered = {name: report_markdown_to_html(getattr(report, name)) for name in REPORT_SECTIONS}
    report.updated_by = by
    # Counted in the database, so two saves at once still make two revisions.
    report.revision = F("revision") + 1 if report.pk else 1
    report.save()
    report.refresh_from_db(fields=["revision"])
    return report
