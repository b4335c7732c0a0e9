"""The patient API (DESIGN.md, HTTP API v1). Views are thin: serializers validate,
``tracker.services`` writes and ``tracker.selectors`` reads, as the pages do."""

import datetime

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsPatient
from backspasm.drf import service_call
from guidance.selectors import guidance_for_episode
from guidance.serializers import guidance_to_dict
from tracker import selectors, services
from tracker.choices import Descriptor, Location, Mobility, RedFlag, ReliefEffect, ReliefMeasure, Trigger
from tracker.forms import PeriodForm
from tracker.models import NOTES_MAX_LENGTH, DailyCheckIn, Episode, PegCheckIn


class ReliefSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=ReliefMeasure.choices)
    effect = serializers.ChoiceField(choices=ReliefEffect.choices)


def slug_list(choices):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, max_length=20
    )


class EpisodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    severity = serializers.IntegerField(min_value=0, max_value=10)
    started_at = serializers.DateTimeField(required=False)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    ongoing = serializers.BooleanField(source="is_ongoing", read_only=True)
    locations = slug_list(Location.choices)
    descriptors = slug_list(Descriptor.choices)
    triggers = slug_list(Trigger.choices)
    red_flags = slug_list(RedFlag.choices)
    relief = ReliefSerializer(many=True, required=False)
    medications = serializers.CharField(required=False, allow_blank=True, max_length=500)
    mobility = serializers.ChoiceField(choices=Mobility.choices, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, episode: Episode) -> dict:
        data = super().to_representation(episode)
        data["relief"] = [{"measure": r.measure, "effect": r.effect} for r in episode.relief.all()]
        return data


EPISODE_EXAMPLE = OpenApiExample(
    "A spasm after moving furniture",
    value={
        "severity": 7,
        "locations": ["lower_back_left"],
        "descriptors": ["tight_knot"],
        "triggers": ["moving_furniture"],
        "relief": [{"measure": "heat", "effect": "some"}],
        "mobility": "limited",
        "notes": "Started while carrying a sofa.",
    },
    request_only=True,
)


RANGE_PARAMETERS = [
    OpenApiParameter("from", datetime.date, description="First day (inclusive), in your time zone"),
    OpenApiParameter("to", datetime.date, description="Last day (inclusive), in your time zone"),
]


def _range(request) -> tuple[datetime.date | None, datetime.date | None]:
    """``?from=&to=`` validated by the same form as the pages; errors name the parameters."""
    form = PeriodForm({"start": request.query_params.get("from"), "end": request.query_params.get("to")})
    if not form.is_valid():
        names = {"start": "from", "end": "to"}
        raise ValidationError({names.get(field, field): messages for field, messages in form.errors.items()})
    return form.cleaned_data.get("start"), form.cleaned_data.get("end")


class EpisodeListCreateView(generics.GenericAPIView):
    permission_classes = [IsPatient]
    serializer_class = EpisodeSerializer

    def get_queryset(self):
        return selectors.episodes_for(patient=self.request.user)

    @extend_schema(parameters=RANGE_PARAMETERS, responses=EpisodeSerializer(many=True))
    def get(self, request):
        start, end = _range(request)
        episodes = selectors.episode_list_for(patient=request.user, start=start, end=end)
        page = self.paginate_queryset(episodes)
        return self.get_paginated_response(EpisodeSerializer(page, many=True).data)

    @extend_schema(request=EpisodeSerializer, responses={201: EpisodeSerializer}, examples=[EPISODE_EXAMPLE])
    def post(self, request):
        serializer = EpisodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        episode = service_call(services.episode_create, patient=request.user, **serializer.validated_data)
        # Answer with the stored episode through the serializer that validated it, as
        # ``save()`` does: building a second one would copy all its fields again.
        serializer.instance = episode
        data = serializer.data
        data["guidance"] = guidance_to_dict(guidance_for_episode(episode=episode))
        return Response(data, status=status.HTTP_201_CREATED)


