"""Shared set-up for benchmarks, measuring what production runs:

- PostgreSQL: a throwaway database of the benchmark's own, created here and dropped at
  exit (BENCH_POSTGRES_URL names the server, default postgres://postgres@127.0.0.1:5432;
  BENCH_DATABASE_PREFIX the database name's start, default ``spasm_bench_``);
- the full middleware stack through Django's test client, with real token authentication:
  the token comes from POST /api/auth/token/ like any API client gets it;
- patients made through ``accounts.services.user_create``, so they have the default
  reminder plans (heat/ice and the rest) that logging reacts to;
- the shared cache when BENCH_CACHE_URL names one (a Redis URL, as deployed);
- compared requests interleaved (a, b, b, a, a, b...) and each ratio the median of
  per-round ratios, so a slow moment of a shared machine lands on both sides of a ratio.

Each ``check`` line prints a ratio with its target and PASS or FAIL; ``python -m bench``
collects them into one table at the end.
"""

import atexit
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import psycopg2

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "spasm_bench_")
DATABASE = f"{PREFIX}{os.path.basename(sys.argv[0]).removesuffix('.py')}_{os.getpid()}".replace("-", "_")
PASSWORD = "bench-password-1"

_TMP = tempfile.mkdtemp(prefix="spasm-bench-")
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("VAR_DIR", _TMP)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backspasm.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["API_USER_RATE"] = "1000000/minute"
os.environ["API_ANON_RATE"] = "1000000/minute"
if os.environ.get("BENCH_CACHE_URL"):
    os.environ["CACHE_URL"] = os.environ["BENCH_CACHE_URL"]


def admin_sql(statement: str) -> None:
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True  # CREATE and DROP DATABASE refuse to run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


admin_sql(f'CREATE DATABASE "{DATABASE}"')


def _drop() -> None:
    from django.db import connections

    connections.close_all()
    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


atexit.register(_drop)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class MinimalRead(APIView):
    """The baseline for reads: authentication, throttling, JSON; nothing else."""

    def get(self, request):
        return Response({"ok": True})


class MinimalSerializer(serializers.Serializer):
    severity = serializers.IntegerField(min_value=0, max_value=10)


class MinimalCreate(APIView):
    """The baseline for writes: token authentication, one field validated, one INSERT, JSON."""

    def post(self, request):
        from tracker.models import Episode

        serializer = MinimalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Ended, as a one-off row: the one-ongoing-episode rule would refuse a second ongoing one.
        now = timezone.now()
        episode = Episode.objects.create(
            patient=request.user, started_at=now, ended_at=now, **serializer.validated_data
        )
        return Response({"id": episode.pk, "severity": episode.severity}, status=201)


urlpatterns = [
    path("bench/minimal-read/", MinimalRead.as_view()),
    path("bench/minimal-create/", MinimalCreate.as_view()),
    path("", include("backspasm.urls")),
]


_prepared = False


def prepare() -> None:
    global _prepared
    if _prepared:
        return
    _prepared = True
    setup_test_environment()
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("load_guidance", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"database {DATABASE} on PostgreSQL, cache {settings.CACHES['default']['BACKEND']}", flush=True)


def patient(email: str, **extra):
    """A patient signed up the way the app does it: with the default reminder plans."""
    from accounts.services import user_create

    return user_create(email=email, password=PASSWORD, **extra)


