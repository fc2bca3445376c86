from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from sessions.models import Segment, WorkingSession
from sessions.services import segments_check_overlap, working_session_create, working_session_update


class SegmentInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        segments_check_overlap(form.instance for form in self.forms)


class SegmentInline(admin.TabularInline):
    """A session's segments come from its kind; organisers retitle and retime them here."""

    model = Segment
    formset = SegmentInlineFormSet
    fields = ["order", "kind", "title", "start_time", "end_time"]
    readonly_fields = ["order", "kind"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkingSession)
class WorkingSessionAdmin(admin.ModelAdmin):
    list_display = [
        "display_title",
        "workshop",
        "kind",
        "country",
        "date",
        "start_time",
        "end_time",
        "room",
        "chair",
        "rapporteur",
    ]
    list_display_links = ["display_title"]
    list_filter = ["workshop", "kind", ("country", admin.RelatedOnlyFieldListFilter), "date"]
    list_select_related = ["workshop", "country", "rapporteur"]
    search_fields = ["title", "chair", "room", "workshop__title"]
    ordering = ["workshop", "date", "start_time", "order"]
    autocomplete_fields = ["rapporteur"]
    fieldsets = [
        (None, {"fields": ["workshop", "kind", "country", "title"]}),
        (_("When and where"), {"fields": ["date", "start_time", "end_time", "room", "order"]}),
        (_("People"), {"fields": ["chair", "rapporteur"]}),
    ]

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj):
        return obj.display_title

    def get_readonly_fields(self, request, obj=None):
        # The kind decides the segments, which exist from the moment the session is created.
        return ["workshop", "kind"] if obj else []

    def get_inlines(self, request, obj):
        # Segments are laid out by the service when the session is created, so not on the add page.
        return [SegmentInline] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            working_session_create(session=obj)
        # A changed session is saved with its segments in save_related, in one service call.

    def save_related(self, request, form, formsets, change):
        if change:
            segment_forms = [f for formset in formsets if formset.model is Segment for f in formset.forms]
            working_session_update(session=form.instance, segments=[f.instance for f in segment_forms])
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        # The service saved the segments with their session; keep only what the history needs.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [(f.instance, f.changed_data) for f in formset.forms if f.has_changed()]
