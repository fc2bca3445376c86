"""The read API, /api/v1/: public lists of the programme and the reference data, and, for staff
with the permission, registrations and proceedings builds. Read only; paginated; filtered by
workshop; an ETag on every answer (304 to If-None-Match); throttled; errors in one shape
(api/rest/errors.py)."""

import hashlib
import json

from django.db.models import Q
from django.http import Http404, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, pagination
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.rest import serializers
from api.rest.authentication import ReadOnlyScope
from api.rest.errors import InvalidFilter
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from reports.models import ProceedingsBuild
from sessions.models import Segment, WorkingSession
from workshop_portal.models import Institution, MemberState, Workshop
from workshop_portal.page_cache import ALL, cached, page_key, workshop_scope
from workshop_portal.selectors import workshop_get_published_cached

WORKSHOP_PARAMETER = OpenApiParameter("workshop", str, description="A workshop's slug: only its records.")


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class HasModelPermission(BasePermission):
    """Staff endpoints: the permission the portal's own page for the same data asks for."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(view.required_permission))


class ApiView(generics.GenericAPIView):
    """What every endpoint shares: ETags, and the reading of its query parameters."""

    pagination_class = Pagination
    public_workshops_only = True

    def finalize_response(self, request, response, *args, **kwargs):
        """An ETag from the body; 304 when the client's If-None-Match names it."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            response["Cache-Control"] = (
                "private, max-age=0, must-revalidate"
                if request.user.is_authenticated
                else ("public, max-age=0, must-revalidate")
            )
            if get_conditional_response(request, etag=etag) is not None:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                return not_modified
        return response

    def _int_parameter(self, name: str) -> int | None:
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        if not value.isdigit() or len(value) > 12:
            raise InvalidFilter({name: ["Give a whole number."]})
        return int(value)

    def _choice_parameter(self, name: str, choices) -> str | None:
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        if value not in choices:
            raise InvalidFilter({name: [f"One of: {', '.join(choices)}."]})
        return value

    def filter_workshop(self, queryset, field: str = "workshop"):
        slug = self.request.query_params.get("workshop")
        if slug in (None, ""):
            return queryset
        # A published workshop this request already looked up (ProgrammeListView) is not read twice.
        workshop_id = getattr(self, "published_workshop_ids", {}).get(slug)
        if workshop_id is None:
            workshops = Workshop.objects.published() if self.public_workshops_only else Workshop.objects.all()
            workshop_id = workshops.filter(slug=slug).values_list("pk", flat=True).first()
        if workshop_id is None:
            raise InvalidFilter({"workshop": ["No such workshop."]})
        return queryset.filter(**{f"{field}_id": workshop_id})


class ApiListView(ApiView, generics.ListAPIView):
    pass


class ProgrammeListView(ApiListView):
    """A public list of one workshop's programme (?workshop=slug): for anonymous clients (phone apps,
    signage polling every minute) it comes from the page cache, renewed when anything the
    programme page shows changes (the same scopes), as the schedule feeds do. Signed-in and
    token requests, and lists across every workshop, are read each time."""

    def list(self, request, *args, **kwargs):
        slug = request.query_params.get("workshop")
        if not slug or request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        try:
            workshop = workshop_get_published_cached(slug=slug)
        except Http404:
            return super().list(request, *args, **kwargs)  # the documented error, from filter_workshop
        self.published_workshop_ids = {slug: workshop.pk}

        def compute():
            data = super(ProgrammeListView, self).list(request, *args, **kwargs).data
            # Plain JSON values: what the cache keeps must not hold the serializer.
            return json.loads(JSONRenderer().render(data)), None

        # The full path keeps filters and the page apart; scheme and host make the page's links.
        key = page_key(
            "api", type(self).__name__, workshop.pk, request.scheme, request.get_host(), request.get_full_path()
        )
        return Response(cached(key, (workshop_scope(workshop.pk), ALL), compute))


@extend_schema_view(get=extend_schema(summary="Published workshops"))
class WorkshopList(ApiListView):
    serializer_class = serializers.WorkshopSerializer
    queryset = Workshop.objects.published().select_related("host_institution").order_by("-start_date", "pk")


@extend_schema_view(get=extend_schema(summary="One published workshop"))
class WorkshopDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.WorkshopSerializer
    queryset = Workshop.objects.published().select_related("host_institution")
    lookup_field = "slug"


@extend_schema_view(get=extend_schema(summary="Working sessions", parameters=[WORKSHOP_PARAMETER]))
class SessionList(ProgrammeListView):
    serializer_class = serializers.SessionSerializer

    def get_queryset(self):
        queryset = WorkingSession.objects.filter(workshop__is_published=True).select_related("workshop", "country")
        return self.filter_workshop(queryset).order_by("workshop__start_date", "date", "start_time", "order", "pk")


