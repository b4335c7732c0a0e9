import datetime

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from accounts.models import User
from clinicians import selectors
from clinicians.models import CareLink, PatientReview
from clinicians.selectors import dashboard
from tests.factories import EpisodeFactory, PatientFactory
from tracker import services
from tracker.fhir import patient_bundle
from tracker.models import Episode, PatientFacts, PegCheckIn
from tracker.patient_facts import patient_facts_compute

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def linked(clinician, name: str):
    patient = PatientFactory(display_name=name)
    CareLink.objects.create(patient=patient, clinician=clinician)
    return patient


def test_the_dashboard_orders_by_need_of_attention_and_says_why(clinician):
    calm = linked(clinician, "Calm")
    EpisodeFactory(patient=calm, started_at=NOW - 2 * DAY, severity=2)
    PatientReview.objects.create(patient=calm, clinician=clinician, last_viewed_at=timezone.now())
    flagged = linked(clinician, "Flagged")
    services.episode_create(patient=flagged, severity=5, red_flags=["bladder_bowel"], started_at=NOW - DAY)
    frequent = linked(clinician, "Frequent")
    for days in range(1, 6):
        EpisodeFactory(patient=frequent, started_at=NOW - days * DAY, severity=4)
    worse = linked(clinician, "Worse")
    EpisodeFactory(patient=worse, started_at=NOW - 40 * DAY, severity=2)
    EpisodeFactory(patient=worse, started_at=NOW - 3 * DAY, severity=8)
    chronic = linked(clinician, "Chronic")
    EpisodeFactory(patient=chronic, started_at=NOW - 100 * DAY, severity=3)
    EpisodeFactory(patient=chronic, started_at=NOW - 10 * DAY, severity=3)
    EpisodeFactory(patient=PatientFactory(display_name="Not linked"), severity=10)

    rows = dashboard(clinician=clinician)
    assert [str(r.patient) for r in rows] == ["Flagged", "Worse", "Frequent", "Chronic", "Calm"]
    assert rows[0].flags[0] == ("red_flag", "Warning sign in the last 30 days")
    assert rows[1].trend == "worsening"
    assert rows[2].episodes_30d == 5
    assert rows[-1].flags == []
    assert [str(r.patient) for r in dashboard(clinician=clinician, flag="chronic")] == ["Chronic"]
    assert [str(r.patient) for r in dashboard(clinician=clinician, search="freq")] == ["Frequent"]


def test_chronic_means_a_problem_of_12_weeks_or_more_still_active_in_the_last_30_days(clinician):
    ongoing = linked(clinician, "Ongoing")
    EpisodeFactory(patient=ongoing, started_at=NOW - 13 * 7 * DAY, severity=3)
    EpisodeFactory(patient=ongoing, started_at=NOW - 29 * DAY, severity=3)
    settled = linked(clinician, "Settled")
    EpisodeFactory(patient=settled, started_at=NOW - 200 * DAY, severity=3)
    EpisodeFactory(patient=settled, started_at=NOW - 31 * DAY, severity=3)
    recent = linked(clinician, "Recent")
    EpisodeFactory(patient=recent, started_at=NOW - 11 * 7 * DAY, severity=3)
    EpisodeFactory(patient=recent, started_at=NOW - DAY, severity=3)
    flags = {str(row.patient): [key for key, _label in row.flags] for row in dashboard(clinician=clinician)}
    assert "chronic" in flags["Ongoing"]
    assert "chronic" not in flags["Settled"] and "chronic" not in flags["Recent"]


def test_new_episodes_since_the_last_look_are_counted(clinician):
    patient = linked(clinician, "P")
    PatientReview.objects.create(patient=patient, clinician=clinician, last_viewed_at=NOW - DAY)
    EpisodeFactory(patient=patient)
    assert dashboard(clinician=clinician)[0].new_since_look == 1


def test_an_unverified_clinician_sees_no_one(clinician):
    linked(clinician, "P")
    clinician.clinician_verified_at = None
    assert dashboard(clinician=clinician) == []


