"""Writes for the tracker. HTML views and the API call these, so they cannot disagree.

Each service validates with ``full_clean`` (a ``ValidationError`` keyed by field) and
writes in one transaction, so a failed edit leaves the stored episode as it was.
"""

import datetime
import functools
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.choices import TAG_CHOICES, ReliefEffect, ReliefMeasure, TagKind
from tracker.episode_insert import NOT_INSERTED, ONE_STATEMENT, insert_episode
from tracker.models import (
    END_BEFORE_START,
    EPISODE_SCALAR_FIELDS,
    EPISODE_TAG_FIELDS,
    DailyCheckIn,
    Episode,
    EpisodeTag,
    PegCheckIn,
    ReliefTried,
    ends_before_it_starts,
    validate_moment,
)
from tracker.patient_facts import COUNTED_FIELDS, history_before, patient_facts_refresh
from tracker.signals import episode_ended, episode_logged


class OngoingEpisodeExists(ValidationError):
    """A patient has at most one ongoing episode (a database constraint): this write would
    have started a second. ``episode_id`` is the one already going; its ``conflict`` makes
    the API answer 409 naming it (backspasm.drf), pages show the message at the end field."""

    def __init__(self, *, episode_id: int):
        super().__init__(
            {"ended_at": [_("An episode is already going on: end it first, or say when this one ended.")]}
        )
        self.episode_id = episode_id
        self.conflict = {"ongoing_episode": episode_id}


