"""Guidance content: self-care steps, doctor prompts and the rules that choose them.

Admins edit these rows (the working copy, versioned by django-reversion); patients see
only what was last published, a ``ContentRelease`` snapshot taken by ``content_publish``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guidance.vocabulary import Phase, Urgency


class Step(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    order = models.PositiveSmallIntegerField(_("order within the phase"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Markdown. Links and formatting only; scripts are removed.")
    )
    source = models.TextField(_("source passage"), help_text=_("The article passage this step comes from."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phase", "order", "key"]
        verbose_name = _("self-care step")
        verbose_name_plural = _("self-care steps")

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"


class DoctorPrompt(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    text = models.TextField(_("text"))
    source = models.TextField(_("source"), help_text=_("The article passage or the guideline it comes from."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("doctor prompt")
        verbose_name_plural = _("doctor prompts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urgency__in=Urgency.values), name="prompt_urgency_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.urgency})"


class Rule(models.Model):
    """When every condition holds, the rule yields its steps and prompts.

    ``conditions`` is a list of ``{"fact": ..., "op": ..., "value": ...}`` over the fixed
    catalogue in ``guidance.conditions``; the admin refuses anything outside it.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("Lower runs first."))
    active = models.BooleanField(_("active"), default=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    steps = models.ManyToManyField(Step, blank=True, related_name="rules", verbose_name=_("steps"))
    prompts = models.ManyToManyField(
        DoctorPrompt, blank=True, related_name="rules", verbose_name=_("doctor prompts")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from guidance.conditions import validate_conditions

        errors = validate_conditions(self.conditions)
        if errors:
            raise ValidationError({"conditions": errors})


class ContentRelease(models.Model):
    """A published snapshot of all guidance content: what patients see."""

    snapshot = models.JSONField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "id"
        verbose_name = _("published release")
        verbose_name_plural = _("published releases")

    def __str__(self) -> str:
        return f"#{self.pk} {self.published_at:%Y-%m-%d %H:%M}"