def token_client(user) -> Client:
    """A test client that sends the token POST /api/auth/token/ gave ``user``."""
    client = Client()
    answer = client.post(
        "/api/auth/token/", {"email": user.email, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return Client(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")


def session_client(user) -> Client:
    """A test client signed in to the pages as the whole sign-in leaves it: with the second
    factor done (clinicians must have one: the middleware sends them to set it up otherwise)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.two_factor_required:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    if device is not None:
        user.otp_device = device
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def post_json(client: Client, url: str, body: dict, expect: int = 201) -> Callable[[], object]:
    def action():
        answer = client.post(url, body, content_type="application/json")
        assert answer.status_code == expect, answer.content
        return answer

    return action


def get_ok(client: Client, url: str) -> Callable[[], object]:
    def action():
        answer = client.get(url)
        assert answer.status_code == 200, answer.status_code
        return answer

    return action


def median_seconds(action: Callable[[], object], *, runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved_ratio(
    numerator: Callable[[], object],
    denominator: Callable[[], object],
    *,
    rounds: int = 31,
    per_round: int = 5,
    warmup: int = 5,
) -> tuple[float, float, float]:
    """Median of per-round ratios numerator/denominator, and the median time of each (seconds).

    Each round times ``per_round`` calls of one then of the other, alternating which goes
    first, so drift and order both land on the two sides alike. An action's ``before``
    attribute, when it has one, runs untimed before each call.
    """
    for _ in range(warmup):
        for action in (numerator, denominator):
            before = getattr(action, "before", None)
            if before is not None:
                before()
            action()
    ratios, tops, bottoms = [], [], []

    def timed(action):
        before = getattr(action, "before", None)
        total = 0.0
        for _ in range(per_round):
            if before is not None:
                before()
            start = time.perf_counter()
            action()
            total += time.perf_counter() - start
        return total / per_round

    for index in range(rounds):
        if index % 2:
            bottom = timed(denominator)
            top = timed(numerator)
        else:
            top = timed(numerator)
            bottom = timed(denominator)
        ratios.append(top / bottom)
        tops.append(top)
        bottoms.append(bottom)
    return statistics.median(ratios), statistics.median(tops), statistics.median(bottoms)


def report(name: str, value: float, unit: str) -> None:
    print(f"  {name:66} {value:9.2f} {unit}", flush=True)


def check(name: str, ratio: float, target: float) -> bool:
    """One ratio against its target (at most ``target``), with a PASS or FAIL word."""
    passed = ratio <= target
    print(
        f"RATIO {name:64} {ratio:6.2f}x  target <= {target:.2f}x  {'PASS' if passed else 'FAIL'}", flush=True
    )
    return passed


def compare(name: str, numerator, denominator, *, target: float, **kwargs) -> bool:
    ratio, top, bottom = interleaved_ratio(numerator, denominator, **kwargs)
    report(f"{name}: numerator median", top * 1000, "ms")
    report(f"{name}: denominator median", bottom * 1000, "ms")
    return check(name, ratio, target)


def database_copy(suffix: str):
    """A copy of the benchmark's database as it is now (CREATE DATABASE ... TEMPLATE), and a
    connection to it under the ``default`` alias, dropped at exit. ``use(connection)``
    switches between the two, so requests to both can be interleaved."""
    from django.db import connections

    connections.close_all()
    name = f"{DATABASE}_{suffix}"
    admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{DATABASE}"')
    atexit.register(admin_sql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    settings_dict = {**connections["default"].settings_dict, "NAME": name}
    wrapper = type(connections["default"])(settings_dict, alias="default")
    return wrapper


def use(wrapper) -> None:
    from django.db import connections

    connections["default"] = wrapper


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


class QueryLog:
    """Records the SQL a block runs, to EXPLAIN it afterwards."""

    def __init__(self):
        self.queries: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


def explain_block(name: str, action: Callable[[], object], *, tables: tuple[str, ...]) -> bool:
    """EXPLAIN every read ``action`` runs (and the log's prepared statement); a sequential
    scan of one of ``tables`` is a FAIL."""
    log = QueryLog()
    with connection.execute_wrapper(log):
        action()
    failed = []
    lines = []
    for sql, params in log.queries:
        # EXECUTE: a prepared statement (the log's one statement), explained by name.
        if not sql.lstrip().upper().startswith(("SELECT", "WITH", "EXECUTE")):
            continue
        plan = explain(sql, params)
        scans = [
            " ".join(line.strip().removeprefix("->").split()[:5])
            for line in plan.splitlines()
            if " on " in line and "Scan" in line
        ]
        lines.append(
            f"      {sql.split(' FROM ')[1].split()[0] if ' FROM ' in sql else sql[:30]:32} {'; '.join(scans)}"
        )
        if any(scan.startswith("Seq Scan on ") and scan.split()[3] in tables for scan in scans):
            failed.append((sql, plan))
    print(
        f"EXPLAIN {name:58} {len(log.queries):3} queries, "
        f"{'no sequential scan of a per-patient table' if not failed else 'SEQUENTIAL SCAN'}  "
        f"{'PASS' if not failed else 'FAIL'}",
        flush=True,
    )
    print("\n".join(lines), flush=True)
    for sql, plan in failed:
        print(f"    {sql[:300]}\n    {plan}", flush=True)
    return not failed
