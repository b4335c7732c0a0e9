"""Writes for the tracker. HTML views and the API call these, so they cannot disagree.

Each service validates with ``full_clean`` (a ``ValidationError`` keyed by field) and
writes in one transaction, so a failed edit leaves the stored episode as it was.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.choices import TAG_CHOICES, ReliefEffect, ReliefMeasure
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
)
from tracker.signals import episode_ended, episode_logged


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
    *, episode: Episode, tags: dict[str, Iterable[str]], relief: Iterable[dict] | None, new: bool = False
) -> None:
    """Replace the given kinds of child rows; a new episode has none to delete."""
    if not new:
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
    if new:
        _remember_children(episode, tags=tag_rows, relief=relief_rows)


def _remember_children(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]) -> None:
    """A new episode's children are exactly the rows just written: keep them the way
    ``prefetch_related`` does, so guidance and the API answer read them without a query."""
    cache = {}
    for name, rows in (("tags", tags), ("relief", relief)):
        queryset = getattr(episode, name).all()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[name] = queryset
    episode._prefetched_objects_cache = cache


@transaction.atomic
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
    episode.save()
    _write_children(episode=episode, tags=tags, relief=relief, new=True)
    episode_logged.send(sender=Episode, episode=episode)
    return episode


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
    episode.save()
    _write_children(episode=episode, tags=tags, relief=relief)
    if was_ongoing and not episode.is_ongoing:
        episode_ended.send(sender=Episode, episode=episode)
    return episode


@transaction.atomic
def episode_end(*, episode: Episode, ended_at: datetime.datetime | None = None) -> Episode:
    """End an ongoing episode (now by default). Ending it twice changes nothing.

    An end given before the start is refused. "Now" before a start a few minutes ahead (the
    model allows FUTURE_TOLERANCE for clock skew) ends it at its start.
    """
    if ends_before_it_starts(episode.started_at, ended_at):
        raise ValidationError({"ended_at": [END_BEFORE_START]})
    ended_at = ended_at or timezone.now()
    claimed = Episode.objects.filter(pk=episode.pk, ended_at__isnull=True).update(
        ended_at=max(ended_at, episode.started_at), updated_at=timezone.now()
    )
    episode.refresh_from_db()
    if claimed == 1:
        episode_ended.send(sender=Episode, episode=episode)
    return episode


def episode_delete(*, episode: Episode) -> None:
    episode.delete()


@transaction.atomic
def checkin_record(
    *, patient: User, date: datetime.date, had_spasm: bool, worst_pain: int | None
) -> DailyCheckIn:
    """Record (or correct) the day's check-in: spasm-free days count too."""
    if not had_spasm:
        worst_pain = None
    elif worst_pain is None:
        raise ValidationError({"worst_pain": [_("Tell us the worst pain today, from 0 to 10.")]})
    if date > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError({"date": [_("The date can't be in the future.")]})
    checkin = DailyCheckIn.objects.filter(patient=patient, date=date).first() or DailyCheckIn(
        patient=patient, date=date
    )
    checkin.had_spasm, checkin.worst_pain = had_spasm, worst_pain
    checkin.full_clean()
    checkin.save()
    return checkin


@transaction.atomic
def peg_record(
    *, patient: User, date: datetime.date | None = None, pain: int, enjoyment: int, activity: int
) -> PegCheckIn:
    """The patient's PEG for a day (default: their own today), replacing one already given."""
    date = date or timezone.localdate(timezone=patient.zone)
    peg = PegCheckIn.objects.filter(patient=patient, date=date).first() or PegCheckIn(
        patient=patient, date=date
    )
    peg.pain, peg.enjoyment, peg.activity = pain, enjoyment, activity
    peg.full_clean()
    peg.save()
    return peg
