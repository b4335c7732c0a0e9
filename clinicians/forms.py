from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clinicians.models import Organisation
from clinicians.selectors import (
    FLAG_LABELS,
    FLAG_ORDER,
    REVIEW_DUE,
    SORT_ACTIVITY,
    SORT_ATTENTION,
    memberships_for,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class InvitePatientForm(forms.Form):
    email = forms.EmailField(label=_("Patient's email address"))
    organisation = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Only me"),
        help_text=_("Sharing with your organisation lets every one of its members see the record."),
    )

    def __init__(self, *args, clinician: User, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(
            pk__in=memberships_for(clinician=clinician).values("organisation_id")
        )
        self.fields["organisation"].queryset = organisations
        if not organisations.exists():  # nothing to choose: no field
            del self.fields["organisation"]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Private note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DashboardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    flag = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everyone")), *((key, FLAG_LABELS[key]) for key in FLAG_ORDER)],
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("Any time")), (REVIEW_DUE, _("Not reviewed in 30 days"))],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(SORT_ATTENTION, _("Most urgent first")), (SORT_ACTIVITY, _("Most recent first"))],
    )

    def filters(self) -> dict[str, str]:
        """The dashboard selectors' keyword arguments; none when not valid."""
        if not (self.is_bound and self.is_valid()):
            return {}
        data = self.cleaned_data
        return {"search": data["q"], "flag": data["flag"], "review": data["review"], "sort": data["sort"]}