@extend_schema_view(
    get=extend_schema(
        summary="Segments of the working sessions",
        parameters=[WORKSHOP_PARAMETER, OpenApiParameter("session", int, description="A working session's id.")],
    )
)
class SegmentList(ProgrammeListView):
    serializer_class = serializers.SegmentSerializer

    def get_queryset(self):
        queryset = Segment.objects.filter(session__workshop__is_published=True).select_related("session__workshop")
        session = self._int_parameter("session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        return self.filter_workshop(queryset, "session__workshop").order_by(
            "session__date", "session__start_time", "session__order", "session_id", "order"
        )


@extend_schema_view(
    get=extend_schema(
        summary="Accepted presentations",
        description="The presenter is named only when they agreed to appear in the list of participants.",
        parameters=[
            WORKSHOP_PARAMETER,
            OpenApiParameter("session", int, description="A working session's id."),
            OpenApiParameter("segment", int, description="A segment's id."),
        ],
    )
)
class PresentationList(ProgrammeListView):
    serializer_class = serializers.PresentationSerializer

    def get_queryset(self):
        queryset = Presentation.objects.filter(
            status=PresentationStatus.ACCEPTED, workshop__is_published=True
        ).select_related("workshop", "segment", "presenter__member_state", "presenter__institution")
        for name, field in (("session", "segment__session_id"), ("segment", "segment_id")):
            value = self._int_parameter(name)
            if value is not None:
                queryset = queryset.filter(**{field: value})
        return self.filter_workshop(queryset).order_by("segment__session__date", "segment__session__start_time",
                                                       "segment__order", "order", "pk")  # fmt: skip


@extend_schema_view(get=extend_schema(summary="OIC member states"))
class MemberStateList(ApiListView):
    serializer_class = serializers.MemberStateSerializer
    queryset = MemberState.objects.order_by("code")


@extend_schema_view(
    get=extend_schema(
        summary="Institutions",
        parameters=[OpenApiParameter("kind", str, description="national, oic or international.")],
    )
)
class InstitutionList(ApiListView):
    serializer_class = serializers.InstitutionSerializer

    def get_queryset(self):
        from workshop_portal.enums import InstitutionKind

        queryset = Institution.objects.select_related("member_state").order_by("name", "pk")
        kind = self._choice_parameter("kind", InstitutionKind.values)
        return queryset.filter(kind=kind) if kind else queryset


@extend_schema_view(
    get=extend_schema(
        summary="Registrations (staff)",
        description="The columns of the organisers' export. Needs the permission to export registrations.",
        parameters=[
            WORKSHOP_PARAMETER,
            OpenApiParameter("status", str, enum=RegistrationStatus.values),
            OpenApiParameter("category", str, enum=ParticipantCategory.values),
            OpenApiParameter("member_state", str, description="ISO 3166 code of the member state represented."),
            OpenApiParameter("search", str, description="Part of the name, email or position."),
        ],
    )
)
class RegistrationList(ApiListView):
    serializer_class = serializers.RegistrationSerializer
    permission_classes = [ReadOnlyScope, HasModelPermission]
    required_permission = "registrations.export_registration"
    public_workshops_only = False

    def get_queryset(self):
        queryset = Registration.objects.select_related("workshop", "member_state", "institution")
        status = self._choice_parameter("status", RegistrationStatus.values)
        category = self._choice_parameter("category", ParticipantCategory.values)
        state = self.request.query_params.get("member_state")
        search = self.request.query_params.get("search", "").strip()
        if status:
            queryset = queryset.filter(status=status)
        if category:
            queryset = queryset.filter(category=category)
        if state:
            if len(state) != 2 or not state.isalpha():
                raise InvalidFilter({"member_state": ["Give a two-letter ISO 3166 code."]})
            queryset = queryset.filter(member_state__code=state.upper())
        if search:
            queryset = queryset.filter(
                Q(participant_name__icontains=search) | Q(email__icontains=search) | Q(position__icontains=search)
            )
        return self.filter_workshop(queryset).order_by("workshop_id", "participant_name", "pk")


@extend_schema_view(get=extend_schema(summary="Proceedings builds (staff)", parameters=[WORKSHOP_PARAMETER]))
class ProceedingsBuildList(ApiListView):
    serializer_class = serializers.ProceedingsBuildSerializer
    permission_classes = [ReadOnlyScope, HasModelPermission]
    required_permission = "reports.view_proceedingsbuild"
    public_workshops_only = False

    def get_queryset(self):
        return self.filter_workshop(ProceedingsBuild.objects.select_related("workshop")).order_by("-created_at", "-pk")
