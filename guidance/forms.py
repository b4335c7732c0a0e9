from django import forms
from django.utils.translation import gettext_lazy as _

from guidance.conditions import TRENDS
from guidance.facts import Facts, ReliefFact, sample_facts
from guidance.vocabulary import Descriptor, Location, Mobility, RedFlag, ReliefEffect, ReliefMeasure, Trigger

TREND_CHOICES = [
    ("unknown", _("Not enough history")),
    ("improving", _("Improving")),
    ("stable", _("Stable")),
    ("worsening", _("Worsening")),
]
assert {value for value, _label in TREND_CHOICES} == set(TRENDS)


def _multi(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class PreviewForm(forms.Form):
    """A sample episode and history, to see the guidance it would get."""

    severity = forms.IntegerField(label=_("Severity (0-10)"), min_value=0, max_value=10, initial=7)
    ongoing = forms.BooleanField(label=_("The spasm is still going on"), required=False, initial=True)
    minutes_since_start = forms.IntegerField(label=_("Minutes since it started"), min_value=0, initial=10)
    mobility = forms.ChoiceField(label=_("Mobility"), choices=[("", "—"), *Mobility.choices], required=False)
    locations = _multi(_("Where it hurts"), Location.choices)
    descriptors = _multi(_("How it feels"), Descriptor.choices)
    triggers = _multi(_("What set it off"), Trigger.choices)
    red_flags = _multi(_("Warning signs"), RedFlag.choices)
    relief_tried = _multi(_("Relief tried in this episode"), ReliefMeasure.choices)
    episodes_last_7d = forms.IntegerField(label=_("Episodes in the last 7 days"), min_value=0, initial=1)
    episodes_last_30d = forms.IntegerField(label=_("Episodes in the last 30 days"), min_value=0, initial=1)
    trend = forms.ChoiceField(label=_("Severity trend"), choices=TREND_CHOICES, initial="unknown")
    weeks_since_first_episode = forms.IntegerField(
        label=_("Weeks since the first episode"), min_value=0, initial=0
    )
    helpful_relief = _multi(_("Relief that helped before"), ReliefMeasure.choices)
    unhelpful_relief = _multi(_("Relief that made it worse before"), ReliefMeasure.choices)
    language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("es", "Español")])
    use_published = forms.BooleanField(
        label=_("Show the published content instead of the working copy"), required=False
    )

    def facts(self) -> Facts:
        data = self.cleaned_data
        history_fields = (
            "episodes_last_7d",
            "episodes_last_30d",
            "trend",
            "weeks_since_first_episode",
            "helpful_relief",
            "unhelpful_relief",
        )
        return sample_facts(
            **{name: data[name] for name in ("severity", "ongoing", "minutes_since_start", "mobility")},
            **{name: data[name] for name in ("locations", "descriptors", "triggers", "red_flags")},
            relief=tuple(ReliefFact(m, ReliefEffect.SOME) for m in data["relief_tried"]),
            history={name: data[name] for name in history_fields},
        )


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed (optional)"), max_length=200, required=False)
