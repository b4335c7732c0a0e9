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


class SlugListField(serializers.ListField):
    """A list of slugs of one vocabulary."""

    def __init__(self, choices, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=choices), **kwargs)


def _copied(field: serializers.Field) -> serializers.Field:
    """A field for one serializer instance: a shallow copy of a plain field, and of a list
    or dict field with a copy of its child (bound already: only its parent changes); a
    nested serializer deep-copied, as DRF copies every field."""
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    clone = copy.copy(field)
    child = getattr(field, "child", None)
    if child is not None:
        clone.child = _copied(child)
        clone.child.parent = clone
    return clone


class CheaplyCopiedSerializer(serializers.Serializer):
    """A serializer whose instances get shallow copies of its declared fields.

    DRF deep-copies every declared field for every serializer instance, re-running each
    field's ``__init__`` on deep copies of its arguments (choice lists with translated
    labels included); for a logged episode that was most of the cost of validating it.
    A field is not changed after ``__init__`` here: binding sets attributes on the copy's
    own ``__dict__``, and its choices, validators and messages are only read.
    """

    def get_fields(self):
        return {name: _copied(field) for name, field in self._declared_fields.items()}


class ReliefSerializer(CheaplyCopiedSerializer):
    measure = serializers.ChoiceField(choices=ReliefMeasure.choices)
    effect = serializers.ChoiceField(choices=ReliefEffect.choices)


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
