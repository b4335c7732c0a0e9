from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Staff
from guidance.engine import evaluate
from guidance.facts import Facts, ReliefFact, sample_facts
from guidance.forms import TREND_CHOICES
from guidance.selectors import working_content
from guidance.serializers import GuidanceResponse, ReliefSerializer, guidance_to_dict
from guidance.vocabulary import Descriptor, Location, Mobility, RedFlag, ReliefMeasure, Trigger


class HistorySerializer(serializers.Serializer):
    episodes_last_7d = serializers.IntegerField(min_value=0, default=0)
    episodes_last_30d = serializers.IntegerField(min_value=0, default=0)
    trend = serializers.ChoiceField(choices=TREND_CHOICES, default="unknown")
    weeks_since_first_episode = serializers.IntegerField(min_value=0, default=0)
    helpful_relief = serializers.ListField(
        child=serializers.ChoiceField(choices=ReliefMeasure.choices), default=list
    )
    unhelpful_relief = serializers.ListField(
        child=serializers.ChoiceField(choices=ReliefMeasure.choices), default=list
    )


class PreviewSerializer(serializers.Serializer):
    severity = serializers.IntegerField(min_value=0, max_value=10)
    ongoing = serializers.BooleanField(default=True)
    minutes_since_start = serializers.IntegerField(min_value=0, default=0)
    locations = serializers.ListField(child=serializers.ChoiceField(choices=Location.choices), default=list)
    descriptors = serializers.ListField(
        child=serializers.ChoiceField(choices=Descriptor.choices), default=list
    )
    triggers = serializers.ListField(child=serializers.ChoiceField(choices=Trigger.choices), default=list)
    red_flags = serializers.ListField(child=serializers.ChoiceField(choices=RedFlag.choices), default=list)
    mobility = serializers.ChoiceField(choices=Mobility.choices, allow_blank=True, default="")
    relief = ReliefSerializer(many=True, default=list)
    history = HistorySerializer(default=dict)
    language = serializers.ChoiceField(choices=[("en", "English"), ("es", "Español")], default="en")

    def facts(self) -> Facts:
        data = dict(self.validated_data)
        data.pop("language")
        data["relief"] = tuple(ReliefFact(r["measure"], r["effect"]) for r in data["relief"])
        return sample_facts(**data)


class GuidancePreviewView(APIView):
    """Staff: the guidance an episode-like body would get from the working copy of the content."""

    permission_classes = [IsAuthenticated, Staff]

    @extend_schema(
        request=PreviewSerializer,
        responses={200: GuidanceResponse},
        examples=[
            OpenApiExample(
                "Severe spasm after moving furniture",
                value={"severity": 8, "triggers": ["moving_furniture"], "locations": ["lower_back_left"]},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = PreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        language = serializer.validated_data["language"]
        with translation.override(language):
            guidance = evaluate(serializer.facts(), working_content(), language)
            return Response(guidance_to_dict(guidance))
