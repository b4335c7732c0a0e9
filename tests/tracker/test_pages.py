import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import EpisodeFactory
from tests.tracker.conftest import make_episodes
from tracker import services
from tracker.models import Episode

pytestmark = pytest.mark.django_db


def test_the_quick_log_saves_an_ongoing_episode_and_shows_guidance(patient_client, patient, guidance_content):
    response = patient_client.post(reverse("quick_log"), {"severity": "8"}, follow=True)
    episode = Episode.objects.get(patient=patient)
    assert episode.severity == 8 and episode.is_ongoing
    page = response.content.decode()
    assert "What to do now" in page
    assert "Alternate heat and ice, 15–20 minutes each" in page


def test_a_quick_log_without_a_valid_severity_saves_nothing_and_says_why(patient_client):
    response = patient_client.post(reverse("quick_log"), {"severity": "12"}, follow=True)
    assert Episode.objects.count() == 0
    assert "less than or equal to 10" in response.content.decode()


def test_the_home_page_shows_the_ongoing_episode_with_an_its_over_button(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=6)
    page = patient_client.get(reverse("home")).content.decode()
    assert "Spasm in progress" in page
    assert reverse("episode_end", args=[episode.pk]) in page


def test_ending_from_the_page(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=6)
    patient_client.post(reverse("episode_end", args=[episode.pk]))
    episode.refresh_from_db()
    assert not episode.is_ongoing


def test_a_bad_edit_shows_messages_at_the_fields_and_keeps_the_episode(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=6, notes="keep me")
    started = episode.started_at.astimezone(patient.zone).strftime("%Y-%m-%dT%H:%M")
    response = patient_client.post(
        reverse("episode_edit", args=[episode.pk]),
        {
            "severity": "6",
            "started_at": started,
            "ended_at": "2000-01-01T00:00",
            "locations": ["moon"],
            "notes": "x" * 5001,
        },
    )
    errors = response.context["form"].errors
    assert {"ended_at", "locations", "notes"} <= set(errors)
    episode.refresh_from_db()
    assert episode.notes == "keep me" and episode.ended_at is None


def test_script_in_notes_is_shown_as_text(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=3, notes="<script>alert('x')</script>")
    page = patient_client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_past_episode_is_logged_with_a_start_and_a_duration(patient_client, patient):
    start = (timezone.now() - datetime.timedelta(days=2)).astimezone(patient.zone).strftime("%Y-%m-%dT%H:%M")
    response = patient_client.post(
        reverse("episode_log_past"),
        {"started_at": start, "duration_minutes": "90", "severity": "5", "triggers": ["sports"]},
    )
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.ended_at - episode.started_at == datetime.timedelta(minutes=90)


def test_a_past_episode_needs_a_duration_or_an_end(patient_client, patient):
    start = (timezone.now() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = patient_client.post(reverse("episode_log_past"), {"started_at": start, "severity": "5"})
    assert "duration_minutes" in response.context["form"].errors
    assert Episode.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("episode_detail", "get"),
        ("episode_edit", "get"),
        ("episode_edit", "post"),
        ("episode_end", "post"),
        ("episode_delete", "get"),
        ("episode_delete", "post"),
    ],
)
def test_another_patients_episode_is_a_404_on_every_page(patient_client, other_patient, name, method):
    theirs = EpisodeFactory(patient=other_patient, ended_at=None)
    response = getattr(patient_client, method)(reverse(name, args=[theirs.pk]), {"severity": "1"})
    assert response.status_code == 404
    assert Episode.objects.filter(pk=theirs.pk, ended_at__isnull=True).exists()


def test_exports_contain_only_the_patients_own_data(patient_client, patient, other_patient):
    EpisodeFactory(patient=patient, notes="=HYPERLINK(evil)")
    EpisodeFactory(patient=other_patient, notes="not yours")
    csv_text = patient_client.get(reverse("export_csv")).content.decode()
    assert "'=HYPERLINK(evil)" in csv_text and "not yours" not in csv_text
    data = json.loads(patient_client.get(reverse("export_json")).content)
    assert data["account"]["email"] == patient.email
    assert [e["notes"] for e in data["episodes"]] == ["=HYPERLINK(evil)"]


