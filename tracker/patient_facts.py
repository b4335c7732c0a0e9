"""The per-patient facts row (``PatientFacts``): kept in the transaction that changes an
episode, so that guidance for a spasm just logged reads its history facts from one row
instead of aggregating the patient's episodes.

A new episode updates the row by addition; an edit of what the row counts, or a deletion,
recomputes it from the episodes (``patient_facts_refresh``). Tests compare the row with a
recomputation after each kind of change, and its history facts with the episodes' own.
"""

import datetime
import functools
import json

from django.db import connection
from django.db.models import Count, Max, Min, Q

from guidance.facts import HistoryFacts
from guidance.trend import TREND_WINDOW, mean_or_none, severity_trend
from tracker.choices import HELPFUL_EFFECTS, ReliefEffect, TagKind
from tracker.models import Episode, PatientFacts, ReliefTried

DAY = datetime.timedelta(days=1)
# How far back from the latest start the row keeps each episode's start and severity:
# the history facts' windows (7 and 30 days, and the two trend windows).
RECENT = max(2 * TREND_WINDOW, 30 * DAY)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Fields of an episode the row depends on: an edit of one of them recomputes it.
COUNTED_FIELDS = ("started_at", "severity", "relief", "red_flags")


def micros(at: datetime.datetime) -> int:
    """The row's clock: microseconds since the epoch."""
    return (at - EPOCH) // datetime.timedelta(microseconds=1)


