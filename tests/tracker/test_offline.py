"""The pieces the installable app reads to work offline (issue 15): the service worker at
the site root, the app shell page, the published guidance JSON, and log out clearing what
the browser kept."""

import json
import re

import pytest
from django.urls import reverse

from tracker.models import Episode

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_as_javascript_and_never_from_a_stale_copy(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    config = json.loads(re.match(r"self\.SPASM_SW = (.*);\n", response.content.decode()).group(1))
    assert config["shell"] == "/offline/" and config["guidance"] == "/offline/guidance.json"
    assert "/static/js/offline.js" in config["precache"] and "/static/css/app.css" in config["precache"]
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    assert 'addEventListener("fetch"' in response.content.decode()


def test_the_worker_version_changes_when_a_shell_file_changes(client, monkeypatch):
    from backspasm import pwa

    before = pwa.worker_config()["version"]
    original = pwa._read
    monkeypatch.setattr(
        pwa, "_read", lambda name: original(name) + (b"/* new */" if name == "js/offline.js" else b"")
    )
    assert pwa.worker_config()["version"] != before


def test_patient_pages_load_the_offline_scripts_with_the_accounts_scope(patient_client, patient):
    page = patient_client.get("/").content.decode()
    assert '<script src="/static/js/offline-queue.js" defer></script>' in page
    assert f'data-user="{patient.pk}"' in page and 'data-worker="/sw.js"' in page
    assert 'data-guidance="/offline/guidance.json?lang=en"' in page
    assert 'role="status" data-offline-status' in page


def test_visitors_and_clinicians_get_no_offline_scripts(client, clinician):
    assert "offline.js" not in client.get("/").content.decode()
    client.force_login(clinician)
    assert "offline.js" not in client.get("/").content.decode()


def test_the_shell_holds_the_quick_log_and_no_health_data(patient_client, patient):
    Episode.objects.create(patient=patient, severity=9, notes="<b>private note</b>")
    response = patient_client.get("/offline/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "I'm having a spasm now" in page and 'action="/episodes/quick/"' in page
    assert 'name="daily-had_spasm"' in page and 'action="/checkin/"' in page
    assert "private note" not in page and "Recent episodes" not in page and "Pat" not in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_shell_spends_no_flash_message(patient_client):
    patient_client.post("/episodes/quick/", {"severity": 4})
    patient_client.get("/offline/")
    assert "Saved. Here is what to do now." in patient_client.get("/").content.decode()


def test_the_shell_is_for_signed_in_patients_only(client, clinician):
    assert client.get("/offline/")["Location"].startswith("/accounts/login/")
    client.force_login(clinician)
    assert client.get("/offline/").status_code == 404


def test_the_offline_guidance_is_public_cacheable_and_in_the_language_asked(client, guidance_content):
    response = client.get("/offline/guidance.json?lang=es")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    data = response.json()
    assert data["language"] == "es" and data["emergency_number"] == "112" and data["release"]
    assert data["signs"][0]["prompt"] == "red_flag_emergency"
    assert {sign["slug"] for sign in data["signs"]} >= {"saddle_numbness", "fever"}
    assert {s["prompt"] for s in data["signs"] if s["slug"] == "fever"} == {"red_flag_urgent"}
    assert data["prompts"]["red_flag_emergency"]["urgency"] == "emergency"
    assert data["steps"][0]["key"] == "get_to_chair"
    assert data["steps"][0]["title"] == "Ve a una silla o un sofá cómodos"
    assert data["words"]["call"] == "Llama ya al 112"
    assert data["words"]["saved"].startswith("Guardado en este teléfono")


def test_an_unknown_language_gets_english(client, guidance_content):
    data = client.get("/offline/guidance.json?lang=<script>").json()
    assert data["language"] == "en" and data["steps"][0]["title"] == "Get to a comfortable chair or sofa"


def test_before_any_publish_the_offline_guidance_still_has_the_safety_floor(client):
    data = client.get("/offline/guidance.json").json()
    assert data["release"] == ""
    assert data["prompts"]["red_flag_emergency"]["urgency"] == "emergency"
    assert [step["key"] for step in data["steps"]] == ["rest_take_it_easy"]


def test_log_out_tells_the_browser_to_drop_its_caches_and_storage(patient_client):
    response = patient_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_the_account_drops_the_browsers_copies_too(patient_client, password):
    response = patient_client.post(reverse("account_delete"), {"password": password})
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_manifest_says_its_language_and_identity():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    manifest = json.loads(Path(finders.find("manifest.json")).read_text(encoding="utf-8"))
    assert manifest["lang"] == "en" and manifest["id"] == "/" and manifest["scope"] == "/"
    assert manifest["background_color"] and manifest["theme_color"]
