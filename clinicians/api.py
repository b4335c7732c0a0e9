"""The clinician API: patients the clinician may see only; anything else is a 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import VerifiedClinician
from clinicians import selectors, services
from clinicians.fhir import patient_bundle
from clinicians.forms import DashboardFilterForm
from clinicians.models import AccessLogEntry
from tracker import selectors as tracker_selectors
from tracker.insights.api import InsightsSerializer, insights_to_dict
from tracker.insights.report import insights_for
from tracker.serializers import RANGE_PARAMETERS, EpisodeSerializer, summary_for_range

MARK_SEEN = OpenApiParameter(
    "mark_seen",
    OpenApiTypes.BOOL,
    description=(
        "`1` (or `true`) counts this read as a look: episodes logged before it are no longer "
        '"new since you last looked". Without it, a read leaves that as it was. Either way it is audited.'
    ),
)


def _wants_mark_seen(request) -> bool:
    return request.query_params.get("mark_seen", "").lower() in ("1", "true")


class ClinicianAPIView(APIView):
    permission_classes = [IsAuthenticated, VerifiedClinician]

    def patient(self, patient_id: int, *, action: str = AccessLogEntry.Action.API):
        patient = selectors.linked_patient_or_404(clinician=self.request.user, patient_id=patient_id)
        services.access_record(
            clinician=self.request.user,
            patient=patient,
            action=action,
            mark_seen=_wants_mark_seen(self.request),
        )
        return patient


class LinkedPatientSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="patient.id")
    name = serializers.CharField(source="patient.__str__")
    last_episode = serializers.DateTimeField()
    episodes_30d = serializers.IntegerField()
    trend = serializers.CharField()
    peg_score = serializers.FloatField(allow_null=True)
    new_since_look = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    flags = serializers.SerializerMethodField()

    def get_flags(self, row) -> list[str]:
        return [key for key, _label in row.flags]


class DashboardPagination(PageNumberPagination):
    def get_page_size(self, request) -> int:
        return selectors.DASHBOARD_PAGE_SIZE


class PatientListView(ClinicianAPIView, generics.GenericAPIView):
    """Linked patients, most in need of attention first, with the reasons; a page at a
    time, as on the dashboard page."""

    serializer_class = LinkedPatientSerializer
    pagination_class = DashboardPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Only patients whose name or email contains this"),
            OpenApiParameter(
                "flag", str, enum=selectors.FLAG_ORDER, description="Only patients with this flag"
            ),
            OpenApiParameter(
                "review",
                str,
                enum=[selectors.REVIEW_DUE],
                description=f"`{selectors.REVIEW_DUE}`: only patients you have not marked reviewed "
                f"in {selectors.REVIEW_DUE_DAYS} days (or ever)",
            ),
            OpenApiParameter(
                "sort",
                str,
                enum=[selectors.SORT_ATTENTION, selectors.SORT_ACTIVITY],
                description="`attention` (default): most in need of attention first; "
                "`activity`: the latest episode first",
            ),
        ],
        responses=LinkedPatientSerializer(many=True),
    )
    def get(self, request):
        # The dashboard page's form, so both filter alike; here bad input is a 400.
        form = DashboardFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        # Paginated like the page: everyone ranked, rows built for this page only.
        ranking = selectors.dashboard_ranking(clinician=request.user, **form.filters())
        page = self.paginate_queryset(ranking)
        rows = selectors.dashboard_rows(clinician=request.user, ranking=page)
        return self.get_paginated_response(LinkedPatientSerializer(rows, many=True).data)


class PatientEpisodesView(ClinicianAPIView, generics.GenericAPIView):
    serializer_class = EpisodeSerializer

    @extend_schema(parameters=[MARK_SEEN], responses=EpisodeSerializer(many=True))
    def get(self, request, patient_id: int):
        patient = self.patient(patient_id)
        page = self.paginate_queryset(tracker_selectors.episodes_for(patient=patient))
        return self.get_paginated_response(EpisodeSerializer(page, many=True).data)


class PatientSummaryView(ClinicianAPIView):
    """The patient's doctor-visit summary for ``?from=&to=`` (default: their last 90 days)."""

    @extend_schema(parameters=[*RANGE_PARAMETERS, MARK_SEEN], responses={200: dict})
    def get(self, request, patient_id: int):
        return Response(summary_for_range(request, patient=self.patient(patient_id)))


class PatientInsightsView(ClinicianAPIView):
    """The patient's insights, as they see them (``GET /api/insights/``)."""

    @extend_schema(parameters=[MARK_SEEN], responses=InsightsSerializer)
    def get(self, request, patient_id: int):
        return Response(insights_to_dict(insights_for(patient=self.patient(patient_id))))


class PatientFhirView(ClinicianAPIView):
    """The patient's record as a FHIR R4 Bundle."""

    @extend_schema(parameters=[MARK_SEEN], responses={200: dict})
    def get(self, request, patient_id: int):
        patient = self.patient(patient_id, action=AccessLogEntry.Action.EXPORTED_FHIR)
        return Response(patient_bundle(patient=patient))


class ReviewedSerializer(serializers.Serializer):
    reviewed_at = serializers.DateTimeField()


class PatientReviewedView(ClinicianAPIView):
    """Mark the patient reviewed now, as the page's "Mark reviewed" button does: recorded, and
    nothing is "new since you last looked" any more. No body."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before the method check, so a patient one may not see is a 404 for any method.
        self.target = selectors.linked_patient_or_404(clinician=request.user, patient_id=kwargs["patient_id"])

    @extend_schema(request=None, responses=ReviewedSerializer)
    def post(self, request, patient_id: int):
        reviewed_at = services.patient_mark_reviewed(clinician=request.user, patient=self.target)
        return Response(ReviewedSerializer({"reviewed_at": reviewed_at}).data)
