"""A new episode's rows in one round trip: the episode, its tags and relief, and the
patient's facts row updated to count it (``tracker.patient_facts``).

On PostgreSQL one statement does it all (data-modifying WITH clauses); elsewhere (SQLite in
development) the ORM writes the same rows one statement at a time. Either way the episode
comes back saved, with its children remembered the way ``prefetch_related`` keeps them, and
the patient's facts row as it now is, locked until commit.
"""

import functools
import hashlib
import itertools
import json
import re
import weakref
from collections.abc import Callable

from django.db import connection

from tracker.choices import TagKind
from tracker.models import Episode, EpisodeTag, PatientFacts, ReliefTried
from tracker.patient_facts import STORED, facts_add_sql, patient_facts_add, patient_facts_refresh

# Whether the database takes the one-statement insert (a property of the backend).
ONE_STATEMENT = connection.vendor == "postgresql"
# What ``insert_episode`` answers when the patient already has an ongoing episode and this
# one would be a second: on PostgreSQL nothing is written (ON CONFLICT DO NOTHING).
NOT_INSERTED = object()
# Writes another app makes whenever an episode is logged, run in the insert's own statement
# on PostgreSQL rather than a round trip each: the app registers them at ``ready()``, and
# skips that work on ``episode_logged`` when the signal says they ran (``companions_ran``).
# Each takes the episode (its id is ``ep.id`` in SQL) and the statement's parameters,
# appends its values and returns a WITH clause: the same text for every episode (the
# statement is prepared once per connection), the values saying what to write.
COMPANION_CLAUSES: list[Callable[[Episode, list], str]] = []


def insert_episode(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]) -> PatientFacts:
    """Insert ``episode`` (unsaved, validated) and its children, and count it in its patient's
    facts row; return the row as it now is, or NOT_INSERTED. A patient without a row yet
    gets it computed from their episodes, this one included."""
    if not ONE_STATEMENT:
        facts = _insert_with_orm(episode, tags=tags, relief=relief)
    else:
        facts = _insert_in_one_statement(episode, tags=tags, relief=relief)
        if facts is None:
            facts = patient_facts_refresh(patient_id=episode.patient_id)
    return facts


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


def _insert_with_orm(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]):
    episode.save()
    for row in (*tags, *relief):
        row.episode = episode
    if tags:
        EpisodeTag.objects.bulk_create(tags)
    if relief:
        ReliefTried.objects.bulk_create(relief)
    _remember_children(episode, tags=tags, relief=relief)
    locked = PatientFacts.objects.select_for_update().filter(patient_id=episode.patient_id).first()
    return patient_facts_add(episode=episode, facts=locked)


# The episode's columns the statement writes (all but the id), in order.
_FIELDS = [field for field in Episode._meta.concrete_fields if not field.primary_key]
# The children: their table, the two columns written, and the two values of a row.
_CHILDREN = (
    (EpisodeTag._meta.db_table, ("kind", "value")),
    (ReliefTried._meta.db_table, ("measure", "effect")),
)


@functools.cache
def _own_clauses() -> tuple[str, str, str]:
    """The statement's own text: the episode's clause, its children's, and the select."""
    quote = connection.ops.quote_name
    episode = (
        f"ep AS (INSERT INTO {quote(Episode._meta.db_table)} "  # noqa: S608 (names from the models; values are parameters)
        f"({', '.join(quote(field.column) for field in _FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_FIELDS))}) "
        # The one-ongoing-episode constraint (its partial unique index): a second is not written.
        f"ON CONFLICT ({quote('patient_id')}) WHERE {quote('ended_at')} IS NULL DO NOTHING RETURNING id)"
    )
    # Each child's values as two arrays: the same text for any number of rows.
    children = ", ".join(
        f"{table}_rows AS (INSERT INTO {quote(table)} ({quote('episode_id')}, {quote(a)}, {quote(b)}) "  # noqa: S608
        f"SELECT ep.id, v.a, v.b FROM ep, unnest(%s::varchar[], %s::varchar[]) AS v(a, b) RETURNING id)"
        for table, (a, b) in _CHILDREN
    )
    selected = ", ".join(
        ["ep.id", *(f"(SELECT array_agg(id ORDER BY id) FROM {table}_rows)" for table, _ in _CHILDREN)]  # noqa: S608
    )
    return episode, children, selected


def _statement(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]) -> tuple[str, list]:
    """The one statement and its values. Its text is the same for every episode."""
    own, children, selected = _own_clauses()
    params: list = [field.get_db_prep_save(field.pre_save(episode, True), connection) for field in _FIELDS]
    relief_pairs = [(r.measure, r.effect) for r in relief]
    for rows in ([(tag.kind, tag.value) for tag in tags], relief_pairs):
        params.extend([[a for a, _b in rows], [b for _a, b in rows]])
    companions = [companion(episode, params) for companion in COMPANION_CLAUSES]
    facts = facts_add_sql(
        episode=episode,
        relief=relief_pairs,
        red_flag=any(tag.kind == TagKind.RED_FLAG for tag in tags),
        params=params,
    )
    sql = (
        f"WITH {', '.join([own, children, *companions, facts])} "  # noqa: S608 (names from the models; values are parameters)
        f"SELECT {selected}, facts.* FROM ep LEFT JOIN facts ON true"
    )
    return sql, params


# The statement's name and PREPARE for each text (one per set of companion clauses).
_PREPARE: dict[str, tuple[str, str]] = {}
# The statements each open connection has prepared (a new connection prepares again).
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _execute(cursor, sql: str, params: list) -> None:
    """Run the statement as a prepared statement of this connection, preparing it on first
    use: parsing, analysing and planning a statement of a dozen WITH clauses cost as much as
    running it. Behind a transaction pooler (PgBouncer; Django's
    DISABLE_SERVER_SIDE_CURSORS says so) the next transaction may get another server
    session, so there it runs as it is."""
    if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor.execute(sql, params)
        return
    if sql not in _PREPARE:
        numbers = itertools.count(1)
        name = f"episode_log_{hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()}"
        _PREPARE[sql] = (name, f"PREPARE {name} AS " + re.sub("%s", lambda _match: f"${next(numbers)}", sql))
    name, prepare = _PREPARE[sql]
    prepared = _PREPARED.setdefault(connection.connection, set())
    if name not in prepared:
        cursor.execute(prepare)
        prepared.add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)


def _insert_in_one_statement(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]):
    sql, params = _statement(episode, tags=tags, relief=relief)
    with connection.cursor() as cursor:
        _execute(cursor, sql, params)
        written = cursor.fetchone()
    if written is None:
        return NOT_INSERTED
    episode_id, tag_ids, relief_ids, facts_patient, *facts = written
    episode.pk = episode_id
    episode._state.adding = False
    episode._state.db = connection.alias
    for rows, ids in ((tags, tag_ids), (relief, relief_ids)):
        for row, pk in zip(rows, ids or (), strict=True):
            row.pk = pk
            row.episode = episode
            row._state.adding = False
            row._state.db = connection.alias
    _remember_children(episode, tags=tags, relief=relief)
    if facts_patient is None:
        return None
    values = dict(zip(STORED, facts, strict=True))
    values["relief"], values["recent"] = json.loads(values["relief"]), json.loads(values["recent"])
    row = PatientFacts(patient_id=facts_patient, **values)
    row._state.adding = False
    row._state.db = connection.alias
    return row
