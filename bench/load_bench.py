"""Load: gunicorn (2 sync workers) on 127.0.0.1 against a throwaway PostgreSQL database, and
a Python load generator holding LOAD_CONNECTIONS (50) connections for LOAD_SECONDS (30) of
spasm logging by as many patients, each with the token POST /api/auth/token/ gave it.
Prints the answers by status, the episodes written (which must equal the 201s) and the
latency p50/p99. It stops by itself and never talks to anything but 127.0.0.1.
Run: ``python -m bench.load_bench`` (LOAD_PORT, default 8701, is where gunicorn listens)."""

from bench.common import DATABASE, PASSWORD, SERVER, prepare, report, token_client

prepare()

import collections  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reminders.services import reminder_plans_ensure  # noqa: E402
from tracker.models import Episode  # noqa: E402

HOST = "127.0.0.1"
PORT = int(os.environ.get("LOAD_PORT", "8701"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
TIMEOUT = 10


def patients_with_tokens(count: int) -> list[str]:
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"load-{i}@bench.example", password=password) for i in range(count)
    )
    tokens = []
    for user in users:
        reminder_plans_ensure(user=user)  # what signing up gives them
        client = token_client(user)
        tokens.append(client.defaults["HTTP_AUTHORIZATION"])
    return tokens


def start_gunicorn() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-anything-else-0123456789",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "backspasm.wsgi",
            "--workers=2",
            f"--bind={HOST}:{PORT}",
            "--log-level=warning",
            "--timeout=30",
        ],
        env=env,
    )
    # Generous: on a busy machine two workers importing Django took more than 30 s to answer.
    deadline = time.monotonic() + float(os.environ.get("LOAD_START_SECONDS", "120"))
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/api/choices/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{PORT}")


def body(rng: random.Random) -> bytes:
    """A spasm earlier today or this month, already over (so any number can be logged)."""
    start = timezone.now() - datetime.timedelta(minutes=rng.randint(90, 30 * 24 * 60))
    return json.dumps(
        {
            "severity": rng.randint(1, 10),
            "started_at": start.isoformat(),
            "ended_at": (start + datetime.timedelta(minutes=rng.randint(10, 80))).isoformat(),
            "locations": [rng.choice(["lower_back_left", "lower_back_right", "mid_back"])],
            "triggers": [rng.choice(["sports", "heavy_lifting", "prolonged_sitting"])],
            "relief": [{"measure": "heat", "effect": rng.choice(["some", "much", "none"])}],
            "mobility": "limited",
        }
    ).encode()


def load(tokens: list[str]) -> tuple[collections.Counter, list[float]]:
    statuses: collections.Counter = collections.Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS

    def worker(index: int, token: str) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
                connection.request(
                    "POST",
                    "/api/episodes/",
                    body=body(rng),
                    headers={"Authorization": token, "Content-Type": "application/json"},
                )
                answer = connection.getresponse()
                answer.read()
                connection.close()
                status = str(answer.status)
            except OSError as error:
                status = type(error).__name__
            elapsed = time.perf_counter() - start
            with lock:
                statuses[status] += 1
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker, args=(i, t), daemon=True) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 2 * TIMEOUT)
    return statuses, latencies


def main() -> None:
    tokens = patients_with_tokens(CONNECTIONS)
    before = Episode.objects.count()
    connections.close_all()
    server = start_gunicorn()
    try:
        statuses, latencies = load(tokens)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    written = Episode.objects.count() - before
    print(
        f"  {CONNECTIONS} connections, {SECONDS:.0f} s, gunicorn 2 sync workers on {HOST}:{PORT}", flush=True
    )
    for status, count in sorted(statuses.items()):
        report(f"answers {status}", count, "")
    report("episodes written", written, "")
    report("requests per second", sum(statuses.values()) / SECONDS, "/s")
    cuts = statistics.quantiles(latencies, n=100)
    report("latency p50", cuts[49] * 1000, "ms")
    report("latency p99", cuts[98] * 1000, "ms")
    created = statuses.get("201", 0)
    print(
        f"CHECK episodes written == 201 answers ({written} == {created})"
        f"{' ' * 30}{'PASS' if written == created and created else 'FAIL'}",
        flush=True,
    )


if __name__ == "__main__":
    main()
