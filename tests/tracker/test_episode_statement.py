"""The log's one statement on PostgreSQL: prepared once per connection, and run as it is
behind a transaction pooler (``DATABASE_TRANSACTION_POOLER``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracker import services
from tracker.models import Episode

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
def test_the_statement_is_prepared_once_per_connection_and_runs_unprepared_behind_a_pooler(
    patient, monkeypatch
):
    hour = datetime.timedelta(hours=1)
    services.episode_create(
        patient=patient, severity=3, started_at=timezone.now() - 2 * hour, ended_at=timezone.now() - hour
    )
    with CaptureQueriesContext(connection) as prepared:
        services.episode_create(patient=patient, severity=4)  # ongoing: nothing else to write
    assert [q["sql"].split()[0] for q in prepared.captured_queries] == ["EXECUTE"]
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    with CaptureQueriesContext(connection) as plain:
        episode = services.episode_create(
            patient=patient,
            severity=5,
            locations=["leg_left"],
            started_at=timezone.now() - 4 * hour,
            ended_at=timezone.now() - 3 * hour,
        )
    assert plain.captured_queries[0]["sql"].startswith("WITH ep AS (INSERT")
    assert episode.locations == ["leg_left"] and Episode.objects.filter(patient=patient).count() == 3
