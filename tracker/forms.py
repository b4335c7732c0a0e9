import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
from tracker.models import (
    END_BEFORE_START,
    EPISODE_SCALAR_FIELDS,
    EPISODE_TAG_FIELDS,
    NOTES_MAX_LENGTH,
    ends_before_it_starts,
    validate_day,
    validate_moment,
)
from tracker.summary import default_period

SEVERITY_ANCHORS = {
    0: _("No pain"),
    3: _("Mild"),
    5: _("Moderate"),
    7: _("Severe"),
    10: _("Worst imaginable"),
}


PEG_PAIN_ANCHORS = {0: _("No pain"), 10: _("As bad as you can imagine")}
PEG_INTERFERENCE_ANCHORS = {0: _("Does not interfere"), 10: _("Completely interferes")}


class TapScale(forms.RadioSelect):
    """A 0-10 scale as radio buttons, drawn like home's tap scale (tracker/_severity_scale.html,
    which templates/_field.html includes for this widget): no number box, no script needed."""

    def __init__(self, anchors: dict, attrs=None):
        super().__init__(
            {"class": "scale-radio", **(attrs or {})},
            choices=[(value, anchors.get(value, "")) for value in range(11)],
        )


def scale_field(label, anchors: dict = SEVERITY_ANCHORS, **kwargs) -> forms.IntegerField:
    """A 0-10 answer tapped on the scale; still an IntegerField, so its checks and messages stay."""
    return forms.IntegerField(label=label, min_value=0, max_value=10, widget=TapScale(anchors), **kwargs)


def severity_field(**kwargs) -> forms.IntegerField:
    return scale_field(
        _("How bad is the pain? (0 = no pain, 10 = worst imaginable)"),
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


NO_RED_FLAG = "none"


class RedFlagAnswerForm(forms.Form):
    """One tap on the warning-sign question: a sign, or "None of these"."""

    red_flag = forms.ChoiceField(
        choices=[*RedFlag.choices, (NO_RED_FLAG, _("None of these"))],
        error_messages={"required": _("Tap a warning sign, or None of these.")},
    )

    def red_flags(self) -> list[str]:
        answer = self.cleaned_data["red_flag"]
        return [] if answer == NO_RED_FLAG else [answer]


class EpisodeDetailsForm(forms.Form):
    """Everything about an episode; used to add details, edit, and log a past episode."""

    severity = severity_field()
    started_at = forms.DateTimeField(
        label=_("When did it start?"), widget=LOCAL_DATETIME, validators=[validate_moment]
    )
    ended_at = forms.DateTimeField(
        label=_("When did it end?"),
        required=False,
        widget=LOCAL_DATETIME,
        validators=[validate_moment],
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
        # The service checks this too; checking here shows every problem at once.
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

    def section_open(self, *names: str) -> bool:
        """A section of the grouped form starts open when one of its fields has a value or an error."""
        fields = [self[name] for name in names]
        return any(field.errors or field.value() not in (None, "", [], ()) for field in fields)

    @property
    def open_sections(self) -> dict[str, bool]:
        relief = [field.name for field in self.relief_fields]
        return {
            "feel": self.section_open("descriptors", "mobility"),
            "trigger": self.section_open("triggers"),
            "tried": self.section_open(*relief),
            "other": self.section_open("medications", "notes"),
        }

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


SKIP = ("", _("Skip"))


def factor_field(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[SKIP, *choices], required=False, initial="", widget=forms.RadioSelect
    )


def yes_no_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[SKIP, ("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DATE_INPUT, validators=[validate_day])
    had_spasm = forms.TypedChoiceField(
        label=_("Today"),
        choices=[("false", _("No spasm today")), ("true", _("I had back pain or a spasm today"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    worst_pain = scale_field(
        _("Worst pain today (0-10)"),
        required=False,
        help_text=_("Only if you had back pain or a spasm today."),
    )
    # The daily factors: optional, one tap each; "Skip" is chosen until another is tapped.
    sleep = factor_field(_("Sleep last night"), Sleep.choices)
    stress = factor_field(_("Stress today"), Stress.choices)
    active = yes_no_field(_("Physically active today"))
    long_sitting = yes_no_field(_("Sat for a long time today"))

    def factor_fields(self):
        return [self[name] for name in DAILY_FACTORS]

    def main_fields(self):
        return [field for field in self.visible_fields() if field.name not in DAILY_FACTORS]


class PegForm(forms.Form):
    """PEG (Krebs et al. 2009), asked about the past week."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_day])
    pain = scale_field(
        _(
            "What number best describes your pain on average in the past week? (0 = no pain, 10 = pain as bad as you can imagine)"
        ),
        PEG_PAIN_ANCHORS,
    )
    enjoyment = scale_field(
        _(
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life? (0 = does not interfere, 10 = completely interferes)"
        ),
        PEG_INTERFERENCE_ANCHORS,
    )
    activity = scale_field(
        _(
            "What number best describes how, during the past week, pain has interfered with your general activity? (0 = does not interfere, 10 = completely interferes)"
        ),
        PEG_INTERFERENCE_ANCHORS,
    )


class PeriodForm(forms.Form):
    """The one parser of a period in a query string: the pages' ``?start=&end=``, the API's
    ``?from=&to=`` (tracker.api). Days in the tracker's range, the end not before the start;
    an empty value is ignored (the default period applies)."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT, validators=[validate_day])
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT, validators=[validate_day])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end of the period must be after its start."))
        return cleaned


class HiddenMonthInput(forms.DateInput):
    input_type = "hidden"


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


def period_error(form: PeriodForm) -> HttpResponse:
    """A download has no form to show the error next to: a 400 that says what was wrong."""
    lines = [f"{field}: {message}" for field, messages in form.errors.items() for message in messages]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


class HistoryFilterForm(PeriodForm):
    # A list to pick from, not a number box to type into on a phone.
    min_severity = forms.IntegerField(
        label=_("Severity at least"),
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.Select(choices=[("", _("Any")), *((value, str(value)) for value in range(1, 11))]),
    )
    trigger = forms.ChoiceField(
        label=_("Trigger"), choices=[("", _("Any")), *Trigger.choices], required=False
    )
    # The calendar's month (``?month=2026-11``): its first day, in the same range.
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=HiddenMonthInput(format="%Y-%m"),
        validators=[validate_day],
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
    )
