import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HEAT_ICE_MINUTES = (15, 20)
# How long a notification can be snoozed, in minutes, with the labels the page offers.
SNOOZE_CHOICES = [(15, _("15 minutes")), (60, _("1 hour")), (180, _("3 hours"))]
SNOOZE_MINUTES = tuple(minutes for minutes, _label in SNOOZE_CHOICES)
WEEKDAY_LABELS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


def validate_weekdays(value: str) -> None:
    if not value or any(day not in "0123456" for day in value) or len(set(value)) != len(value):
        raise ValidationError(_("Choose at least one day of the week."))


class ReminderPlan(models.Model):
    """When and how one user is reminded of one thing; ``next_due_at`` is the next occurrence (UTC)."""

    class Kind(models.TextChoices):
        DAILY_LOG = "daily_log", _("Daily logging reminder")
        HEAT_ICE = "heat_ice", _("Heat and ice during a spasm")
        FOLLOW_UP = "follow_up", _("Follow-up after a flare-up")
        WEEKLY_PEG = "weekly_peg", _("Weekly check-in")
        NO_IMPROVEMENT = "no_improvement", _("No improvement after four weeks")
        CLINICIAN_DIGEST = "clinician_digest", _("Daily digest of patients who need attention")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_plans",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    enabled = models.BooleanField(_("on"), default=True)
    local_time = models.TimeField(_("time of day"), default=datetime.time(20, 0))
    weekdays = models.CharField(
        _("days of the week"), max_length=7, default="0123456", validators=[validate_weekdays]
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("minutes between heat and ice"),
        default=20,
        validators=[MinValueValidator(HEAT_ICE_MINUTES[0]), MaxValueValidator(HEAT_ICE_MINUTES[1])],
    )
    max_cycles = models.PositiveSmallIntegerField(
        _("at most this many switches"), default=6, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    delay_hours = models.PositiveSmallIntegerField(
        _("hours after the flare-up ends"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    by_email = models.BooleanField(_("by email"), default=True)
    in_app = models.BooleanField(_("in the app"), default=True)
    # The episode a heat/ice cycle or a follow-up is about, and how many switches were sent.
    episode = models.ForeignKey(
        "tracker.Episode", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    cycles_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("reminder plan")
        verbose_name_plural = _("reminder plans")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_plan_one_per_kind"),
            models.CheckConstraint(
                condition=Q(
                    interval_minutes__gte=HEAT_ICE_MINUTES[0], interval_minutes__lte=HEAT_ICE_MINUTES[1]
                ),
                name="reminder_plan_heat_ice_15_20",
            ),
        ]
        indexes = [
            models.Index(fields=["next_due_at"], condition=Q(enabled=True), name="reminder_plan_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user}"

    @property
    def weekday_list(self) -> list[str]:
        return sorted(self.weekdays)


class QuietHours(models.Model):
    """No reminder interrupts these local hours: time-bound ones are skipped, the rest wait."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours", verbose_name=_("user")
    )
    enabled = models.BooleanField(_("quiet hours on"), default=True)
    start = models.TimeField(_("from"), default=datetime.time(22, 0))
    end = models.TimeField(_("until"), default=datetime.time(7, 0))

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class Delivery(models.Model):
    """One reminder due at one time: created once per (plan, due time), sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    class Response(models.TextChoices):
        BETTER = "better", _("Better")
        SAME = "same", _("About the same")
        WORSE = "worse", _("Worse")

    plan = models.ForeignKey(ReminderPlan, on_delete=models.CASCADE, related_name="deliveries")
    due_at = models.DateTimeField(_("due at"))
    episode = models.ForeignKey(
        "tracker.Episode", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cycle = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    emailed = models.BooleanField(_("emailed"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_at"], name="delivery_once_per_plan_and_time"),
        ]
        indexes = [
            # The queue reads pending rows in (next_attempt_at, id) order, a batch at a time.
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(status="pending"), name="delivery_pending"
            ),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="delivery_sending"),
            models.Index(fields=["claim"], condition=Q(claim__isnull=False), name="delivery_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} @ {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app reminder: shown under the bell until read; a snoozed one comes back later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="notification")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderPlan.Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title
