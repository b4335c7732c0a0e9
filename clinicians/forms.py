from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class InvitePatientForm(forms.Form):
    email = forms.EmailField(label=_("Patient's email address"))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Private note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DashboardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    flag = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everyone")),
            ("red_flag", _("Warning sign in the last 30 days")),
            ("worsening", _("Getting worse")),
            ("frequent", _("4 or more episodes in 30 days")),
            ("chronic", _("Chronic (12 weeks or more)")),
            ("new", _("New episodes since you last looked")),
        ],
    )