def test_the_second_page_continues_in_order_of_attention_with_each_patients_details(
    clinician_client, clinician
):
    for i in range(3):
        flagged = linked(clinician, f"Flagged {i}")
        services.episode_create(patient=flagged, severity=5, red_flags=["fever"], started_at=NOW - DAY)
    # One page and two rows: the calm ones after the flagged, in order of name.
    calm = User.objects.bulk_create(
        User(email=f"calm{i}@example.org", display_name=f"Calm {i:02d}")
        for i in range(selectors.DASHBOARD_PAGE_SIZE - 1)
    )
    CareLink.objects.bulk_create(CareLink(patient=p, clinician=clinician) for p in calm)
    EpisodeFactory(patient=calm[-1], started_at=NOW - 40 * DAY, severity=2)
    PegCheckIn.objects.create(patient=calm[-1], date=NOW.date(), pain=5, enjoyment=4, activity=3)
    PatientReview.objects.bulk_create(
        PatientReview(patient=p, clinician=clinician, last_viewed_at=timezone.now()) for p in calm
    )

    first = clinician_client.get("/clinician/").content.decode()
    second = clinician_client.get("/clinician/?page=2").content.decode()
    last_two = [f"Calm {i:02d}" for i in range(len(calm) - 2, len(calm))]
    assert first.index("Flagged 2") < first.index("Calm 00") and last_two[0] not in first
    assert "Page 2 of 2" in second and second.count('class="card patient-row') == 2
    assert second.index(last_two[0]) < second.index(last_two[1])
    row = second[second.index(last_two[1]) :]
    last = NOW - 40 * DAY
    assert f"<dd>{last.day} {last:%b %Y} (" in row and "<dd>4.0</dd>" in row


def test_the_dashboard_costs_the_same_queries_for_1_and_500_patients(
    clinician_client, clinician, django_assert_num_queries
):
    linked(clinician, "First")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert clinician_client.get("/clinician/").status_code == 200
    patients = User.objects.bulk_create(
        User(email=f"p{i}@example.org", display_name=f"P{i}") for i in range(499)
    )
    CareLink.objects.bulk_create(CareLink(patient=p, clinician=clinician) for p in patients)
    Episode.objects.bulk_create(Episode(patient=p, severity=5, started_at=NOW - DAY) for p in patients)
    # The facts rows the services keep (bulk_create goes around them).
    PatientFacts.objects.bulk_create(patient_facts_compute(patient_id=p.pk) for p in patients)
    PegCheckIn.objects.bulk_create(
        PegCheckIn(patient=p, date=NOW.date(), pain=5, enjoyment=4, activity=3) for p in patients
    )
    with django_assert_num_queries(len(one.captured_queries)):
        page = clinician_client.get("/clinician/")
    assert (
        page.content.decode().count('class="card patient-row') == selectors.DASHBOARD_PAGE_SIZE
    )  # the first page
    assert "500 patients share their record with you" in page.content.decode()


def test_the_fhir_bundle_parses_with_fhir_resources(patient):
    services.episode_create(
        patient=patient,
        severity=7,
        started_at=NOW - 2 * DAY,
        ended_at=NOW - 2 * DAY + datetime.timedelta(hours=2),
        locations=["lower_back_left", "leg_left"],
    )
    services.peg_record(patient=patient, date=NOW.date(), pain=6, enjoyment=5, activity=4)
    bundle = Bundle.model_validate(patient_bundle(patient=patient))
    resources = [entry.resource for entry in bundle.entry]
    assert resources[0].__resource_type__ == "Patient"
    severity = resources[1]
    assert severity.code.coding[0].system == "http://loinc.org" and severity.code.coding[0].code == "72514-3"
    assert severity.valueInteger == 7 and severity.effectivePeriod.end is not None
    assert "Left leg" in severity.bodySite.text
    (peg,) = [r for r in resources if r.id.startswith("peg-")]
    assert sorted(c.valueInteger for c in peg.component) == [4, 5, 6]


