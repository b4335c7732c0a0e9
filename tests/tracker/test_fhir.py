"""The FHIR bundle carries the clinical facts (issue 14, item 4), and a patient downloads
their own: only theirs."""

import datetime
import json

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from tracker import services
from tracker.fhir import patient_bundle

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def resources(patient) -> dict:
    bundle = Bundle.model_validate(patient_bundle(patient=patient))
    return {entry.resource.id: entry.resource for entry in bundle.entry}


def components(observation) -> dict[str, object]:
    return {
        c.code.text: c.valueBoolean
        if c.valueBoolean is not None
        else c.valueInteger
        if c.valueInteger is not None
        else c.valueCodeableConcept.text
        for c in observation.component
    }


@pytest.fixture
def episode(patient):
    now = timezone.now()
    episode = services.episode_create(
        patient=patient,
        severity=7,
        started_at=now - 2 * DAY,
        ended_at=now - 2 * DAY + datetime.timedelta(hours=2),
        locations=["lower_back_left", "leg_left"],
        triggers=["heavy_lifting", "unknown"],
        relief=[{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
        notes="<script>alert(1)</script>",
    )
    services.episode_red_flags_record(episode=episode, red_flags=["fever"])
    return episode


def test_it_validates_as_r4b_and_links_each_episodes_facts_from_a_panel(patient, episode):
    found = resources(patient)
    panel = found[f"episode-{episode.pk}-panel"]
    assert (
        panel.code.coding[0].system == "http://snomed.info/sct" and panel.code.coding[0].code == "279039007"
    )
    bundle = patient_bundle(patient=patient)
    urls = {entry["fullUrl"]: entry["resource"]["id"] for entry in bundle["entry"]}
    assert sorted(urls[member.reference] for member in panel.hasMember) == sorted(
        f"episode-{episode.pk}{suffix}" for suffix in ("", "-warning-signs", "-triggers", "-relief")
    )
    assert panel.note[0].text == "<script>alert(1)</script>"  # data, escaped by whoever renders it
    severity = found[f"episode-{episode.pk}"]
    assert severity.code.coding[0].code == "72514-3" and severity.valueInteger == 7
    assert "Left leg" in severity.bodySite.text


def test_warning_signs_carry_the_none_answers_once_the_patient_answered(patient, episode):
    signs = components(resources(patient)[f"episode-{episode.pk}-warning-signs"])
    assert len(signs) == 8
    assert signs["Fever or feeling generally unwell"] is True
    assert [label for label, present in signs.items() if present] == ["Fever or feeling generally unwell"]


def test_an_unanswered_warning_sign_question_gives_no_none_answers(patient):
    episode = services.episode_create(patient=patient, severity=3)
    assert f"episode-{episode.pk}-warning-signs" not in resources(patient)
    services.episode_red_flags_record(episode=episode, red_flags=[])
    signs = components(resources(patient)[f"episode-{episode.pk}-warning-signs"])
    assert len(signs) == 8 and not any(signs.values())


def test_triggers_and_relief_with_its_effect(patient, episode):
    found = resources(patient)
    triggers = found[f"episode-{episode.pk}-triggers"]
    assert sorted(c.valueCodeableConcept.text for c in triggers.component) == [
        "Heavy lifting",
        "I don't know",
    ]
    assert components(found[f"episode-{episode.pk}-relief"]) == {
        "Heat": "Helped a lot",
        "Stretching": "Made it worse",
    }


def test_low_back_pain_is_coded_only_when_it_was_in_the_lower_back(patient):
    episode = services.episode_create(patient=patient, severity=4, locations=["upper_back"])
    panel = resources(patient)[f"episode-{episode.pk}-panel"]
    assert panel.code.coding is None and panel.code.text


def test_peg_is_one_observation_with_three_components(patient):
    peg = services.peg_record(patient=patient, pain=6, enjoyment=5, activity=4)
    observation = resources(patient)[f"peg-{peg.pk}"]
    assert sorted(components(observation).values()) == [4, 5, 6]
    assert float(observation.valueQuantity.value) == 5.0


def test_every_observation_says_when_it_was_last_updated(patient, episode):
    services.peg_record(patient=patient, pain=6, enjoyment=5, activity=4)
    found = resources(patient)
    observations = [r for r in found.values() if r.__resource_type__ == "Observation"]
    assert len(observations) == 6
    assert all(r.meta.lastUpdated is not None for r in observations)
    episode.refresh_from_db()
    assert found[f"episode-{episode.pk}"].meta.lastUpdated == episode.updated_at


def test_the_patient_resource_holds_no_more_than_the_account(patient):
    (resource,) = [r for r in resources(patient).values() if r.__resource_type__ == "Patient"]
    data = json.loads(resource.model_dump_json(exclude_none=True))
    assert set(data) == {"resourceType", "id", "name", "telecom", "communication"}
    assert data["name"] == [{"text": "Pat"}] and data["telecom"][0]["value"] == "pat@example.org"
    patient.display_name = ""
    patient.save()
    (resource,) = [r for r in resources(patient).values() if r.__resource_type__ == "Patient"]
    assert resource.name is None


def test_the_bundle_costs_the_same_queries_for_1_and_40_episodes(patient, django_assert_max_num_queries):
    services.episode_create(patient=patient, severity=5, triggers=["sports"])
    with django_assert_max_num_queries(6):
        patient_bundle(patient=patient)
    for day in range(1, 40):
        services.episode_create(
            patient=patient,
            severity=5,
            started_at=timezone.now() - day * DAY,
            ended_at=timezone.now() - day * DAY + datetime.timedelta(hours=1),
            relief=[{"measure": "ice", "effect": "some"}],
        )
    with django_assert_max_num_queries(6):
        patient_bundle(patient=patient)


def test_a_patient_downloads_their_own_bundle_and_nothing_of_anyone_else(
    patient_client, patient, other_patient, episode
):
    theirs = services.episode_create(patient=other_patient, severity=9, notes="Olga's private note")
    page = patient_client.get("/my-data/")
    assert 'href="/my-data/fhir.json"' in page.content.decode()
    response = patient_client.get("/my-data/fhir.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    Bundle.model_validate_json(body)
    assert f"episode-{episode.pk}-panel" in body
    assert f"episode-{theirs.pk}" not in body and "Olga" not in body and "olga@" not in body


def test_the_api_gives_a_patient_their_own_bundle(patient_api, patient, other_patient, episode):
    services.episode_create(patient=other_patient, severity=9, notes="Olga's private note")
    response = patient_api.get("/api/fhir/")
    assert response.status_code == 200
    bundle = Bundle.model_validate(response.json())
    ids = {entry.resource.id for entry in bundle.entry}
    assert f"episode-{episode.pk}-relief" in ids
    assert "Olga" not in response.content.decode()


def test_the_patient_download_is_404_for_a_clinician_and_asks_a_stranger_to_log_in(
    client, api_client, clinician
):
    assert client.get("/my-data/fhir.json").status_code == 302
    assert api_client.get("/api/fhir/").status_code == 401
    client.force_login(clinician)
    assert client.get("/my-data/fhir.json").status_code == 404
    api_client.force_authenticate(clinician)
    assert api_client.get("/api/fhir/").status_code == 404
