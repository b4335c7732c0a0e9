import json

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.admin import VersionAdmin

from guidance.conditions import validate_conditions
from guidance.models import ContentRelease, DoctorPrompt, Rule, Step


class VersionedTranslationAdmin(VersionAdmin, TranslationAdmin):
    """Both languages side by side; every save is a version with who and when, revertible."""

    change_list_template = "admin/guidance/change_list.html"


@admin.register(Step)
class StepAdmin(VersionedTranslationAdmin):
    list_display = ["key", "title", "phase", "order", "source", "updated_at"]
    list_filter = ["phase"]
    search_fields = ["key", "title_en", "title_es"]


@admin.register(DoctorPrompt)
class DoctorPromptAdmin(VersionedTranslationAdmin):
    list_display = ["key", "urgency", "source", "updated_at"]
    list_filter = ["urgency"]
    search_fields = ["key", "text_en", "text_es"]


class ConditionsField(forms.JSONField):
    """Malformed JSON gets a message at the field, like unknown facts do."""

    default_error_messages = {"invalid": _("This is not valid JSON. Example: %(example)s")}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"example": '[{"fact": "episode.severity", "op": "gte", "value": 7}]'},
            ) from error


class RuleForm(forms.ModelForm):
    conditions = ConditionsField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_('A list such as [{"fact": "episode.severity", "op": "gte", "value": 7}]. All must hold.'),
    )

    class Meta:
        model = Rule
        fields = ["name", "priority", "active", "conditions", "steps", "prompts"]

    def clean_conditions(self):
        conditions = self.cleaned_data.get("conditions")
        conditions = [] if conditions in (None, "") else conditions
        errors = validate_conditions(conditions)
        if errors:
            raise forms.ValidationError(errors)
        return conditions


@admin.register(Rule)
class RuleAdmin(VersionAdmin):
    form = RuleForm
    change_list_template = "admin/guidance/change_list.html"
    list_display = ["name", "priority", "active", "conditions_text", "updated_at"]
    list_filter = ["active"]
    list_editable = ["active"]
    filter_horizontal = ["steps", "prompts"]
    search_fields = ["name"]

    @admin.display(description=_("conditions"))
    def conditions_text(self, rule: Rule) -> str:
        return json.dumps(rule.conditions)[:120]


@admin.register(ContentRelease)
class ContentReleaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "published_by", "note"]
    readonly_fields = ["published_at", "published_by", "note", "snapshot"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