def test_the_api_lists_linked_patients_with_flags(api_client, clinician, patient, other_patient):
    CareLink.objects.create(patient=patient, clinician=clinician)
    services.episode_create(patient=patient, severity=5, red_flags=["fever"])
    api_client.force_authenticate(clinician)
    body = api_client.get("/api/patients/").json()
    assert [(row["id"], row["flags"][0]) for row in body["results"]] == [(patient.pk, "red_flag")]
    assert api_client.get(f"/api/patients/{other_patient.pk}/episodes/").status_code == 404
    episodes = api_client.get(f"/api/patients/{patient.pk}/episodes/").json()
    assert episodes["count"] == 1 and episodes["results"][0]["red_flags"] == ["fever"]
    assert (
        api_client.get(f"/api/patients/{patient.pk}/summary/").json()["red_flags"][0]["red_flag"] == "fever"
    )
    # The period, as the patient's own /api/summary/ takes it; a bad date is a 400 naming it.
    last_year = api_client.get(
        f"/api/patients/{patient.pk}/summary/", {"from": "2025-01-01", "to": "2025-12-31"}
    )
    assert last_year.json()["from"] == "2025-01-01" and last_year.json()["frequency"]["episodes"] == 0
    bad = api_client.get(f"/api/patients/{patient.pk}/summary/", {"from": "yesterday"})
    assert bad.status_code == 400 and "from" in bad.json()


def test_the_api_filters_patients_like_the_dashboard(api_client, clinician):
    flagged = linked(clinician, "Flora Flagged")
    services.episode_create(patient=flagged, severity=5, red_flags=["fever"], started_at=NOW - DAY)
    calm = linked(clinician, "Carl Calm")
    EpisodeFactory(patient=calm, started_at=NOW - 2 * DAY, severity=2)
    api_client.force_authenticate(clinician)

    def names(query: str) -> list[str]:
        response = api_client.get(f"/api/patients/{query}")
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert names("") == ["Flora Flagged", "Carl Calm"]
    assert names("?q=carl") == ["Carl Calm"]
    assert names("?flag=red_flag") == ["Flora Flagged"]
    assert names("?q=carl&flag=red_flag") == []


def test_the_api_lists_patients_a_page_at_a_time_in_the_same_queries_whatever_the_page_size(
    api_client, clinician, django_assert_num_queries, monkeypatch
):
    for index in range(5):
        EpisodeFactory(patient=linked(clinician, f"Patient {index}"), started_at=NOW - DAY, severity=index)
    api_client.force_authenticate(clinician)
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 2)
    # The ranking (1: the patients with their facts rows and their flags' probes), the rows
    # of this page (2).
    with django_assert_num_queries(3):
        first = api_client.get("/api/patients/").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    third = api_client.get("/api/patients/?page=3").json()
    assert len(third["results"]) == 1 and third["next"] is None
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 5)
    with django_assert_num_queries(3):
        assert len(api_client.get("/api/patients/").json()["results"]) == 5


def test_the_api_answers_an_unknown_flag_with_a_field_error(api_client, clinician):
    linked(clinician, "P")
    api_client.force_authenticate(clinician)
    response = api_client.get("/api/patients/?flag=bogus")
    assert response.status_code == 400 and list(response.json()) == ["flag"]


def test_the_schema_documents_the_patient_list_filters(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/patients/"]["get"]["parameters"]}
    assert set(parameters) >= {"q", "flag"}
    flags = {"red_flag", "worse_follow_up", "worsening", "frequent", "chronic", "new"}
    assert set(parameters["flag"]["schema"]["enum"]) == flags


def test_the_digest_names_flagged_patients_from_the_ranking_alone(clinician, django_assert_num_queries):
    from clinicians.selectors import patients_needing_attention

    for index in range(3):
        flagged = linked(clinician, f"Flagged {index}")
        services.episode_create(patient=flagged, severity=5, red_flags=["fever"], started_at=NOW - DAY)
    linked(clinician, "Quiet")
    with django_assert_num_queries(1):  # the ranking's one query; no dashboard rows are built
        names = patients_needing_attention(clinician=clinician)
    assert sorted(names) == ["Flagged 0", "Flagged 1", "Flagged 2"]


def test_episodes_written_around_the_services_still_rank_and_flag(clinician):
    """No facts row (a bulk import): the ranking works the row out for that patient."""
    patient = linked(clinician, "Imported")
    Episode.objects.bulk_create(
        Episode(patient=patient, severity=8, started_at=NOW - i * DAY, ended_at=NOW - i * DAY)
        for i in range(1, 6)
    )
    assert not PatientFacts.objects.filter(patient=patient).exists()
    [rank] = selectors.dashboard_ranking(clinician=clinician)
    assert rank.episodes_30d == 5 and "frequent" in rank.flags and rank.recent_avg == 8
