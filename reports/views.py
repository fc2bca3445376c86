"""Reports pages.

Session reports: the rapporteur's list of sessions and the report form. A rapporteur edits only
their own session's report; organisers and secretariat (`reports.edit_any_report`) edit all.
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from reports.forms import SessionReportForm
from reports.models import REPORT_SECTIONS, SessionReport
from reports.services import report_for_session, report_save, user_may_edit_report
from reports.special_session_panels import special_session_panels
from sessions.enums import SessionKind
from sessions.models import WorkingSession
from workshop_portal.models import Workshop

# What the special session's rapporteur reads of each country session while writing the conclusions.
COMPARED_SECTIONS = ("challenges", "best_practices", "recommendations")


@dataclass(frozen=True)
class SessionRow:
    """A session and its report; a report created but never saved counts as no report."""

    session: WorkingSession
    report: SessionReport | None

    @classmethod
    def of(cls, session: WorkingSession, report: SessionReport | None = None) -> "SessionRow":
        if report is None:
            # Sessions come with select_related("report"); a missing one raises, which getattr turns into None.
            report = getattr(session, "report", None)
        return cls(session=session, report=report if report is not None and report.revision else None)

    @property
    def state(self) -> str:
        # Values the portal's status badge already colours: grey, light, green.
        if self.report is None:
            return "pending"
        return "ready" if self.report.is_final else "draft"

    @property
    def state_label(self) -> str:
        if self.report is None:
            return _("No report")
        if self.report.is_final:
            return _("Final, revision %(revision)d") % {"revision": self.report.revision}
        return _("Draft, revision %(revision)d") % {"revision": self.report.revision}

    @property
    def compared_sections(self) -> list[tuple[str, str]]:
        if self.report is None:
            return []
        return [
            (capfirst(SessionReport._meta.get_field(name).verbose_name), self.report.rendered.get(name, ""))
            for name in COMPARED_SECTIONS
        ]


def _sessions_with_reports():
    return WorkingSession.objects.select_related("workshop", "country", "report")


@login_required
@require_safe
def my_sessions(request):
    """The sessions whose report the user writes; organisers and secretariat also see every published session."""
    own = [SessionRow.of(s) for s in _sessions_with_reports().filter(rapporteur=request.user)]
    all_by_workshop = []
    if request.user.has_perm("reports.edit_any_report"):
        sessions = (
            _sessions_with_reports()
            .select_related("rapporteur")
            .filter(workshop__in=Workshop.objects.published())
            .order_by("-workshop__start_date", "workshop__title", "workshop_id", *WorkingSession._meta.ordering)
        )
        all_by_workshop = [
            (workshop, [SessionRow.of(s) for s in group])
            for workshop, group in groupby(sessions, key=lambda s: s.workshop)
        ]
    return render(request, "reports/my_sessions.html", {"own": own, "all_by_workshop": all_by_workshop})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, session_pk):
    """The rapporteur writes the session's report; the special session's page shows the country reports beside it."""
    session = get_object_or_404(WorkingSession.objects.select_related("workshop", "country"), pk=session_pk)
    if not user_may_edit_report(user=request.user, session=session):
        raise PermissionDenied(_("Only the session's rapporteur, the organisers and the secretariat edit this report."))
    report = report_for_session(session=session)
    report.session = session
    form = SessionReportForm(request.POST or None, instance=report, session=session)
    if request.method == "POST" and form.is_valid():
        report = report_save(report=form.instance, by=request.user)
        messages.success(request, _("The report is saved (revision %(revision)d).") % {"revision": report.revision})
        return redirect(report)
    country_rows, panels = [], []
    if session.kind == SessionKind.SPECIAL:
        panels = special_session_panels(session=session, request=request)
        country_sessions = WorkingSession.objects.filter(workshop_id=session.workshop_id, kind=SessionKind.COUNTRY)
        country_rows = [SessionRow.of(s) for s in country_sessions.select_related("report", "country")]
    preview = [(form[name].label, report.rendered.get(name, "")) for name in REPORT_SECTIONS] if report.revision else []
    return render(
        request,
        "reports/sessionreport_form.html",
        {
            "session": session,
            "report": report,
            "row": SessionRow.of(session, report),
            "form": form,
            "preview": preview,
            "country_rows": country_rows,
            "panels": panels,
        },
    )
