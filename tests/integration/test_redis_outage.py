"""Issue 10, "keep it fixed": one Redis of the test's own (ports 6391-6395) is the cache and
the broker, as in the README's production layout; it stops while patients log. Every answer
is a 201 or a clean 503, and the rows stored are exactly the 201 answers: nothing committed
behind an error, nothing lost behind a success."""

import datetime
import shutil
import time

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests.conftest import require
from tests.integration.conftest import OwnRedis, celery_app_pointed_at
from tracker.models import Episode

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAULT_PORTS = range(6391, 6396)
PATIENTS = 5
ROUNDS = 6
STOP_BEFORE_ROUND = 2


def _free_fault_port() -> int:
    for port in FAULT_PORTS:
        if not OwnRedis(None, port=port).reachable():
            return port
    raise AssertionError(f"every port of {FAULT_PORTS} is taken")


@pytest.fixture
def fault_redis(tmp_path):
    require(shutil.which("redis-server") is not None, "no redis-server binary to start a Redis of our own")
    redis = OwnRedis(tmp_path, port=_free_fault_port())
    redis.start()
    yield redis
    if redis.process.poll() is None:
        redis.stop()


def test_patients_logging_through_a_redis_outage_get_201_or_503_and_rows_equal_the_201s(
    fault_redis, settings, monkeypatch
):
    base = f"redis://127.0.0.1:{fault_redis.port}"
    settings.CACHES = {
        "default": {
            "BACKEND": "backspasm.cache.FailOpenRedisCache",
            "LOCATION": f"{base}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with celery_app_pointed_at(f"{base}/1", monkeypatch):
        clients = []
        for i in range(PATIENTS):
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.create_user(email=f"fault{i}@example.org", password="x" * 12))
            clients.append(client)

        answers: list[int] = []
        now = timezone.now()
        for round_ in range(ROUNDS):
            if round_ == STOP_BEFORE_ROUND:
                fault_redis.stop()
            started = now - datetime.timedelta(hours=ROUNDS - round_)
            # The round after the stop starts an ongoing episode: its heat/ice reminder is
            # booked with the (dead) broker; the others are past episodes.
            ended = None if round_ == STOP_BEFORE_ROUND + 1 else started + datetime.timedelta(minutes=30)
            for client in clients:
                body = {"severity": 5, "started_at": started.isoformat()}
                if ended:
                    body["ended_at"] = ended.isoformat()
                begun = time.monotonic()
                response = client.post("/api/episodes/", body, content_type="application/json")
                assert time.monotonic() - begun < 10, "an outage must not hold a request up"
                assert response.status_code in {201, 503}, response.content
                assert response["Content-Type"] == "application/json"
                answers.append(response.status_code)

    assert Episode.objects.count() == answers.count(201)
    assert answers.count(201) == PATIENTS * ROUNDS  # the cache and broker fail open: all succeed
