"""History and summary lead with figures and charts; the period is a compact control; the
calendar opens on the latest month with data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker import services

pytestmark = pytest.mark.django_db


def log(patient, *, days_ago: int):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    services.episode_create(
        patient=patient, severity=6, started_at=start, ended_at=start + datetime.timedelta(hours=1)
    )


def test_the_calendar_opens_on_the_latest_month_with_an_episode(patient_client, patient):
    log(patient, days_ago=70)
    latest = timezone.localtime(timezone.now() - datetime.timedelta(days=70), patient.zone)
    page = patient_client.get(reverse("history")).content.decode()
    assert f'<h2 id="calendar-heading">{latest:%B %Y}</h2>' in page


def test_the_calendar_opens_on_the_chosen_month_when_one_is_asked_for(patient_client, patient):
    log(patient, days_ago=70)
    page = patient_client.get(reverse("history") + "?month=2020-02").content.decode()
    assert '<h2 id="calendar-heading">February 2020</h2>' in page


def test_history_leads_with_the_figures_and_charts_then_calendar_then_list(patient_client, patient):
    log(patient, days_ago=3)
    page = patient_client.get(reverse("history")).content.decode()
    positions = [
        page.index(marker)
        for marker in (
            'class="headline"',
            'id="charts-heading"',
            'id="calendar-heading"',
            'id="list-heading"',
        )
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", ["history", "summary"])
def test_the_period_choice_is_a_closed_compact_control(patient_client, patient, name):
    page = patient_client.get(reverse(name)).content.decode()
    assert '<details class="period-control' in page
    assert page.index('<details class="period-control') < page.index('name="start"')
    assert " open>" not in page.split('<details class="period-control')[1].split("<summary>")[0]


def test_a_bad_period_opens_the_control_to_show_the_error(patient_client):
    page = patient_client.get(reverse("history") + "?start=2026-05-10&end=2026-05-01").content.decode()
    assert page.split('<details class="period-control')[1].split("<summary>")[0].strip().endswith(" open>")
    assert "The end of the period must be after its start." in page
