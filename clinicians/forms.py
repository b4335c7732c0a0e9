from django import forms
from django.utils.translation import gettext_lazy as _

from clinicians.selectors import FLAG_LABELS, FLAG_ORDER


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
        choices=[("", _("Everyone")), *((key, FLAG_LABELS[key]) for key in FLAG_ORDER)],
    )

    def filters(self) -> dict[str, str]:
        """The dashboard selectors' keyword arguments (``search``, ``flag``); none when not valid."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {"search": self.cleaned_data["q"], "flag": self.cleaned_data["flag"]}
