"""The visit summary a doctor can act on (issue 14, item 3): the headline, relief that made it
worse, the period's warning signs with dates, the PEG change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PatientFactory
from tracker import services
from tracker.summary import visit_summary

pytestmark = pytest.mark.django_db


def log(patient, *, days_ago: int, severity: int = 5, **details):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return services.episode_create(
        patient=patient,
        severity=severity,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1),
        **details,
    )


def summary(patient, days: int = 90):
    end = timezone.localdate()
    return visit_summary(patient=patient, start=end - datetime.timedelta(days=days - 1), end=end)


@pytest.fixture
def worsening(patient):
    """4 spasms averaging 4 in weeks 5-8, then 9 averaging 7 in the last 4 weeks."""
    for days_ago in (50, 45, 40, 33):
        log(patient, days_ago=days_ago, severity=4)
    for days_ago in range(27, 0, -3):
        log(patient, days_ago=days_ago, severity=7)
    return patient


def test_the_headline_counts_the_last_4_weeks_and_says_the_trend_with_its_numbers(worsening):
    assert summary(worsening).headline == (
        "9 spasms in the last 4 weeks, worsening: average 7.0 vs 4.0 the 4 weeks before "
        "(4 spasms then); no warning signs reported."
    )


def test_the_headline_names_the_warning_signs_of_the_period_with_their_date(worsening):
    log(worsening, days_ago=2, severity=6, red_flags=["fever"])
    log(worsening, days_ago=200, severity=6, red_flags=["weight_loss"])  # before the period
    day = timezone.localdate() - datetime.timedelta(days=2)
    headline = summary(worsening).headline
    assert headline.endswith(f"warning sign reported: Fever or feeling generally unwell on {day:%-d %b}.")
    assert "Weight loss" not in headline


def test_a_short_record_is_counted_since_it_began_and_no_trend_is_claimed(patient):
    log(patient, days_ago=9)
    log(patient, days_ago=2)
    began = timezone.localdate() - datetime.timedelta(days=9)
    assert summary(patient).headline == (
        f"2 spasms since {began:%-d %b}, when the record began, too early to tell whether it is "
        "getting better or worse; no warning signs reported."
    )


def test_one_spasm_is_singular_and_spanish_has_its_own_plurals(worsening):
    other = PatientFactory(email="uno@example.org")  # a single spasm, for the singular
    services.episode_create(patient=other, severity=3, started_at=timezone.now() - datetime.timedelta(days=1))
    assert summary(other).headline.startswith("1 spasm since ")
    with translation.override("es"):
        spanish = summary(worsening).headline
        single = summary(other).headline
    assert spanish.startswith("9 espasmos en las últimas 4 semanas, empeorando: media 7,0 frente a 4,0")
    assert "no se ha indicado ninguna señal de alarma" in spanish
    assert single.startswith("1 espasmo desde ")


def test_the_page_shows_what_made_it_worse_beside_what_helped(patient_client, patient):
    log(
        patient,
        days_ago=3,
        relief=[{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
    )
    log(patient, days_ago=1, relief=[{"measure": "stretching", "effect": "worse"}])
    page = patient_client.get(reverse("summary")).content.decode()
    assert "Heat: helped 1 of 1 times" in page
    assert "Stretching: made it worse 2 of 2 times" in page
    assert page.count("<h1") == 1 and "Doctor-visit summary" in page


def test_the_warning_signs_list_the_days_they_were_reported_on(patient):
    log(patient, days_ago=20, red_flags=["fever"])
    log(patient, days_ago=5, red_flags=["fever", "night_pain"])
    (fever, night) = sorted(summary(patient).red_flags, key=lambda row: row.value)
    today = timezone.localdate()
    assert fever.count == 2
    assert fever.days == [today - datetime.timedelta(days=5), today - datetime.timedelta(days=20)]
    assert night.days == [today - datetime.timedelta(days=5)]


def test_the_peg_change_is_first_against_last_and_marks_a_30_percent_change(patient):
    today = timezone.localdate()
    services.peg_record(
        patient=patient, date=today - datetime.timedelta(days=21), pain=6, enjoyment=6, activity=6
    )
    services.peg_record(
        patient=patient, date=today - datetime.timedelta(days=14), pain=5, enjoyment=5, activity=5
    )
    services.peg_record(patient=patient, date=today, pain=3, enjoyment=4, activity=5)
    change = summary(patient).peg_change
    assert change.change == -2.0 and change.important
    assert "down 2.0 (33%)" in change.sentence and "meaningful" in change.sentence
    services.peg_record(patient=patient, date=today, pain=5, enjoyment=6, activity=6)
    change = summary(patient).peg_change
    assert "down 0.3 (5%)" in change.sentence and "meaningful" not in change.sentence


def test_one_peg_has_no_change(patient):
    services.peg_record(patient=patient, pain=5, enjoyment=5, activity=5)
    assert summary(patient).peg_change is None


def test_the_api_summary_carries_the_headline(patient_api, worsening):
    body = patient_api.get("/api/summary/").json()
    assert body["headline"].startswith("9 spasms in the last 4 weeks, worsening")
