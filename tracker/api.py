"""The patient API (DESIGN.md, HTTP API v1). Views are thin: serializers validate,
``tracker.services`` writes and ``tracker.selectors`` reads, as the pages do."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Patient
from guidance.serializers import guidance_to_dict
from tracker import idempotency, selectors, services
from tracker.choices import (
    DAILY_FACTORS,
    Descriptor,
    Location,
    Mobility,
    RedFlag,
    ReliefEffect,
    ReliefMeasure,
    Sleep,
    Stress,
    Trigger,
)
from tracker.fhir import patient_bundle
from tracker.guidance import guidance_for_episode
from tracker.serializers import (
    ONGOING_CONFLICT,
    RANGE_PARAMETERS,
    CheckInSerializer,
    EpisodeEndSerializer,
    EpisodeSerializer,
    PegSerializer,
    RedFlagAnswerSerializer,
    period_from_query,
    summary_for_range,
)

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


class EpisodeListCreateView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated, Patient]
    serializer_class = EpisodeSerializer

    def get_queryset(self):
        return selectors.episodes_for(patient=self.request.user)

    @extend_schema(parameters=RANGE_PARAMETERS, responses=EpisodeSerializer(many=True))
    def get(self, request):
        start, end = period_from_query(request)
        episodes = selectors.episode_list_for(patient=request.user, start=start, end=end)
        page = self.paginate_queryset(episodes)
        return self.get_paginated_response(EpisodeSerializer(page, many=True).data)

    @extend_schema(
        request=EpisodeSerializer,
        parameters=[idempotency.PARAMETER],
        responses={201: EpisodeSerializer, 409: ONGOING_CONFLICT},
        examples=[EPISODE_EXAMPLE],
        description="Log an episode. Without `ended_at` it is ongoing: a patient has at most one "
        "ongoing episode, and a second start answers 409 with the ongoing one's id.",
    )
    def post(self, request):
        return idempotency.answer_once(request, endpoint="episodes", write=lambda: self._create(request))

    def _create(self, request):
        serializer = EpisodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        episode = services.episode_create(patient=request.user, **serializer.validated_data)
        # Answer with the stored episode through the serializer that validated it, as
        # ``save()`` does: building a second one would copy all its fields again.
        serializer.instance = episode
        data = serializer.data
        data["guidance"] = guidance_to_dict(guidance_for_episode(episode=episode))
        return Response(data, status=status.HTTP_201_CREATED)


class EpisodeDetailView(APIView):
    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(responses=EpisodeSerializer)
    def get(self, request, pk: int):
        return Response(EpisodeSerializer(selectors.access_episode(user=request.user, pk=pk)).data)

    @extend_schema(request=EpisodeSerializer, responses={200: EpisodeSerializer, 409: ONGOING_CONFLICT})
    def patch(self, request, pk: int):
        episode = selectors.access_episode(user=request.user, pk=pk)
        serializer = EpisodeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.episode_update(episode=episode, **serializer.validated_data)
        return Response(EpisodeSerializer(selectors.access_episode(user=request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.episode_delete(episode=selectors.access_episode(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EpisodeEndView(APIView):
    """End an ongoing episode (now, or at ``ended_at``). Ending it again changes nothing."""

    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(request=EpisodeEndSerializer, responses=EpisodeSerializer)
    def post(self, request, pk: int):
        episode = selectors.access_episode(user=request.user, pk=pk)
        serializer = EpisodeEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.episode_end(episode=episode, ended_at=serializer.validated_data.get("ended_at"))
        return Response(EpisodeSerializer(selectors.access_episode(user=request.user, pk=pk)).data)


class EpisodeRedFlagsView(APIView):
    """Answer the warning-sign question for one episode. The signs given are added (one
    already recorded is never removed here); the answer's time is stored either way, and the
    answer includes the guidance redrawn with any emergency or urgent prompt first."""

    @extend_schema(request=RedFlagAnswerSerializer, responses=EpisodeSerializer)
    def post(self, request, pk: int):
        episode = selectors.access_episode(user=request.user, pk=pk)
        serializer = RedFlagAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.episode_red_flags_record(episode=episode, **serializer.validated_data)
        episode = selectors.access_episode(user=request.user, pk=pk)
        data = EpisodeSerializer(episode).data
        data["guidance"] = guidance_to_dict(guidance_for_episode(episode=episode))
        return Response(data)


class CheckInView(APIView):
    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(
        request=CheckInSerializer,
        parameters=[idempotency.PARAMETER],
        responses={201: CheckInSerializer},
        examples=[
            OpenApiExample(
                "A spasm-free day", value={"date": "2026-11-24", "had_spasm": False}, request_only=True
            ),
            OpenApiExample(
                "A spasm day after poor sleep",
                value={
                    "date": "2026-11-25",
                    "had_spasm": True,
                    "worst_pain": 6,
                    "sleep": "poor",
                    "stress": "high",
                    "active": False,
                    "long_sitting": True,
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        return idempotency.answer_once(request, endpoint="checkins", write=lambda: self._record(request))

    def _record(self, request):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checkin = services.checkin_record(
            patient=request.user,
            date=data["date"],
            had_spasm=data["had_spasm"],
            worst_pain=data.get("worst_pain"),
            **{name: data[name] for name in DAILY_FACTORS if name in data},
        )
        return Response(CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)


class PegView(APIView):
    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(request=PegSerializer, parameters=[idempotency.PARAMETER], responses={201: PegSerializer})
    def post(self, request):
        return idempotency.answer_once(request, endpoint="peg", write=lambda: self._record(request))

    def _record(self, request):
        serializer = PegSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        peg = services.peg_record(
            patient=request.user,
            date=data.get("date"),
            pain=data["pain"],
            enjoyment=data["enjoyment"],
            activity=data["activity"],
        )
        return Response(PegSerializer(peg).data, status=status.HTTP_201_CREATED)


class SummaryView(APIView):
    """The doctor-visit summary as data (default: the last 90 days)."""

    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: dict})
    def get(self, request):
        return Response(summary_for_range(request, patient=request.user))


class FhirView(APIView):
    """The patient's own record as a FHIR R4 Bundle (the same bundle a clinician exports)."""

    permission_classes = [IsAuthenticated, Patient]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response(patient_bundle(patient=request.user))


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
                "sleep": entries(Sleep.choices),
                "stress": entries(Stress.choices),
                "prompt_urgency": ["emergency", "urgent", "soon", "routine"],
            }
        )
