"""``GET /healthz``: are the database, the cache and the broker reachable.

The probes run at once, each in its own thread, and the answer waits at most
PROBE_SECONDS for them: a service that hangs is reported down, not waited for.
"""

import concurrent.futures

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from backspasm.celery import app as celery_app

PROBE_SECONDS = 1.0


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        connection.close()  # this thread's own connection


def _cache_ok() -> bool:
    ping = getattr(cache, "ping", None)  # an in-process cache is always there
    return True if ping is None else bool(ping())


def _broker_ok() -> bool:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=PROBE_SECONDS)
    return True


def healthz(request):
    probes = {"database": _database_ok, "cache": _cache_ok, "broker": _broker_ok}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(probes))
    futures = {name: pool.submit(probe) for name, probe in probes.items()}
    concurrent.futures.wait(futures.values(), timeout=PROBE_SECONDS)
    pool.shutdown(wait=False, cancel_futures=True)
    checks = {}
    for name, future in futures.items():
        ok = future.done() and future.exception() is None and future.result()
        checks[name] = "ok" if ok else "down"
    status = 200 if all(value == "ok" for value in checks.values()) else 503
    return JsonResponse(checks, status=status)
