import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.choices import (
    LEG_LOCATIONS,
    TAG_CHOICES,
    Mobility,
    ReliefEffect,
    ReliefMeasure,
    Sleep,
    Stress,
    TagKind,
)

NOTES_MAX_LENGTH = 5000
SEVERITY_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
END_BEFORE_START = _("The end must be after the start.")
# An episode's fields as the patient gives them, for the services, the forms and the exports:
# its own columns, and its tags (``EpisodeTag`` rows) by kind; relief is ``ReliefTried``.
EPISODE_SCALAR_FIELDS = ("severity", "started_at", "ended_at", "mobility", "medications", "notes")
EPISODE_TAG_FIELDS = {
    "locations": TagKind.LOCATION,
    "descriptors": TagKind.DESCRIPTOR,
    "triggers": TagKind.TRIGGER,
    "red_flags": TagKind.RED_FLAG,
}


def ends_before_it_starts(started_at: datetime.datetime | None, ended_at: datetime.datetime | None) -> bool:
    """The end-after-start rule, for the model, the forms and ``services.episode_end``."""
    return bool(started_at and ended_at and ended_at < started_at)


# The one range every date and time a patient gives must fall in (pages and API alike):
# nothing before 1900, nothing more than a clock's drift in the future. Outside it, a
# time zone conversion or a day's arithmetic can leave the years Python can represent.
EARLIEST_DAY = datetime.date(1900, 1, 1)
EARLIEST_MOMENT = datetime.datetime.combine(EARLIEST_DAY, datetime.time.min, tzinfo=datetime.UTC)
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def latest_moment() -> datetime.datetime:
    return timezone.now() + FUTURE_TOLERANCE


def latest_day() -> datetime.date:
    """The last day allowed: tomorrow, as somewhere on Earth it already is."""
    return timezone.localdate(latest_moment()) + datetime.timedelta(days=1)


def validate_moment(value: datetime.datetime) -> None:
    """A date and time in the range the tracker accepts (see EARLIEST_MOMENT)."""
    if value < EARLIEST_MOMENT:
        raise ValidationError(_("Give a date from 1900 on."), code="too_early")
    if value > latest_moment():
        raise ValidationError(_("This can't be in the future."), code="future")


def validate_day(value: datetime.date) -> None:
    """A day in the range the tracker accepts (see EARLIEST_DAY)."""
    if value < EARLIEST_DAY:
        raise ValidationError(_("Give a date from 1900 on."), code="too_early")
    if value > latest_day():
        raise ValidationError(_("The date can't be in the future."), code="future")


# From this severity on, the warning-sign question stays on the episode page until answered.
SEVERE_FROM = 7


