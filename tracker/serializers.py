"""The patient API's serializers and the ``?from=&to=`` period, shared with the clinician API."""

import datetime

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from guidance.serializers import CheaplyCopiedSerializer, ReliefSerializer, SlugListField
from tracker.choices import DAILY_FACTORS, Descriptor, Location, Mobility, RedFlag, Trigger
from tracker.forms import PeriodForm
from tracker.models import NOTES_MAX_LENGTH, DailyCheckIn, Episode, PegCheckIn, validate_day, validate_moment
from tracker.summary import VisitSummary, default_period, visit_summary


def slug_list(choices):
    return SlugListField(choices, required=False, max_length=20)


class RedFlagAnswerSerializer(serializers.Serializer):
    red_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=RedFlag.choices),
        allow_empty=True,
        max_length=len(RedFlag.values),
        help_text="The warning signs the patient has; an empty list answers 'None of these'.",
    )


class EpisodeSerializer(CheaplyCopiedSerializer):
    id = serializers.IntegerField(read_only=True)
    severity = serializers.IntegerField(min_value=0, max_value=10)
    started_at = serializers.DateTimeField(required=False, validators=[validate_moment])
    ended_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_moment])
    ongoing = serializers.BooleanField(source="is_ongoing", read_only=True)
    locations = slug_list(Location.choices)
    descriptors = slug_list(Descriptor.choices)
    triggers = slug_list(Trigger.choices)
    red_flags = slug_list(RedFlag.choices)
    relief = ReliefSerializer(many=True, required=False)
    medications = serializers.CharField(required=False, allow_blank=True, max_length=500)
    mobility = serializers.ChoiceField(choices=Mobility.choices, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    red_flags_checked_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=(
            "When the patient last answered the warning-sign question (`red_flags` holds the signs; "
            "an empty list with a time means they answered none). Null: not asked yet. Set by "
            "POST /api/episodes/{id}/red-flags/, or by sending any red flag."
        ),
    )
    worse_reported_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the patient answered the next-day follow-up with 'worse'; the question is asked again.",
    )
    needs_red_flag_check = serializers.BooleanField(
        read_only=True, help_text="True while the warning-sign question waits for an answer."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, episode: Episode) -> dict:
        data = super().to_representation(episode)
        data["relief"] = [{"measure": r.measure, "effect": r.effect} for r in episode.relief.all()]
        return data


class EpisodeEndSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField(required=False, validators=[validate_moment])


# The 409 of a second ongoing episode (services.OngoingEpisodeExists, backspasm.drf).
ONGOING_CONFLICT = inline_serializer(
    "OngoingEpisodeConflict",
    {"detail": serializers.CharField(), "ongoing_episode": serializers.IntegerField()},
)


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyCheckIn
        fields = ["id", "date", "had_spasm", "worst_pain", *DAILY_FACTORS]
        extra_kwargs = {
            "worst_pain": {"min_value": 0, "max_value": 10},
            "date": {"validators": [validate_day]},
        }
        validators: list = []  # one per day: a second post corrects the first


class PegSerializer(serializers.ModelSerializer):
    score = serializers.FloatField(read_only=True)
    date = serializers.DateField(required=False, validators=[validate_day])

    class Meta:
        model = PegCheckIn
        fields = ["id", "date", "pain", "enjoyment", "activity", "score"]
        extra_kwargs = {name: {"min_value": 0, "max_value": 10} for name in ("pain", "enjoyment", "activity")}
        validators: list = []


RANGE_PARAMETERS = [
    OpenApiParameter("from", datetime.date, description="First day (inclusive), in your time zone"),
    OpenApiParameter("to", datetime.date, description="Last day (inclusive), in your time zone"),
]


def period_from_query(request) -> tuple[datetime.date | None, datetime.date | None]:
    """``?from=&to=`` validated by the same form as the pages; errors name the parameters."""
    form = PeriodForm({"start": request.query_params.get("from"), "end": request.query_params.get("to")})
    if not form.is_valid():
        names = {"start": "from", "end": "to"}
        raise ValidationError({names.get(field, field): messages for field, messages in form.errors.items()})
    return form.cleaned_data.get("start"), form.cleaned_data.get("end")


def summary_for_range(request, *, patient) -> dict:
    """The summary of ``?from=&to=`` (default: the patient's last 90 days), as data."""
    start, end = period_from_query(request)
    default_start, default_end = default_period(patient=patient)
    return summary_to_dict(
        visit_summary(patient=patient, start=start or default_start, end=end or default_end)
    )


def summary_to_dict(summary: VisitSummary) -> dict:
    return {
        "from": summary.start,
        "to": summary.end,
        "headline": summary.headline,
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
        "red_flags": [
            {"red_flag": f.value, "count": f.count, "last": f.last, "days": f.days} for f in summary.red_flags
        ],
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