def _ongoing_episode_id(*, patient_id: int) -> int | None:
    return (
        Episode.objects.filter(patient_id=patient_id, ended_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def _one_ongoing(service: Callable[..., Episode]) -> Callable[..., Episode]:
    """Turn the one-ongoing constraint's IntegrityError (a double tap, a race) into
    OngoingEpisodeExists. Wraps the service's own transaction, so that has rolled back."""

    @functools.wraps(service)
    def wrapper(**kwargs) -> Episode:
        try:
            return service(**kwargs)
        except IntegrityError:
            if connection.needs_rollback:  # no savepoint to go back to: nothing can be read
                raise
            episode = kwargs.get("episode")
            patient_id = episode.patient_id if episode else kwargs["patient"].pk
            ongoing = _ongoing_episode_id(patient_id=patient_id)
            if ongoing is None or (episode and ongoing == episode.pk):
                raise
            if episode:
                episode.refresh_from_db()
            raise OngoingEpisodeExists(episode_id=ongoing) from None

    return wrapper


def _validate_children(*, tags: dict[str, Iterable[str]], relief: Iterable[dict] | None) -> None:
    errors: dict[str, list[str]] = {}
    for field, values in tags.items():
        known = TAG_CHOICES[EPISODE_TAG_FIELDS[field]].values
        unknown = sorted(set(values) - set(known))
        if unknown:
            errors[field] = [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]
    if relief is not None:
        measures = [item.get("measure") for item in relief]
        if any(m not in ReliefMeasure.values for m in measures) or any(
            item.get("effect") not in ReliefEffect.values for item in relief
        ):
            errors["relief"] = [_("Each relief needs a known measure and effect.")]
        elif len(measures) != len(set(measures)):
            errors["relief"] = [_("Each measure can be listed once.")]
    if errors:
        raise ValidationError(errors)


def _validate(*, episode: Episode, tags: dict[str, Iterable[str]], relief: list[dict] | None) -> None:
    """Every problem at once, keyed by field: the episode's own fields and its details."""
    errors: dict = {}
    try:
        # The patient is the signed-in user (or already stored): no need to query for it.
        # The check constraints repeat the field validators and clean(), and the database
        # still enforces them; validating them here cost a query and a savepoint each.
        episode.full_clean(exclude=["patient"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _validate_children(tags=tags, relief=relief)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _write_children(
    *, episode: Episode, tags: dict[str, Iterable[str]], relief: Iterable[dict] | None
) -> None:
    """Replace the given kinds of child rows of a stored episode."""
    kinds = [EPISODE_TAG_FIELDS[field] for field in tags]
    if kinds:
        episode.tags.filter(kind__in=kinds).delete()
    if relief is not None:
        episode.relief.all().delete()
    tag_rows = [
        EpisodeTag(episode=episode, kind=EPISODE_TAG_FIELDS[field], value=value)
        for field, values in tags.items()
        for value in sorted(set(values))
    ]
    relief_rows = [
        ReliefTried(episode=episode, measure=item["measure"], effect=item["effect"]) for item in relief or ()
    ]
    if tag_rows:
        EpisodeTag.objects.bulk_create(tag_rows)
    if relief_rows:
        ReliefTried.objects.bulk_create(relief_rows)


@_one_ongoing
def episode_create(
    *,
    patient: User,
    severity: int,
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
    locations: Iterable[str] = (),
    descriptors: Iterable[str] = (),
    triggers: Iterable[str] = (),
    red_flags: Iterable[str] = (),
    relief: Iterable[dict] = (),
    medications: str = "",
    mobility: str = "",
    notes: str = "",
) -> Episode:
    """Log a flare-up: severity is all it needs; the rest can come now or later."""
    episode = Episode(
        patient=patient,
        severity=severity,
        started_at=started_at or timezone.now(),
        ended_at=ended_at,
        medications=medications,
        mobility=mobility,
        notes=notes,
    )
    tags = {"locations": locations, "descriptors": descriptors, "triggers": triggers, "red_flags": red_flags}
    relief = list(relief)
    _validate(episode=episode, tags=tags, relief=relief)
    if red_flags:  # a warning sign reported is an answer to the question
        episode.red_flags_checked_at = timezone.now()
    tag_rows = [
        EpisodeTag(kind=EPISODE_TAG_FIELDS[field], value=value)
        for field, values in tags.items()
        for value in sorted(set(values))
    ]
    relief_rows = [ReliefTried(measure=item["measure"], effect=item["effect"]) for item in relief]
    # Validated: on PostgreSQL nothing below is expected to fail (a second ongoing episode is
    # not inserted rather than refused with an error), so no savepoint is needed; elsewhere
    # the refusal is an IntegrityError, undone by the savepoint and turned into
    # OngoingEpisodeExists by _one_ongoing.
    with transaction.atomic(savepoint=not ONE_STATEMENT):
        # One round trip on PostgreSQL: the rows, the facts row counting the episode, and
        # other apps' writes for it (episode_insert.COMPANION_CLAUSES: the heat/ice plan).
        facts = insert_episode(episode, tags=tag_rows, relief=relief_rows)
        if facts is not NOT_INSERTED:
            # Read by guidance.selectors.facts_for_episode: the answer's guidance needs no query.
            episode.history_facts = history_before(facts=facts, episode=episode)
            episode_logged.send(sender=Episode, episode=episode, companions_ran=ONE_STATEMENT)
    if facts is NOT_INSERTED:
        ongoing = _ongoing_episode_id(patient_id=patient.pk)
        if ongoing is None:  # it ended in between: a retry finds no conflict
            raise IntegrityError("episode_one_ongoing_per_patient")
        raise OngoingEpisodeExists(episode_id=ongoing)
    return episode


def episode_quick_log(*, patient: User, severity: int) -> tuple[Episode, bool]:
    """The one-tap log: starts an episode now, or, while one is going on, updates that one
    (its severity, if this is higher). Returns the episode and whether it is new."""
    for _attempt in range(2):
        try:
            return episode_create(patient=patient, severity=severity), True
        except OngoingEpisodeExists as conflict:
            with transaction.atomic():
                updated = Episode.objects.filter(pk=conflict.episode_id, ended_at__isnull=True).update(
                    severity=Greatest(F("severity"), severity), updated_at=timezone.now()
                )
                if updated:  # its severity is one the facts row counts
                    patient_facts_refresh(patient_id=patient.pk)
            if updated:
                return Episode.objects.get(pk=conflict.episode_id), False
            # It ended in between: start a new one after all.
    return episode_create(patient=patient, severity=severity), True


@_one_ongoing
@transaction.atomic
def episode_update(*, episode: Episode, **changes) -> Episode:
    """Change an episode's details; only the fields given change. All or nothing."""
    unknown = set(changes) - set(EPISODE_SCALAR_FIELDS) - set(EPISODE_TAG_FIELDS) - {"relief"}
    if unknown:
        raise TypeError(f"episode_update got unexpected fields: {sorted(unknown)}")
    was_ongoing = episode.is_ongoing
    for field in EPISODE_SCALAR_FIELDS:
        if field in changes:
            setattr(episode, field, changes[field])
    tags = {field: changes[field] for field in EPISODE_TAG_FIELDS if field in changes}
    relief = list(changes["relief"]) if "relief" in changes else None
    try:
        _validate(episode=episode, tags=tags, relief=relief)
    except ValidationError:
        episode.refresh_from_db()  # the caller's instance shows what is stored, not the rejected edit
        raise
    if tags.get("red_flags"):
        episode.red_flags_checked_at = timezone.now()
    episode.save()
    _write_children(episode=episode, tags=tags, relief=relief)
    if any(field in changes for field in COUNTED_FIELDS):
        patient_facts_refresh(patient_id=episode.patient_id)
    if was_ongoing and not episode.is_ongoing:
        episode_ended.send(sender=Episode, episode=episode)
    return episode


@transaction.atomic
def episode_end(*, episode: Episode, ended_at: datetime.datetime | None = None) -> Episode:
    """End an ongoing episode (now by default). Ending it twice changes nothing.

    An end given outside the tracker's date range or before the start is refused. "Now"
    before a start a few minutes ahead (the model allows FUTURE_TOLERANCE for clock skew)
    ends it at its start.
    """
    if ended_at is None:
        ended_at = timezone.now()
    else:
        _validate_end(episode=episode, ended_at=ended_at)
    claimed = Episode.objects.filter(pk=episode.pk, ended_at__isnull=True).update(
        ended_at=max(ended_at, episode.started_at), updated_at=timezone.now()
    )
    episode.refresh_from_db()
    if claimed == 1:
        episode_ended.send(sender=Episode, episode=episode)
    return episode


@transaction.atomic
def episode_red_flags_record(*, episode: Episode, red_flags: Iterable[str]) -> Episode:
    """The patient's answer to "Do you have any of these?", with the time they gave it.

    The signs chosen are added to the episode; an empty answer ("None of these") is an
    answer too. A sign already recorded stays: only the details form takes one away, so a
    hurried tap can never clear a warning sign.
    """
    red_flags = set(red_flags)
    _validate_children(tags={"red_flags": red_flags}, relief=None)
    recorded = set(episode.tags.filter(kind=TagKind.RED_FLAG).values_list("value", flat=True))
    EpisodeTag.objects.bulk_create(
        [EpisodeTag(episode=episode, kind=TagKind.RED_FLAG, value=v) for v in sorted(red_flags - recorded)]
    )
    now = timezone.now()
    Episode.objects.filter(pk=episode.pk).update(red_flags_checked_at=now, updated_at=now)
    episode.red_flags_checked_at = episode.updated_at = now
    getattr(episode, "_prefetched_objects_cache", {}).pop("tags", None)
    if red_flags - recorded:  # the row keeps the latest start with a warning sign
        patient_facts_refresh(patient_id=episode.patient_id)
    return episode


def episode_report_worse(*, episode: Episode) -> Episode:
    """The patient said at the follow-up that it got worse: the warning-sign question comes
    back on the episode, and their clinicians see it on the dashboard and in the digest."""
    now = timezone.now()
    Episode.objects.filter(pk=episode.pk).update(worse_reported_at=now)
    episode.worse_reported_at = now
    return episode


def _validate_end(*, episode: Episode, ended_at: datetime.datetime) -> None:
    try:
        validate_moment(ended_at)
    except ValidationError as error:
        raise ValidationError({"ended_at": error.messages}) from None
    if ends_before_it_starts(episode.started_at, ended_at):
        raise ValidationError({"ended_at": [END_BEFORE_START]})


@transaction.atomic
def episode_delete(*, episode: Episode) -> None:
    episode.delete()
    patient_facts_refresh(patient_id=episode.patient_id)


@transaction.atomic
def checkin_record(
    *,
    patient: User,
    date: datetime.date,
    had_spasm: bool,
    worst_pain: int | None,
    sleep: str = "",
    stress: str = "",
    active: bool | None = None,
    long_sitting: bool | None = None,
) -> DailyCheckIn:
    """Record (or correct) the day's check-in: spasm-free days count too. The daily factors
    are optional; a correction replaces them too (a skipped one is stored as unknown)."""
    if not had_spasm:
        worst_pain = None
    elif worst_pain is None:
        raise ValidationError({"worst_pain": [_("Tell us the worst pain today, from 0 to 10.")]})
    values = {
        "had_spasm": had_spasm,
        "worst_pain": worst_pain,
        "sleep": sleep or "",
        "stress": stress or "",
        "active": active,
        "long_sitting": long_sitting,
    }
    return _record_for_day(DailyCheckIn, patient=patient, date=date, values=values)


@transaction.atomic
def peg_record(
    *, patient: User, date: datetime.date | None = None, pain: int, enjoyment: int, activity: int
) -> PegCheckIn:
    """The patient's PEG for a day (default: their own today), replacing one already given."""
    return _record_for_day(
        PegCheckIn,
        patient=patient,
        date=date or timezone.localdate(timezone=patient.zone),
        values={"pain": pain, "enjoyment": enjoyment, "activity": activity},
    )


def _record_for_day(
    model: type[DailyCheckIn | PegCheckIn], *, patient: User, date: datetime.date, values: dict
):
    """One row per patient and day: the first write inserts it, a later one corrects it.
    Two requests racing for the same day both look, find nothing and insert; the loser's
    insert breaks the unique constraint and it corrects the winner's row instead, as a
    sequential repeat would."""
    row = model.objects.filter(patient=patient, date=date).first() or model(patient=patient, date=date)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(validate_constraints=False)
    if row.pk is not None:
        row.save()
        return row
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        row = model.objects.select_for_update().filter(patient=patient, date=date).first()
        if row is None:
            raise
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row
