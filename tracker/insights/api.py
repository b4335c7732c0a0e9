"""``GET /api/insights/``: the patient's insights with their intervals, as data and as
sentences in the request's language. The clinician's copy reuses ``insights_to_dict``."""

import math

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.insights import stats
from tracker.insights.report import Insights, insights_for


def _interval(interval: stats.Interval | None) -> list[float | None] | None:
    if interval is None:
        return None
    return [_number(interval.low), _number(interval.high)]


def _number(value: float) -> float | None:
    """JSON has no infinity: an unbounded end is null."""
    return None if math.isinf(value) else round(value, 4)


def insights_to_dict(insights: Insights) -> dict:
    trend = insights.trend
    return {
        "relief": [
            {
                "measure": item.measure,
                "label": item.label,
                "tried": item.helped.trials,
                "helped": item.helped.successes,
                "helped_share": _number(item.helped.estimate),
                "helped_interval": _interval(item.helped.interval),
                "worse": item.worse.successes,
                "worse_share": _number(item.worse.estimate),
                "worse_interval": _interval(item.worse.interval),
                "sentences": item.sentences,
            }
            for item in insights.relief
        ],
        "relief_too_few_tries": insights.relief_too_few,
        "factors_tested": insights.factors_tested,
        "factors": [
            {
                "factor": item.key,
                "label": item.name,
                "enough_data": item.ratio is not None,
                "more_checkins_needed": item.more_checkins_needed,
                "days_with": item.counts.exposed_days,
                "spasm_days_with": item.counts.exposed_spasm_days,
                "days_without": item.counts.other_days,
                "spasm_days_without": item.counts.other_spasm_days,
                "risk_ratio": _number(item.ratio.ratio) if item.ratio else None,
                "interval": _interval(item.ratio.interval) if item.ratio else None,
                "adjusted_interval": _interval(item.adjusted_interval),
                "clear_link": item.clear,
                "sentences": item.sentences,
            }
            for item in insights.factors
        ],
        "triggers": [
            {"trigger": slug, "label": label, "count": count} for slug, label, count in insights.triggers
        ],
        "trend": {
            "recent_spasms": trend.ratio.recent_count if trend.ratio else None,
            "earlier_spasms": trend.ratio.earlier_count if trend.ratio else None,
            "rate_ratio": _number(trend.ratio.ratio) if trend.ratio else None,
            "interval": _interval(trend.ratio.interval) if trend.ratio else None,
            "tracking_days_needed": trend.tracking_days_needed,
            "peg_recent": _number(trend.peg_recent) if trend.peg_recent is not None else None,
            "peg_earlier": _number(trend.peg_earlier) if trend.peg_earlier is not None else None,
            "sentences": trend.sentences,
        },
        "patterns": [
            {
                "pattern": pattern.key,
                "slots": [
                    {"label": label, "count": count}
                    for label, count in zip(pattern.labels, pattern.counts, strict=True)
                ],
                "p_value": _number(pattern.test.p_value) if pattern.test else None,
                "uneven": pattern.test.uneven if pattern.test else None,
                "sentences": pattern.sentences,
            }
            for pattern in insights.patterns
        ],
        "methods": insights.notes,
    }


class IntervalField(serializers.ListField):
    child = serializers.FloatField(allow_null=True)


class ReliefInsightSerializer(serializers.Serializer):
    measure = serializers.CharField()
    label = serializers.CharField()
    tried = serializers.IntegerField()
    helped = serializers.IntegerField()
    helped_share = serializers.FloatField()
    helped_interval = IntervalField(help_text="95% Wilson interval")
    worse = serializers.IntegerField()
    worse_share = serializers.FloatField()
    worse_interval = IntervalField(help_text="95% Wilson interval")
    sentences = serializers.ListField(child=serializers.CharField())


class FactorInsightSerializer(serializers.Serializer):
    factor = serializers.ChoiceField(choices=["poor_sleep", "high_stress", "active", "long_sitting"])
    label = serializers.CharField()
    enough_data = serializers.BooleanField()
    more_checkins_needed = serializers.IntegerField()
    days_with = serializers.IntegerField()
    spasm_days_with = serializers.IntegerField()
    days_without = serializers.IntegerField()
    spasm_days_without = serializers.IntegerField()
    risk_ratio = serializers.FloatField(allow_null=True)
    interval = IntervalField(allow_null=True, help_text="95% interval (log method)")
    adjusted_interval = IntervalField(allow_null=True, help_text="Bonferroni-adjusted for factors_tested")
    clear_link = serializers.BooleanField()
    sentences = serializers.ListField(child=serializers.CharField())


class TriggerCountSerializer(serializers.Serializer):
    trigger = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TrendSerializer(serializers.Serializer):
    recent_spasms = serializers.IntegerField(allow_null=True, help_text="last 4 weeks")
    earlier_spasms = serializers.IntegerField(allow_null=True, help_text="the 4 weeks before")
    rate_ratio = serializers.FloatField(allow_null=True, help_text="null when unbounded or not computed")
    interval = IntervalField(allow_null=True, help_text="exact 95% interval (Poisson)")
    tracking_days_needed = serializers.IntegerField()
    peg_recent = serializers.FloatField(allow_null=True)
    peg_earlier = serializers.FloatField(allow_null=True)
    sentences = serializers.ListField(child=serializers.CharField())


class SlotSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class PatternSerializer(serializers.Serializer):
    pattern = serializers.ChoiceField(choices=["time_of_day", "weekday"])
    slots = SlotSerializer(many=True)
    p_value = serializers.FloatField(allow_null=True, help_text="chi-squared test against an even spread")
    uneven = serializers.BooleanField(allow_null=True)
    sentences = serializers.ListField(child=serializers.CharField())


class InsightsSerializer(serializers.Serializer):
    relief = ReliefInsightSerializer(many=True)
    relief_too_few_tries = serializers.ListField(child=serializers.CharField())
    factors_tested = serializers.IntegerField()
    factors = FactorInsightSerializer(many=True)
    triggers = TriggerCountSerializer(many=True)
    trend = TrendSerializer()
    patterns = PatternSerializer(many=True)
    methods = serializers.DictField(child=serializers.CharField())


class InsightsView(APIView):
    """Your insights: what helps, what comes before a spasm day, whether it is getting
    better, and when spasms happen, each with its 95% interval and how much data it rests on."""

    @extend_schema(responses=InsightsSerializer)
    def get(self, request):
        return Response(insights_to_dict(insights_for(patient=request.user)))