def moment(us: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(microseconds=us)


def _relief_counts(relief) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for measure, effect in relief:
        pair = counts.setdefault(measure, [0, 0])
        pair[0] += effect in HELPFUL_EFFECTS
        pair[1] += effect == ReliefEffect.WORSE
    return counts


def patient_facts_compute(*, patient_id: int) -> PatientFacts:
    """The row as the episodes say it should be (five queries), unsaved."""
    episodes = Episode.objects.filter(patient_id=patient_id)
    bounds = episodes.aggregate(first=Min("started_at"), latest=Max("started_at"))
    latest = bounds["latest"]
    latest_count, recent = 0, []
    if latest is not None:
        latest_count = episodes.filter(started_at=latest).count()
        recent = [
            [micros(start), severity]
            for start, severity in episodes.filter(started_at__gt=latest - RECENT)
            .order_by("started_at", "severity")  # as the list is kept: sorted pairs
            .values_list("started_at", "severity")
        ]
    relief = {
        measure: [helped, worse]
        for measure, helped, worse in ReliefTried.objects.filter(episode__patient_id=patient_id)
        .values_list("measure")
        .annotate(
            helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
            worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
        )
        .order_by()
    }
    red_flag = episodes.filter(tags__kind=TagKind.RED_FLAG).aggregate(latest=Max("started_at"))["latest"]
    return PatientFacts(
        patient_id=patient_id,
        first_started_at=bounds["first"],
        latest_started_at=latest,
        latest_count=latest_count,
        relief=relief,
        recent=recent,
        red_flag_started_at=red_flag,
    )


def patient_facts_refresh(*, patient_id: int) -> PatientFacts:
    """Recompute and store the row: after an edit or a deletion (rare; logging adds instead)."""
    facts = patient_facts_compute(patient_id=patient_id)
    facts.save()
    return facts


def patient_facts_add(*, episode: Episode, facts: PatientFacts | None) -> PatientFacts:
    """A new episode (its children already written): add it to ``facts``, the patient's row
    as read and locked until commit with the episode's insert (``tracker.episode_insert``).

    A patient without a row yet (``facts`` None) gets it computed from their episodes, this
    one included.
    """
    if facts is None:
        return patient_facts_refresh(patient_id=episode.patient_id)
    start = episode.started_at
    if facts.first_started_at is None or start < facts.first_started_at:
        facts.first_started_at = start
    if facts.latest_started_at is None or start > facts.latest_started_at:
        facts.latest_started_at, facts.latest_count = start, 1
    elif start == facts.latest_started_at:
        facts.latest_count += 1
    for measure, (helped, worse) in _relief_counts(
        (r.measure, r.effect) for r in episode.relief.all()
    ).items():
        pair = facts.relief.setdefault(measure, [0, 0])
        pair[0] += helped
        pair[1] += worse
    if episode.red_flags and (facts.red_flag_started_at is None or start > facts.red_flag_started_at):
        facts.red_flag_started_at = start
    oldest = micros(facts.latest_started_at - RECENT)
    facts.recent = sorted(
        [item for item in facts.recent if item[0] > oldest]
        + ([[micros(start), episode.severity]] if micros(start) > oldest else [])
    )
    _store(facts)
    return facts


def facts_add_sql(*, episode: Episode, relief, red_flag: bool, params: list) -> str:
    """``patient_facts_add`` as a data-modifying WITH clause for PostgreSQL, named ``facts``:
    the UPDATE of the patient's row for ``episode`` (the one the clause ``ep`` inserts;
    nothing when it inserted none), returning the row as it becomes. ``relief``: the
    episode's (measure, effect) pairs; ``red_flag``: whether it has a warning sign. Appends
    its values to ``params``.

    The same rules as ``patient_facts_add``, applied to the row as it is when the UPDATE
    locks it: the bounds by LEAST and GREATEST, the relief pairs added measure by measure,
    the recent list cut to RECENT before the new latest start and kept sorted, and the
    latest start with a warning sign moved to this one's if it has one and is later.
    """
    start = episode.started_at
    params.extend(
        [
            start,
            start,
            start,
            start,
            json.dumps(_relief_counts(relief)),
            micros(start),
            episode.severity,
            start,
            micros(EPOCH + RECENT),
            red_flag,
            start,
            episode.patient_id,
        ]
    )
    return _facts_add_text()


@functools.cache
def _facts_add_text() -> str:
    """``facts_add_sql``'s text: the same for every episode, written once."""
    quote = connection.ops.quote_name
    column = {name: quote(PatientFacts._meta.get_field(name).column) for name in STORED}
    new_latest = f"GREATEST(f.{column['latest_started_at']}, %s::timestamptz)"
    return (
        f"facts AS (UPDATE {quote(PatientFacts._meta.db_table)} f SET "  # noqa: S608 (names from the model; values are parameters)
        f"{column['first_started_at']} = LEAST(f.{column['first_started_at']}, %s::timestamptz), "
        f"{column['latest_started_at']} = {new_latest}, "
        f"{column['latest_count']} = CASE WHEN f.{column['latest_started_at']} IS NULL "
        f"OR f.{column['latest_started_at']} < %s::timestamptz THEN 1 "
        f"WHEN f.{column['latest_started_at']} = %s::timestamptz THEN f.{column['latest_count']} + 1 "
        f"ELSE f.{column['latest_count']} END, "
        f"{column['relief']} = f.{column['relief']} || COALESCE((SELECT jsonb_object_agg(d.key, jsonb_build_array("
        f"COALESCE((f.{column['relief']} -> d.key ->> 0)::int, 0) + (d.value ->> 0)::int, "
        f"COALESCE((f.{column['relief']} -> d.key ->> 1)::int, 0) + (d.value ->> 1)::int)) "
        f"FROM jsonb_each(%s::jsonb) d), '{{}}'::jsonb), "
        f"{column['recent']} = (SELECT COALESCE(jsonb_agg(e ORDER BY (e ->> 0)::bigint, (e ->> 1)::int), '[]'::jsonb) "
        f"FROM jsonb_array_elements(f.{column['recent']} || jsonb_build_array(jsonb_build_array(%s::bigint, %s::int))) e "
        f"WHERE (e ->> 0)::bigint > (extract(epoch FROM {new_latest}) * 1000000)::bigint - %s), "
        f"{column['red_flag_started_at']} = CASE WHEN %s::boolean "
        f"THEN GREATEST(f.{column['red_flag_started_at']}, %s::timestamptz) "
        f"ELSE f.{column['red_flag_started_at']} END "
        f"FROM ep WHERE f.{quote('patient_id')} = %s "
        f"RETURNING f.{quote('patient_id')}, "
        + ", ".join(
            f"f.{column[name]}::text" if name in ("relief", "recent") else f"f.{column[name]}"
            for name in STORED
        )
        + ")"
    )


STORED = ("first_started_at", "latest_started_at", "latest_count", "relief", "recent", "red_flag_started_at")


def _store(facts: PatientFacts) -> None:
    """UPDATE the row's fields in one statement, without ``save()``'s model machinery (the
    row exists: it was read locked)."""
    quote = connection.ops.quote_name
    fields = [PatientFacts._meta.get_field(name) for name in STORED]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_save(getattr(facts, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(PatientFacts._meta.db_table)} SET {assignments} WHERE {quote('patient_id')} = %s",  # noqa: S608 (names from the model)
            [*params, facts.patient_id],
        )


def history_before(*, facts: PatientFacts, episode: Episode) -> HistoryFacts | None:
    """``tracker.guidance.history_facts`` of ``episode`` from the row, when the episode is
    the patient's one latest (a spasm logged now): the relief totals less its own. None
    otherwise, and guidance asks the episodes."""
    if facts.latest_started_at != episode.started_at or facts.latest_count != 1:
        return None
    reference = episode.started_at

    def between(low: datetime.timedelta, high: datetime.timedelta = datetime.timedelta(0)):
        """(start, severity) of the episodes that started in (reference - low, reference - high]."""
        after, until = micros(reference - low), micros(reference - high)
        return [(moment(start), severity) for start, severity in facts.recent if after < start <= until]

    own = _relief_counts((r.measure, r.effect) for r in episode.relief.all())
    helpful, unhelpful = [], []
    for measure, (helped, worse) in facts.relief.items():
        own_helped, own_worse = own.get(measure, (0, 0))
        helped, worse = helped - own_helped, worse - own_worse
        if helped > worse:
            helpful.append((-helped, measure))
        elif worse > helped:
            unhelpful.append((-worse, measure))
    recent = between(TREND_WINDOW)
    earlier = between(2 * TREND_WINDOW, TREND_WINDOW)
    return HistoryFacts(
        episodes_last_7d=len(between(7 * DAY)),
        episodes_last_30d=len(between(30 * DAY)),
        trend=severity_trend(
            mean_or_none([s for _at, s in recent]), mean_or_none([s for _at, s in earlier]), recent=recent
        ),
        weeks_since_first_episode=int((reference - facts.first_started_at).days // 7),
        helpful_relief=tuple(measure for _helped, measure in sorted(helpful)),
        unhelpful_relief=tuple(measure for _worse, measure in sorted(unhelpful)),
    )
