"""Real Celery worker processes against a real Redis broker and the test database."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REDIS = "redis://127.0.0.1:6379"


def redis_base_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if url.startswith("redis://"):
        parts = urlsplit(url)
        return f"redis://{parts.netloc}"
    return os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def test_database_url() -> str:
    """The URL of the database the tests are using right now, for a worker process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


@pytest.fixture
def redis_url(worker_id: str) -> str:
    base = redis_base_url()
    require(reachable(base), f"no Redis at {base}")
    # One Redis database per xdist worker, flushed before use.
    index = int(os.environ.get("TEST_REDIS_DB", "9")) + (
        int(worker_id[2:]) if worker_id.startswith("gw") else 0
    )
    url = f"{base}/{index}"
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


@contextlib.contextmanager
def celery_app_pointed_at(broker_url: str, monkeypatch):
    """Point this process's Celery app at a broker; tasks are sent, not run eagerly."""
    from backspasm.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    _drop_connection_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _drop_connection_pools(app)


@pytest.fixture
def celery_app_on(redis_url, monkeypatch):
    with celery_app_pointed_at(redis_url, monkeypatch) as app:
        yield app


def _drop_connection_pools(app) -> None:
    # Celery caches its broker connections on first use; drop them so the new URL applies.
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(condition, timeout: float = 60, interval: float = 0.2) -> bool:
    """Poll until ``condition()`` is true; the caller asserts on the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


class WorkerProcesses:
    def __init__(self, broker_url: str, tmp_path: Path):
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=test_database_url(),
            CELERY_BROKER_URL=self.broker_url,
            CELERY_TASK_ALWAYS_EAGER="0",
            DJANGO_SETTINGS_MODULE="backspasm.settings",
            VAR_DIR=str(self.tmp_path / "var"),
        )
        env.update(extra)
        return env

    def start(self, name: str = "w1", concurrency: int = 2, **env: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "backspasm",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the pool children too
        )
        self.processes.append(process)
        self.wait_ready(name)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children at once, as a crash or the OOM killer would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def log_text(self) -> str:
        return "".join(log.read_text() for log in sorted(self.tmp_path.glob("*.log")))

    def wait_ready(self, name: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        log = self.tmp_path / f"{name}.log"
        while time.monotonic() < deadline:
            if "ready." in log.read_text():
                return
            time.sleep(0.2)
        raise AssertionError(f"worker {name} did not start:\n{log.read_text()}")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(celery_app_on, redis_url, tmp_path) -> Iterator[WorkerProcesses]:
    processes = WorkerProcesses(redis_url, tmp_path)
    yield processes
    processes.stop_all()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A Redis server of this test's own, on its own port, so the shared one is never stopped."""

    def __init__(self, tmp_path, port: int | None = None):
        self.port = port or free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(self.reachable, timeout=20)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        assert not self.reachable()

    def reachable(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False
