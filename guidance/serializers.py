from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from guidance.engine import Guidance
from guidance.vocabulary import ReliefEffect, ReliefMeasure

GuidanceResponse = inline_serializer(
    "Guidance",
    {
        "steps": serializers.ListField(child=serializers.DictField()),
        "prompts": serializers.ListField(child=serializers.DictField()),
        "reasons": serializers.ListField(child=serializers.DictField()),
    },
)


class ReliefSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=ReliefMeasure.choices)
    effect = serializers.ChoiceField(choices=ReliefEffect.choices)


def guidance_to_dict(guidance: Guidance) -> dict:
    """The JSON shape of DESIGN.md: ``{steps, prompts, reasons}``, prompts most urgent first."""
    return {
        "steps": [
            {
                "key": s.key,
                "phase": s.phase,
                "title": s.title,
                "body": s.body,
                "helped_before": s.helped_before,
            }
            for s in guidance.steps
        ],
        "prompts": [{"key": p.key, "urgency": p.urgency, "text": p.text} for p in guidance.prompts],
        "reasons": [
            {"rule": r.rule, "fact": r.fact, "detail": r.detail, "text": r.text} for r in guidance.reasons
        ],
    }
