"""What the read API shows of each record. Times are ISO 8601 with the venue's UTC offset."""

from functools import cached_property

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from presentations.models import Presentation
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from reports.models import ProceedingsBuild
from sessions.models import Segment, WorkingSession
from workshop_portal.models import Institution, MemberState, Workshop


class MemberStateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code")
    name = serializers.CharField()

    class Meta:
        model = MemberState
        fields = ["code", "name", "is_central_asian"]


class InstitutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="localized_name")
    member_state = serializers.CharField(source="member_state.code.code", default=None, allow_null=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "member_state", "website"]


class WorkshopSerializer(serializers.ModelSerializer):
    host_institution = serializers.CharField(source="host_institution.localized_name", default=None, allow_null=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = [
            "slug", "title", "host_institution", "venue", "city", "start_date", "end_date", "time_zone",
            "registration_opens_at", "registration_closes_at", "upload_deadline", "description", "links",
        ]  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_links(self, workshop) -> dict:
        request = self.context["request"]
        return {
            "programme": request.build_absolute_uri(workshop.get_absolute_url()),
            "calendar": request.build_absolute_uri(reverse("worksessions:programme_ics", args=[workshop.slug])),
            "schedule_xml": request.build_absolute_uri(reverse("api:schedule_xml", args=[workshop.slug])),
            "schedule_json": request.build_absolute_uri(reverse("api:schedule_json", args=[workshop.slug])),
        }


class SessionSerializer(serializers.ModelSerializer):
    workshop = serializers.CharField(source="workshop.slug")
    title = serializers.CharField(source="display_title")
    country = serializers.CharField(source="country.code.code", default=None, allow_null=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()

    class Meta:
        model = WorkingSession
        fields = ["id", "workshop", "kind", "title", "country", "date", "starts_at", "ends_at", "room", "chair"]

    # On the venue's clock, with its offset (the serializer's DateTimeField would turn it to UTC).
    @extend_schema_field(serializers.DateTimeField())
    def get_starts_at(self, session) -> str:
        return session.starts_at.isoformat()

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, session) -> str:
        return session.ends_at.isoformat()


class SegmentSerializer(serializers.ModelSerializer):
    workshop = serializers.CharField(source="session.workshop.slug")
    title = serializers.CharField(source="display_title")
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()

    class Meta:
        model = Segment
        fields = ["id", "workshop", "session", "kind", "order", "title", "starts_at", "ends_at"]

    @extend_schema_field(serializers.DateTimeField())
    def get_starts_at(self, segment) -> str:
        return segment.session.workshop.local_datetime(segment.session.date, segment.start_time).isoformat()

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, segment) -> str:
        return segment.session.workshop.local_datetime(segment.session.date, segment.end_time).isoformat()


class PresenterSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    member_state = serializers.CharField(source="member_state.code.code", default=None, allow_null=True)
    institution = serializers.CharField(source="institution.localized_name", default=None, allow_null=True)


class PresentationSerializer(serializers.ModelSerializer):
    workshop = serializers.CharField(source="workshop.slug")
    session = serializers.IntegerField(source="segment.session_id")
    presenter = serializers.SerializerMethodField()

    class Meta:
        model = Presentation
        fields = ["id", "workshop", "session", "segment", "title", "abstract", "presenter"]

    @extend_schema_field(PresenterSerializer(allow_null=True))
    def get_presenter(self, presentation):
        """Named only when the presenter agreed to be listed, as in the list of participants."""
        presenter = presentation.presenter
        if presenter.consent_to_list and presenter.status == RegistrationStatus.APPROVED:
            return self._presenter_serializer.to_representation(presenter)
        return None

    @cached_property
    def _presenter_serializer(self) -> PresenterSerializer:
        # One for the whole list: building a serializer per row was a third of the list's time.
        return PresenterSerializer()


class RegistrationSerializer(serializers.ModelSerializer):
    """The columns of the organisers' export (registrations/exports.py)."""

    workshop = serializers.CharField(source="workshop.slug")
    member_state = serializers.CharField(source="member_state.code.code", default=None, allow_null=True)
    institution = serializers.CharField(source="institution.localized_name", default=None, allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id", "workshop", "status", "honorific", "participant_name", "position", "category", "member_state",
            "institution", "delegation_role", "email", "phone", "arrival_date", "departure_date", "dietary_needs",
            "access_needs", "consent_to_list", "created_at", "checked_in_at",
        ]  # fmt: skip


class ProceedingsBuildSerializer(serializers.ModelSerializer):
    workshop = serializers.CharField(source="workshop.slug")
    failed = serializers.SerializerMethodField()

    class Meta:
        model = ProceedingsBuild
        fields = [
            "id", "workshop", "status", "language", "progress_done", "progress_total", "progress_label",
            "page_count", "size", "sha256", "is_published", "created_at", "started_at", "finished_at", "failed",
        ]  # fmt: skip

    def get_failed(self, build) -> bool:
        return bool(build.error)
