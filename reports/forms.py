from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.models import REPORT_SECTIONS, SessionReport
from sessions.enums import SessionKind
from sessions.models import WorkingSession

MARKDOWN_HELP_ID = "report-markdown-help"


class SessionReportForm(forms.ModelForm):
    """The rapporteur's report, section by section; the service renders and sanitises the Markdown."""

    markdown_help = _(
        "Markdown is accepted: “# Heading” for a heading, “- list item” for a list, “*emphasis*” and "
        "“**strong**”. Links, images and HTML are removed when the report is saved."
    )

    class Meta:
        model = SessionReport
        fields = [*REPORT_SECTIONS, "is_final"]
        labels = {"is_final": _("This report is final")}
        help_texts = {
            "is_final": _("Mark the report final when it is ready for the proceedings. You can still correct it.")
        }

    def __init__(self, *args, session: WorkingSession, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_SECTIONS:
            self.fields[name].widget = forms.Textarea(attrs={"rows": 6, "aria-describedby": MARKDOWN_HELP_ID})
        if session.kind == SessionKind.SPECIAL:
            # The special session closes the workshop: its report carries the workshop's conclusions.
            self.fields["summary"].label = _("Conclusions of the workshop")
            self.fields["recommendations"].label = _("Recommendations of the workshop")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Report"),
                HTML(format_html('<p class="form-text" id="{}">{}</p>', MARKDOWN_HELP_ID, self.markdown_help)),
                *REPORT_SECTIONS,
            ),
            Fieldset(_("Status"), "is_final"),
        )
        self.helper.add_input(Submit("submit", _("Save report"), css_class="btn-primary"))