class EpisodeDetailView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(responses=EpisodeSerializer)
    def get(self, request, pk: int):
        return Response(EpisodeSerializer(selectors.episode_get(patient=request.user, pk=pk)).data)

    @extend_schema(request=EpisodeSerializer, responses=EpisodeSerializer)
    def patch(self, request, pk: int):
        episode = selectors.episode_get(patient=request.user, pk=pk)
        serializer = EpisodeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service_call(services.episode_update, episode=episode, **serializer.validated_data)
        return Response(EpisodeSerializer(selectors.episode_get(patient=request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.episode_delete(episode=selectors.episode_get(patient=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EpisodeEndSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField(required=False)


class EpisodeEndView(APIView):
    """End an ongoing episode (now, or at ``ended_at``). Ending it again changes nothing."""

    permission_classes = [IsPatient]

    @extend_schema(request=EpisodeEndSerializer, responses=EpisodeSerializer)
    def post(self, request, pk: int):
        episode = selectors.episode_get(patient=request.user, pk=pk)
        serializer = EpisodeEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended_at = serializer.validated_data.get("ended_at")
        if ended_at and ended_at < episode.started_at:
            raise ValidationError({"ended_at": ["The end must be after the start."]})
        services.episode_end(episode=episode, ended_at=ended_at)
        return Response(EpisodeSerializer(selectors.episode_get(patient=request.user, pk=pk)).data)


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyCheckIn
        fields = ["id", "date", "had_spasm", "worst_pain"]
        extra_kwargs = {"worst_pain": {"min_value": 0, "max_value": 10}}
        validators: list = []  # one per day: a second post corrects the first


class CheckInView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        request=CheckInSerializer,
        responses={201: CheckInSerializer},
        examples=[
            OpenApiExample(
                "A spasm-free day", value={"date": "2026-11-24", "had_spasm": False}, request_only=True
            )
        ],
    )
    def post(self, request):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checkin = service_call(
            services.checkin_record,
            patient=request.user,
            date=data["date"],
            had_spasm=data["had_spasm"],
            worst_pain=data.get("worst_pain"),
        )
        return Response(CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)


class PegSerializer(serializers.ModelSerializer):
    score = serializers.FloatField(read_only=True)
    date = serializers.DateField(required=False)

    class Meta:
        model = PegCheckIn
        fields = ["id", "date", "pain", "enjoyment", "activity", "score"]
        extra_kwargs = {name: {"min_value": 0, "max_value": 10} for name in ("pain", "enjoyment", "activity")}
        validators: list = []


class PegView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(request=PegSerializer, responses={201: PegSerializer})
    def post(self, request):
        serializer = PegSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        peg = service_call(
            services.peg_record,
            patient=request.user,
            date=data.get("date") or datetime.date.today(),
            pain=data["pain"],
            enjoyment=data["enjoyment"],
            activity=data["activity"],
        )
        return Response(PegSerializer(peg).data, status=status.HTTP_201_CREATED)


def summary_for_range(request, *, patient) -> dict:
    """The summary of ``?from=&to=`` (default: the patient's last 90 days), as data."""
    start, end = _range(request)
    default_start, default_end = selectors.default_period(patient=patient)
    return summary_to_dict(
        selectors.visit_summary(patient=patient, start=start or default_start, end=end or default_end)
    )


def summary_to_dict(summary: selectors.VisitSummary) -> dict:
    return {
        "from": summary.start,
        "to": summary.end,
        "severity": {
            "average": summary.average_severity,
            "worst": summary.worst_severity,
            "mildest": summary.mildest_severity,
        },
        "frequency": {
            "episodes": summary.episode_count,
            "per_week": summary.episodes_per_week,
            "spasm_free_days": summary.spasm_free_days,
            "checkin_days": summary.checkin_days,
        },
        "relief": [
            {"measure": r.measure, "tried": r.tried, "helped": r.helped, "much": r.much, "worse": r.worse}
            for r in summary.relief
        ],
        "onset": {"first_episode": summary.first_episode_ever, "first_in_period": summary.first_in_period},
        "triggers": [{"trigger": t.value, "count": t.count} for t in summary.triggers],
        "red_flags": [{"red_flag": f.value, "count": f.count, "last": f.last} for f in summary.red_flags],
        "medications": summary.medications,
        "peg": [
            {
                "date": p.date,
                "pain": p.pain,
                "enjoyment": p.enjoyment,
                "activity": p.activity,
                "score": p.score,
            }
            for p in summary.peg
        ],
    }


class SummaryView(APIView):
    """The doctor-visit summary as data (default: the last 90 days)."""

    permission_classes = [IsPatient]

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: dict})
    def get(self, request):
        return Response(summary_for_range(request, patient=request.user))


class ChoicesView(APIView):
    """The stable vocabulary with labels in the request's language."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        def entries(choices):
            return [{"value": value, "label": str(label)} for value, label in choices]

        return Response(
            {
                "locations": entries(Location.choices),
                "descriptors": entries(Descriptor.choices),
                "triggers": entries(Trigger.choices),
                "red_flags": entries(RedFlag.choices),
                "relief_measures": entries(ReliefMeasure.choices),
                "relief_effects": entries(ReliefEffect.choices),
                "mobility": entries(Mobility.choices),
                "prompt_urgency": ["emergency", "urgent", "soon", "routine"],
            }
        )
