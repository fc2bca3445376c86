from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from presentations.models import Presentation
from sessions.models import Segment


class SegmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, segment):
        return f"{segment.session.display_title} · {segment.display_title}"


class PresentationForm(forms.ModelForm):
    segment = SegmentChoiceField(queryset=None, label=_("Where you present"))

    class Meta:
        model = Presentation
        fields = ["segment", "title", "abstract"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, segments: list[Segment], submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the segments this delegate may present in; the service checks the rules again.
        field = self.fields["segment"]
        field.queryset = Segment.objects.filter(pk__in=[s.pk for s in segments]).select_related("session__country")
        field.choices = [("", "---------")] + [(s.pk, field.label_from_instance(s)) for s in segments]
        field.help_text = _(
            "The segments open to you: your own state's segment, another state's best practices, "
            "or the institutions' segment, as your registration allows."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Save"), css_class="btn-primary"))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PowerPoint (.pptx) or Word (.docx), up to %(size)s."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.docx"}),
    )

    def __init__(self, *args, max_bytes: int, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = filesizeformat(max_bytes)
        self.fields["file"].help_text = self.fields["file"].help_text % {"size": self.limit}
        self.upload_too_large = upload_too_large
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        if self.upload_too_large:
            # The upload handler stopped reading: say why instead of "this field is required".
            self.errors.pop("file", None)
            raise forms.ValidationError(
                _("The file is larger than the limit of %(size)s.") % {"size": self.limit}, code="too_large"
            )
        return super().clean()