def test_the_summary_pdf_is_a_pdf(patient_client, patient):
    EpisodeFactory(patient=patient, severity=9)
    response = patient_client.get(reverse("summary_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_summary_answers_the_four_questions(patient_client, patient):
    services.episode_create(
        patient=patient,
        severity=7,
        started_at=timezone.now() - datetime.timedelta(days=3),
        ended_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=1),
        relief=[{"measure": "heat", "effect": "much"}],
        red_flags=["fever"],
    )
    page = patient_client.get(reverse("summary")).content.decode()
    for question in [
        "How severe is it?",
        "How often does it flare up?",
        "What relieves it?",
        "When did it start?",
    ]:
        assert question in page
    assert "Heat: helped 1 of 1 times" in page
    assert "Fever or feeling generally unwell" in page


def test_the_summary_lists_each_episode_of_the_period_in_the_patients_time_zone(patient_client, patient):
    patient.time_zone = "America/Mexico_City"
    patient.save()
    started = (timezone.now() - datetime.timedelta(days=5)).replace(hour=3, minute=7, second=0, microsecond=0)
    services.episode_create(
        patient=patient,
        severity=7,
        started_at=started,
        ended_at=started + datetime.timedelta(hours=2, minutes=5),
        locations=["lower_back_left", "leg_left"],
        triggers=["unknown"],
        red_flags=["fever"],
    )
    services.episode_create(patient=patient, severity=3, started_at=started + datetime.timedelta(days=1))
    long_ago = timezone.now() - datetime.timedelta(days=200)
    services.episode_create(patient=patient, severity=9, started_at=long_ago, ended_at=long_ago)

    page = patient_client.get(reverse("summary")).content.decode()
    table = page.split('class="episode-table')[1].split("</table>")[0]
    table = re.sub(r' data-label="[^"]*"', "", table)  # the column names a phone shows in each card
    local = started.astimezone(patient.zone)
    assert (
        f"<tr><td>{local.day} {local:%b %Y %H:%M}</td><td>7</td><td>2 h 05 min</td>"
        "<td>Left leg, Lower back, left</td><td>I don&#x27;t know</td>"
        "<td>Fever or feeling generally unwell</td></tr>"
    ) in table
    assert "<td>3</td><td>ongoing</td>" in table
    assert table.count("<tr><td>") == 2  # the episode from 200 days ago is outside the period


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_summary_table_writes_each_start_as_the_date_filter_would(language):
    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from tracker.summary import SummaryEpisode
    from tracker.templatetags.tracker import episode_table_rows

    starts = [
        datetime.datetime(2026, month, 1 + month * 2, (month * 5) % 24, month * 4, tzinfo=datetime.UTC)
        for month in range(1, 13)
    ] + [datetime.datetime(2027, 1, 1, 3, 0, tzinfo=datetime.UTC)]  # still 2026 in Mexico City
    episodes = [SummaryEpisode(started_at=start, ended_at=None, severity=1) for start in starts]
    with translation.override(language), timezone.override("America/Mexico_City"):
        written = [row.started_at for row in episode_table_rows(episodes)]
        expected = [date_filter(timezone.localtime(start), "j M Y H:i") for start in starts]
    assert written == expected


def test_deleting_the_account_needs_the_password_then_removes_everything(patient_client, patient, password):
    EpisodeFactory(patient=patient)
    wrong = patient_client.post(reverse("account_delete"), {"password": "nope"})
    assert "Nothing was deleted" in wrong.content.decode()
    assert Episode.objects.count() == 1
    patient_client.post(reverse("account_delete"), {"password": password})
    assert not User.objects.filter(pk=patient.pk).exists()
    assert Episode.objects.count() == 0


@pytest.mark.parametrize("name", ["home", "history", "summary"])
def test_page_queries_do_not_grow_from_10_to_2000_episodes(
    patient_client, patient, guidance_content, django_assert_max_num_queries, name
):
    make_episodes(patient, 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert patient_client.get(reverse(name)).status_code == 200
    make_episodes(patient, 1990)
    with django_assert_max_num_queries(len(small.captured_queries)):
        patient_client.get(reverse(name))


def test_the_summary_lists_each_medicine_once_however_many_episodes_name_it(patient_client, patient):
    now = timezone.now()
    for hours in range(60):
        EpisodeFactory(
            patient=patient,
            medications="Ibuprofen 400 mg",
            started_at=now - datetime.timedelta(hours=hours + 1),
        )
    EpisodeFactory(
        patient=patient, medications="Diazepam 2 mg", started_at=now - datetime.timedelta(hours=70)
    )
    summary = patient_client.get(reverse("summary")).context["summary"]
    assert summary.medications == ["Diazepam 2 mg", "Ibuprofen 400 mg"]


def test_the_charts_draw_in_spanish_too(patient_client, patient):
    """SVG coordinates are numbers with a dot whatever the language (2,5 is not a length)."""
    patient.language = "es"
    patient.save()
    for days_ago, severity in ((3, 4), (10, 7), (11, 5)):
        EpisodeFactory(
            patient=patient, severity=severity, started_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    page = patient_client.get(reverse("history"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<rect" in page and "<circle" in page
    coordinates = re.findall(r'\b(?:x|y|cx|cy|width|height)="([^"]*)"', page)
    assert coordinates and not [value for value in coordinates if "," in value]
