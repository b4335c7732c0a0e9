"""Project-wide behaviour: health, security headers, errors, deploy checks, schema."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db
# Set for the test run by pyproject.toml; production never has them.
TEST_ONLY_ENV = {
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "STATIC_MANIFEST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_BACKEND",
}


def test_healthz_reports_database_cache_and_broker(client, monkeypatch):
    monkeypatch.setattr("backspasm.health._broker_ok", lambda: True)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_is_503_naming_what_is_down(client, monkeypatch):
    from backspasm.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "down"}


def test_pages_allow_only_the_apps_own_origin(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "http" not in policy


def test_an_unknown_url_gets_a_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@override_settings(LANGUAGE_CODE="en")
def test_the_schema_and_docs_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_check_deploy_prints_no_warnings_with_production_settings(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_ENV}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-9f8e7d6c5b4a",
        ALLOWED_HOSTS="spasm.example.org",
        VAR_DIR=str(tmp_path),
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_check_deploy_warns_when_a_publish_could_not_reach_every_process(settings):
    from guidance.checks import published_content_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in published_content_cache_is_shared(None)] == ["guidance.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}
    assert published_content_cache_is_shared(None) == []


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(DEBUG="0", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_two_test_runs_in_one_checkout_use_different_sqlite_files(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the test database is a file only on SQLite")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    read = "from django.conf import settings; print(settings.DATABASES['default']['TEST']['NAME'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {read}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "backspasm.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    other_run = result.stdout.strip()
    assert other_run.endswith(".sqlite3")
    assert other_run != settings.DATABASES["default"]["TEST"]["NAME"]


def test_a_services_validation_error_becomes_a_400_with_field_errors():
    from django.core.exceptions import ValidationError as DjangoValidationError

    from backspasm.drf import exception_handler

    by_field = exception_handler(DjangoValidationError({"ended_at": ["Too early."]}), {})
    assert by_field.status_code == 400 and by_field.data == {"ended_at": ["Too early."]}
    unkeyed = exception_handler(DjangoValidationError("Nope."), {})
    assert unkeyed.status_code == 400 and unkeyed.data == {"non_field_errors": ["Nope."]}
