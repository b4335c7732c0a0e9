import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tracker.choices import Descriptor, Location, Mobility, RedFlag, ReliefEffect, ReliefMeasure, Trigger
from tracker.models import (
    END_BEFORE_START,
    EPISODE_SCALAR_FIELDS,
    EPISODE_TAG_FIELDS,
    FUTURE_TOLERANCE,
    NOTES_MAX_LENGTH,
    ends_before_it_starts,
)
from tracker.selectors import default_period

SEVERITY_ANCHORS = {
    0: _("No pain"),
    3: _("Mild"),
    5: _("Moderate"),
    7: _("Severe"),
    10: _("Worst imaginable"),
}


def severity_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("How bad is the pain? (0 = no pain, 10 = worst imaginable)"),
        min_value=0,
        max_value=10,
        error_messages={
            "required": _("Choose how bad the pain is, from 0 to 10."),
            "invalid": _("Severity must be a whole number from 0 to 10."),
        },
        **kwargs,
    )


def checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field errors next to the form's fields; the rest at the top."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class QuickLogForm(forms.Form):
    severity = severity_field()


class EpisodeDetailsForm(forms.Form):
    """Everything about an episode; used to add details, edit, and log a past episode."""

    severity = severity_field()
    started_at = forms.DateTimeField(label=_("When did it start?"), widget=LOCAL_DATETIME)
    ended_at = forms.DateTimeField(
        label=_("When did it end?"),
        required=False,
        widget=LOCAL_DATETIME,
        help_text=_("Leave empty if it is still going on."),
    )
    locations = checkboxes(_("Where does it hurt?"), Location.choices, _("Tap every area that hurts."))
    descriptors = checkboxes(_("How does it feel?"), Descriptor.choices)
    triggers = checkboxes(_("What set it off?"), Trigger.choices)
    mobility = forms.ChoiceField(
        label=_("Can you move?"),
        choices=[("", _("Not sure")), *Mobility.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    red_flags = checkboxes(
        _("Do you have any of these?"),
        RedFlag.choices,
        _("These are warning signs. If you tick one, we will tell you where to get care."),
    )
    medications = forms.CharField(label=_("Medicines taken"), max_length=500, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 5,000 characters."),
    )

    RELIEF_PREFIX = "relief_"

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_at"), cleaned.get("ended_at")
        # The service checks these too; checking here shows every problem at once.
        if started and started > timezone.now() + FUTURE_TOLERANCE:
            self.add_error("started_at", _("The start can't be in the future."))
        if ends_before_it_starts(started, ended):
            self.add_error("ended_at", END_BEFORE_START)
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        effect_choices = [("", _("Not tried")), *ReliefEffect.choices]
        for measure, label in ReliefMeasure.choices:
            self.fields[self.RELIEF_PREFIX + measure] = forms.ChoiceField(
                label=label, choices=effect_choices, required=False
            )

    @property
    def relief_fields(self):
        return [self[name] for name in self.fields if name.startswith(self.RELIEF_PREFIX)]

    @classmethod
    def initial_for(cls, episode) -> dict:
        zone = timezone.get_current_timezone()
        initial = {name: getattr(episode, name) for name in (*EPISODE_SCALAR_FIELDS, *EPISODE_TAG_FIELDS)}
        initial["started_at"] = episode.started_at.astimezone(zone).replace(
            tzinfo=None, second=0, microsecond=0
        )
        initial["ended_at"] = (
            episode.ended_at.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
            if episode.ended_at
            else None
        )
        for relief in episode.relief.all():
            initial[cls.RELIEF_PREFIX + relief.measure] = relief.effect
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        relief = [
            {"measure": name.removeprefix(self.RELIEF_PREFIX), "effect": data.pop(name)}
            for name in list(data)
            if name.startswith(self.RELIEF_PREFIX) and data.get(name)
        ]
        for name in [n for n in data if n.startswith(self.RELIEF_PREFIX)]:
            data.pop(name)
        data["relief"] = relief
        return data


class PastEpisodeForm(EpisodeDetailsForm):
    duration_minutes = forms.IntegerField(
        label=_("How long did it last? (minutes)"),
        min_value=1,
        max_value=60 * 24 * 14,
        required=False,
        help_text=_("Or give the end time below."),
    )

    field_order = ["started_at", "duration_minutes", "ended_at", "severity"]

    def clean(self):
        cleaned = super().clean()
        started, minutes = cleaned.get("started_at"), cleaned.get("duration_minutes")
        if started and minutes and not cleaned.get("ended_at"):
            cleaned["ended_at"] = started + datetime.timedelta(minutes=minutes)
        if started and not cleaned.get("ended_at") and not minutes:
            self.add_error("duration_minutes", _("Say how long it lasted, or when it ended."))
        return cleaned

    def service_fields(self) -> dict:
        data = super().service_fields()
        data.pop("duration_minutes", None)
        return data


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    had_spasm = forms.TypedChoiceField(
        label=_("Today"),
        choices=[("false", _("No spasm today")), ("true", _("I had back pain or a spasm today"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    worst_pain = forms.IntegerField(
        label=_("Worst pain today (0-10)"), min_value=0, max_value=10, required=False
    )


class PegForm(forms.Form):
    """PEG (Krebs et al. 2009), asked about the past week."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    pain = forms.IntegerField(
        label=_(
            "What number best describes your pain on average in the past week? (0 = no pain, 10 = pain as bad as you can imagine)"
        ),
        min_value=0,
        max_value=10,
    )
    enjoyment = forms.IntegerField(
        label=_(
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life? (0 = does not interfere, 10 = completely interferes)"
        ),
        min_value=0,
        max_value=10,
    )
    activity = forms.IntegerField(
        label=_(
            "What number best describes how, during the past week, pain has interfered with your general activity? (0 = does not interfere, 10 = completely interferes)"
        ),
        min_value=0,
        max_value=10,
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end of the period must be after its start."))
        return cleaned


def chosen_period(
    data, *, patient: User, default_days: int, form_class: type[PeriodForm] = PeriodForm
) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period a page's ``?start=&end=`` form chose, else the patient's last default_days
    (in their time zone). Shared by the patient's pages and a clinician's view of them."""
    form = form_class(data or None)
    start, end = default_period(patient=patient, days=default_days)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    return form, start, end


class HistoryFilterForm(PeriodForm):
    min_severity = forms.IntegerField(label=_("Severity at least"), min_value=0, max_value=10, required=False)
    trigger = forms.ChoiceField(
        label=_("Trigger"), choices=[("", _("Any")), *Trigger.choices], required=False
    )
