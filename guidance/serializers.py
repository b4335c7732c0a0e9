import copy

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from guidance.engine import LEADING_URGENCIES, Guidance
from guidance.vocabulary import ReliefEffect, ReliefMeasure

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


class SlugField(serializers.ChoiceField):
    """One slug of a vocabulary, copied cheaply. DRF gives every serializer instance fresh
    fields by running each field's ``__init__`` again on deep copies of its arguments; for
    choice lists with translated labels that was most of the cost of validating a logged
    episode. A choice field never changes its choices after ``__init__``, so an unbound
    field's copies share them."""

    def __deepcopy__(self, memo):
        if getattr(self, "parent", None) is not None:  # bound: copy the usual way
            return super().__deepcopy__(memo)
        return copy.copy(self)


class SlugListField(serializers.ListField):
    """A list of slugs of one vocabulary, copied as cheaply as ``SlugField``."""

    def __init__(self, choices, **kwargs):
        super().__init__(child=SlugField(choices=choices), **kwargs)

    def __deepcopy__(self, memo):
        if getattr(self, "parent", None) is not None:
            return super().__deepcopy__(memo)
        clone = copy.copy(self)
        clone.child = copy.deepcopy(self.child, memo)
        clone.child.bind(field_name="", parent=clone)
        return clone


class ReliefSerializer(serializers.Serializer):
    measure = SlugField(choices=ReliefMeasure.choices)
    effect = SlugField(choices=ReliefEffect.choices)


def guidance_to_dict(guidance: Guidance) -> dict:
    """The JSON shape of DESIGN.md: ``{steps, prompts, reasons}``, prompts most urgent first.

    Each step and prompt carries its ``source`` (the article passage or the guideline) and
    ``source_title``; a prompt's ``placement`` says where the pages draw it (emergency,
    urgent and soon before the steps, routine after them).
    """
    return {
        "steps": [
            {
                "key": s.key,
                "phase": s.phase,
                "title": s.title,
                "body": s.body,
                "helped_before": s.helped_before,
                "note": s.note,
                "source": s.source,
                "source_title": s.source_title,
            }
            for s in guidance.steps
        ],
        "prompts": [
            {
                "key": p.key,
                "urgency": p.urgency,
                "text": p.text,
                "placement": "before_steps" if p.urgency in LEADING_URGENCIES else "after_steps",
                "source": p.source,
                "source_title": p.source_title,
            }
            for p in guidance.prompts
        ],
        "reasons": [
            {"rule": r.rule, "fact": r.fact, "detail": r.detail, "text": r.text} for r in guidance.reasons
        ],
    }