class Episode(models.Model):
    """One back-spasm flare-up: ongoing while ``ended_at`` is empty."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes", verbose_name=_("patient")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now, validators=[validate_moment])
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, validators=[validate_moment])
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        validators=SEVERITY_VALIDATORS,
        help_text=_("0 is no pain, 10 is the worst pain you can imagine."),
    )
    mobility = models.CharField(_("mobility"), max_length=20, choices=Mobility.choices, blank=True)
    medications = models.CharField(_("medications taken"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    # When the patient last answered "Do you have any of these?" (the signs are its red-flag
    # tags; none is an answer too), and when they said at the follow-up that it got worse.
    red_flags_checked_at = models.DateTimeField(_("warning signs checked at"), null=True, blank=True)
    worse_reported_at = models.DateTimeField(_("reported worse at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        indexes = [
            models.Index(fields=["patient", "-started_at"], name="episode_patient_started"),
            # The clinician's "new since you looked": one probe per patient.
            models.Index(fields=["patient", "created_at"], name="episode_patient_created"),
            # "Reported worse in the last 30 days": only the few episodes that were.
            models.Index(
                fields=["patient", "worse_reported_at"],
                name="episode_patient_worse",
                condition=Q(worse_reported_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=10), name="episode_severity_0_10"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="episode_ends_after_start",
            ),
            # A double tap or a retried request must not start a second flare-up.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(ended_at__isnull=True), name="episode_one_ongoing_per_patient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.severity}/10)"

    def clean(self) -> None:
        super().clean()
        # The range of each date is the fields' validate_moment.
        if ends_before_it_starts(self.started_at, self.ended_at):
            raise ValidationError({"ended_at": END_BEFORE_START})

    @property
    def is_ongoing(self) -> bool:
        return self.ended_at is None

    @property
    def needs_red_flag_check(self) -> bool:
        """Never asked, or the patient said it got worse since they last answered."""
        if self.red_flags_checked_at is None:
            return True
        return self.worse_reported_at is not None and self.worse_reported_at > self.red_flags_checked_at

    @property
    def red_flag_check_required(self) -> bool:
        """Severe, reaching the leg, or reported worse: the question stays up until answered."""
        return (
            self.severity >= SEVERE_FROM
            or bool(set(self.locations) & LEG_LOCATIONS)
            or self.worse_reported_at is not None
        )

    @property
    def duration(self):
        return (self.ended_at or timezone.now()) - self.started_at

    def tag_values(self, kind: str) -> list[str]:
        """Slugs of one kind, from prefetched ``tags`` when available."""
        return sorted(tag.value for tag in self.tags.all() if tag.kind == kind)

    @property
    def locations(self) -> list[str]:
        return self.tag_values(TagKind.LOCATION)

    @property
    def descriptors(self) -> list[str]:
        return self.tag_values(TagKind.DESCRIPTOR)

    @property
    def triggers(self) -> list[str]:
        return self.tag_values(TagKind.TRIGGER)

    @property
    def red_flags(self) -> list[str]:
        return self.tag_values(TagKind.RED_FLAG)


class EpisodeTag(models.Model):
    """A multi-valued fact of an episode (location, descriptor, trigger, red flag), one row each,
    so history statistics aggregate in SQL on SQLite and PostgreSQL alike."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "kind", "value"], name="episode_tag_unique"),
            models.CheckConstraint(
                condition=Q(
                    *[Q(kind=kind, value__in=choices.values) for kind, choices in TAG_CHOICES.items()],
                    _connector=Q.OR,
                ),
                name="episode_tag_known_value",
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="episode_tag_kind_value")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ReliefTried(models.Model):
    """A relief measure the patient tried during an episode, and how well it worked."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="relief")
    measure = models.CharField(_("measure"), max_length=30, choices=ReliefMeasure.choices)
    effect = models.CharField(_("effect"), max_length=10, choices=ReliefEffect.choices)

    class Meta:
        verbose_name = _("relief tried")
        verbose_name_plural = _("relief tried")
        constraints = [
            models.UniqueConstraint(fields=["episode", "measure"], name="relief_once_per_episode"),
            models.CheckConstraint(
                condition=Q(measure__in=ReliefMeasure.values), name="relief_known_measure"
            ),
            models.CheckConstraint(condition=Q(effect__in=ReliefEffect.values), name="relief_known_effect"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.effect}"


class DailyCheckIn(models.Model):
    """One a day, so spasm-free days count too."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(_("date"), validators=[validate_day])
    had_spasm = models.BooleanField(_("had a spasm"))
    worst_pain = models.PositiveSmallIntegerField(
        _("worst pain today"), null=True, blank=True, validators=SEVERITY_VALIDATORS
    )
    # Optional daily factors (empty or None when skipped), for the insights.
    sleep = models.CharField(_("sleep last night"), max_length=10, choices=Sleep.choices, blank=True)
    stress = models.CharField(_("stress today"), max_length=10, choices=Stress.choices, blank=True)
    active = models.BooleanField(_("physically active today"), null=True, blank=True)
    long_sitting = models.BooleanField(_("sat for a long time today"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="checkin_once_a_day"),
            models.CheckConstraint(
                condition=Q(worst_pain__isnull=True) | Q(worst_pain__gte=0, worst_pain__lte=10),
                name="checkin_worst_pain_0_10",
            ),
            models.CheckConstraint(condition=Q(sleep__in=["", *Sleep.values]), name="checkin_known_sleep"),
            models.CheckConstraint(condition=Q(stress__in=["", *Stress.values]), name="checkin_known_stress"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.worst_pain if self.had_spasm else '-'}"


class PegCheckIn(models.Model):
    """The weekly PEG scale (Krebs et al. 2009): pain, enjoyment of life, general activity."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peg_checkins"
    )
    date = models.DateField(_("date"), validators=[validate_day])
    pain = models.PositiveSmallIntegerField(_("average pain"), validators=SEVERITY_VALIDATORS)
    enjoyment = models.PositiveSmallIntegerField(
        _("interference with enjoyment of life"), validators=SEVERITY_VALIDATORS
    )
    activity = models.PositiveSmallIntegerField(
        _("interference with general activity"), validators=SEVERITY_VALIDATORS
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="peg_once_a_day"),
            models.CheckConstraint(
                condition=Q(pain__lte=10, enjoyment__lte=10, activity__lte=10), name="peg_items_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: PEG {self.score}"

    @property
    def score(self) -> float:
        return peg_score(self.pain, self.enjoyment, self.activity)


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    """The PEG score: the mean of the three items."""
    return round((pain + enjoyment + activity) / 3, 1)


class PatientFacts(models.Model):
    """What guidance needs from a patient's whole history, one row per patient, kept by
    ``tracker.patient_facts`` in the transaction that changes an episode, so logging reads
    one row instead of aggregating every episode the patient ever had."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    first_started_at = models.DateTimeField(null=True)
    latest_started_at = models.DateTimeField(null=True)
    # How many episodes start at ``latest_started_at`` (a tie means no single latest one).
    latest_count = models.PositiveIntegerField(default=0)
    # measure -> [times it helped, times it made things worse], over every episode.
    relief = models.JSONField(default=dict)
    # [start in microseconds since the epoch, severity] of the episodes in the
    # ``tracker.patient_facts.RECENT`` before the latest start, oldest first.
    recent = models.JSONField(default=list)
    # The latest start of an episode with a warning sign: the clinician's dashboard asks
    # "a warning sign in the last 30 days?" of this column instead of the episodes.
    red_flag_started_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"facts of patient {self.patient_id}"


class IdempotentAnswer(models.Model):
    """The answer a write gave to a request carrying an ``Idempotency-Key``: a repeat of the
    key gets it again and writes nothing. Stored in the write's transaction."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    endpoint = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
