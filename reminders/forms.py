from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.kinds import KINDS, TIMING_FIELDS
from reminders.models import HEAT_ICE_MINUTES, SNOOZE_CHOICES, WEEKDAY_LABELS, QuietHours, ReminderPlan

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReminderPlanForm(forms.ModelForm):
    """One plan's settings; the fields shown depend on its kind."""

    days = forms.MultipleChoiceField(
        label=_("Days"), choices=WEEKDAY_LABELS, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ReminderPlan
        fields = [
            "enabled",
            "local_time",
            "interval_minutes",
            "max_cycles",
            "delay_hours",
            "by_email",
            "in_app",
        ]
        widgets = {"local_time": TIME_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"plan-{kwargs['instance'].id}", **kwargs)
        shown = KINDS[self.instance.kind].form_fields
        if "days" in shown:
            self.initial.setdefault("days", list(self.instance.weekdays))
            self.fields["days"].required = True
            self.fields["days"].error_messages["required"] = _("Choose at least one day of the week.")
        if "interval_minutes" in shown:
            low, high = HEAT_ICE_MINUTES
            self.fields["interval_minutes"].help_text = _(
                "Between %(low)s and %(high)s minutes, as the article advises."
            ) % {"low": low, "high": high}
        for name in TIMING_FIELDS:
            if name not in shown:
                del self.fields[name]

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "days"}
        if "days" in self.fields:
            data["weekdays"] = "".join(sorted(self.cleaned_data["days"]))
        return data


class QuietHoursForm(forms.ModelForm):
    class Meta:
        model = QuietHours
        fields = ["enabled", "start", "end"]
        widgets = {"start": TIME_WIDGET, "end": TIME_WIDGET}


class SnoozeForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("Snooze for"),
        coerce=int,
        choices=SNOOZE_CHOICES,
    )
