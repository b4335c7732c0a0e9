"""A new episode's rows in one round trip: the episode, its tags and relief, and the
patient's facts row read and locked for the update that follows (``tracker.patient_facts``).

On PostgreSQL one statement does it all (data-modifying WITH clauses); elsewhere (SQLite in
development) the ORM writes the same rows one statement at a time. Either way the episode
comes back saved, with its children remembered the way ``prefetch_related`` keeps them, and
the locked facts row, or None when the patient has none yet.
"""

import json

from django.db import connection

from tracker.models import Episode, EpisodeTag, PatientFacts, ReliefTried

# Whether the database takes the one-statement insert (a property of the backend).
ONE_STATEMENT = connection.vendor == "postgresql"
# What ``insert_episode`` answers when the patient already has an ongoing episode and this
# one would be a second: on PostgreSQL nothing is written (ON CONFLICT DO NOTHING).
NOT_INSERTED = object()
FACTS_COLUMNS = ("first_started_at", "latest_started_at", "latest_count", "relief", "recent")


def insert_episode(
    episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]
) -> PatientFacts | None:
    """Insert ``episode`` (unsaved, validated) and its children; lock and return its patient's
    facts row (None when there is none yet), or NOT_INSERTED."""
    if not ONE_STATEMENT:
        return _insert_with_orm(episode, tags=tags, relief=relief)
    return _insert_in_one_statement(episode, tags=tags, relief=relief)


def _insert_with_orm(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]):
    episode.save()
    for row in (*tags, *relief):
        row.episode = episode
    if tags:
        EpisodeTag.objects.bulk_create(tags)
    if relief:
        ReliefTried.objects.bulk_create(relief)
    return PatientFacts.objects.select_for_update().filter(patient_id=episode.patient_id).first()


def _children(table: str, columns: tuple[str, str], rows: list[tuple[str, str]], params: list) -> str:
    """A WITH clause inserting ``rows`` as children of the episode ``ep`` inserts."""
    quote = connection.ops.quote_name
    params.extend(value for row in rows for value in row)
    values = ", ".join(["(%s, %s)"] * len(rows))
    names = ", ".join(quote(name) for name in columns)
    return (
        f"{table}_rows AS (INSERT INTO {quote(table)} ({quote('episode_id')}, {names}) "  # noqa: S608 (names from the models; values are parameters)
        f"SELECT ep.id, v.a, v.b FROM ep, (VALUES {values}) AS v(a, b) RETURNING id)"
    )


def _insert_in_one_statement(episode: Episode, *, tags: list[EpisodeTag], relief: list[ReliefTried]):
    quote = connection.ops.quote_name
    fields = [field for field in Episode._meta.concrete_fields if not field.primary_key]
    params: list = [field.get_db_prep_save(field.pre_save(episode, True), connection) for field in fields]
    clauses = [
        f"ep AS (INSERT INTO {quote(Episode._meta.db_table)} "  # noqa: S608 (names from the models; values are parameters)
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        # The one-ongoing-episode constraint (its partial unique index): a second is not written.
        f"ON CONFLICT ({quote('patient_id')}) WHERE {quote('ended_at')} IS NULL DO NOTHING RETURNING id)"
    ]
    selected = ["ep.id"]
    for table, columns, rows in (
        (EpisodeTag._meta.db_table, ("kind", "value"), [(tag.kind, tag.value) for tag in tags]),
        (ReliefTried._meta.db_table, ("measure", "effect"), [(r.measure, r.effect) for r in relief]),
    ):
        if rows:
            clauses.append(_children(table, columns, rows, params))
            selected.append(f"(SELECT array_agg(id ORDER BY id) FROM {table}_rows)")  # noqa: S608
        else:
            selected.append("NULL")
    facts_columns = ", ".join(
        f"f.{quote(name)}::text" if name in ("relief", "recent") else f"f.{quote(name)}"
        for name in FACTS_COLUMNS
    )
    params.append(episode.patient_id)
    sql = (
        f"WITH {', '.join(clauses)} "  # noqa: S608 (names from the models; values are parameters)
        f"SELECT {', '.join(selected)}, f.patient_id, {facts_columns} FROM ep LEFT JOIN "
        f"(SELECT * FROM {quote(PatientFacts._meta.db_table)} WHERE patient_id = %s FOR UPDATE) f ON true"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
    if facts_patient is None:
        return None
    values = dict(zip(FACTS_COLUMNS, facts, strict=True))
    values["relief"], values["recent"] = json.loads(values["relief"]), json.loads(values["recent"])
    row = PatientFacts(patient_id=facts_patient, **values)
    row._state.adding = False
    row._state.db = connection.alias
    return row
