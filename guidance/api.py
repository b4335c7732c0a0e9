from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from guidance.engine import evaluate
from guidance.facts import Facts, ReliefFact, sample_facts
from guidance.forms import TREND_CHOICES
from guidance.selectors import guidance_for_episode, working_content
from guidance.serializers import guidance_to_dict
from tracker.api import ReliefSerializer
from tracker.choices import Descriptor, Location, Mobility, RedFlag, ReliefMeasure, Trigger
from tracker.models import Episode

GuidanceStepSchema = inline_serializer(
    "GuidanceStep",
    {
        "key": serializers.CharField(),
        "phase": serializers.CharField(),
        "title": serializers.CharField(),
        "body": serializers.CharField(help_text="Sanitised HTML."),
        "helped_before": serializers.BooleanField(),
        "note": serializers.CharField(
            help_text="Said to this patient only, e.g. that ice made it worse before."
        ),
        "source": serializers.CharField(help_text="The article passage (or guideline) this step comes from."),
        "source_title": serializers.CharField(help_text="'NICE NG59' or the article's name, translated."),
    },
)
GuidancePromptSchema = inline_serializer(
    "GuidancePrompt",
    {
        "key": serializers.CharField(),
        "urgency": serializers.ChoiceField(choices=["emergency", "urgent", "soon", "routine"]),
        "text": serializers.CharField(),
        "placement": serializers.ChoiceField(
            choices=["before_steps", "after_steps"],
            help_text="Emergency, urgent and soon prompts go before the steps; routine ones after them.",
        ),
        "source": serializers.CharField(help_text="NICE NG59 for warning signs, else the article passage."),
        "source_title": serializers.CharField(),
    },
)
GuidanceResponse = inline_serializer(
    "Guidance",
    {
        "steps": GuidanceStepSchema.__class__(many=True),
        "prompts": GuidancePromptSchema.__class__(many=True),
        "reasons": serializers.ListField(child=serializers.DictField()),
    },
)


class EpisodeGuidanceView(APIView):
    """The guidance for one of your episodes: steps, doctor prompts (most urgent first), reasons."""

    @extend_schema(responses={200: GuidanceResponse})
    def get(self, request, pk: int):
        episode = get_object_or_404(
            Episode.objects.prefetch_related("tags", "relief"), pk=pk, patient=request.user
        )
        return Response(guidance_to_dict(guidance_for_episode(episode=episode)))


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
        if not request.user.is_staff:
            raise Http404
        serializer = PreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        language = serializer.validated_data["language"]
        with translation.override(language):
            guidance = evaluate(serializer.facts(), working_content(), language)
            return Response(guidance_to_dict(guidance))
