"""A clinician's view of one linked patient: the whole timeline page by page, and the
summary and charts over the period the clinician chooses."""

import datetime

import pytest
from django.utils import timezone

from clinicians.models import AccessLogEntry
from clinicians.views import TIMELINE_PAGE_SIZE
from tests.factories import EpisodeFactory
from tracker.models import Episode

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_the_timeline_pages_through_every_episode_newest_first(clinician_client, patient, link):
    now = timezone.now()
    Episode.objects.bulk_create(
        Episode(patient=patient, severity=3, started_at=now - (i + 1) * DAY, ended_at=now - i * DAY)
        for i in range(TIMELINE_PAGE_SIZE + 5)
    )
    url = f"/clinician/patients/{patient.pk}/"
    first = clinician_client.get(url).content.decode()
    assert first.count('<li class="timeline-episode') == TIMELINE_PAGE_SIZE
    assert 'href="?page=2#timeline-heading"' in first and "Previous page" not in first
    second = clinician_client.get(url + "?page=2").content.decode()
    assert second.count('<li class="timeline-episode') == 5
    oldest = now - (TIMELINE_PAGE_SIZE + 5) * DAY
    assert f"{oldest.day} {oldest:%b %Y}" in second
    assert 'href="?page=1#timeline-heading"' in second and "Next page" not in second
    assert AccessLogEntry.objects.filter(patient=patient, action="viewed").count() == 2


def test_paging_keeps_the_chosen_period(clinician_client, patient, link):
    now = timezone.now()
    Episode.objects.bulk_create(
        Episode(patient=patient, severity=3, started_at=now - (i + 1) * DAY, ended_at=now - i * DAY)
        for i in range(TIMELINE_PAGE_SIZE + 1)
    )
    page = clinician_client.get(
        f"/clinician/patients/{patient.pk}/?start=2020-01-01&end=2020-12-31"
    ).content.decode()
    assert 'href="?start=2020-01-01&amp;end=2020-12-31&amp;page=2#timeline-heading"' in page


def test_an_impossible_page_shows_the_last_one(clinician_client, patient, link):
    EpisodeFactory(patient=patient)
    response = clinician_client.get(f"/clinician/patients/{patient.pk}/?page=99")
    assert response.status_code == 200
    assert response.content.decode().count('<li class="timeline-episode') == 1


def test_the_summary_and_charts_cover_the_chosen_period(clinician_client, patient, link):
    now = timezone.now()
    EpisodeFactory(patient=patient, started_at=now - 150 * DAY, severity=6)
    EpisodeFactory(patient=patient, started_at=now - 5 * DAY, severity=4)
    url = f"/clinician/patients/{patient.pk}/"
    default = clinician_client.get(url)
    assert default.context["stats"].episode_count == 1
    assert "1 episode in 90 days" in default.content.decode()

    today = timezone.localdate()
    start = today - 179 * DAY
    chosen = clinician_client.get(url, {"start": start.isoformat(), "end": today.isoformat()})
    assert (chosen.context["stats"].start, chosen.context["stats"].end) == (start, today)
    assert chosen.context["stats"].episode_count == 2
    page = chosen.content.decode()
    assert "2 episodes in 151 days" in page  # the record began 150 days ago, inside the 180
    assert f'value="{start.isoformat()}"' in page  # the form shows the period it chose
    assert f"summary.pdf?start={start.isoformat()}&amp;end={today.isoformat()}" in page


def test_a_period_ending_before_it_starts_is_explained_and_the_default_shown(clinician_client, patient, link):
    response = clinician_client.get(f"/clinician/patients/{patient.pk}/?start=2024-05-10&end=2024-05-01")
    assert "The end of the period must be after its start." in response.content.decode()
    assert response.context["stats"].end == timezone.localdate()


def test_the_pdf_export_covers_the_chosen_period(clinician_client, patient, link, monkeypatch):
    periods = []

    def fake_pdf(*, patient, start, end):  # the period is what is under test, not WeasyPrint
        periods.append((start, end))
        return b"%PDF-1.7"

    monkeypatch.setattr("clinicians.views.summary_pdf", fake_pdf)
    response = clinician_client.get(
        f"/clinician/patients/{patient.pk}/summary.pdf?start=2024-01-01&end=2024-03-31"
    )
    assert response.status_code == 200
    assert periods == [(datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))]
    assert AccessLogEntry.objects.filter(patient=patient, action="exported_pdf").count() == 1


def test_the_timeline_costs_the_same_queries_for_a_page_of_one_and_a_full_page(
    clinician_client, patient, link, guidance_content, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    url = f"/clinician/patients/{patient.pk}/"
    EpisodeFactory(patient=patient, started_at=now - DAY)
    clinician_client.get(url)  # the published content is cached
    with CaptureQueriesContext(connection) as one:
        clinician_client.get(url)
    Episode.objects.bulk_create(
        # Ended ones: only one episode of a patient may be ongoing.
        Episode(
            patient=patient, severity=i % 11, started_at=now - (i + 2) * DAY, ended_at=now - (i + 2) * DAY
        )
        for i in range(TIMELINE_PAGE_SIZE)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = clinician_client.get(url).content.decode()
    assert page.count('<li class="timeline-episode') == TIMELINE_PAGE_SIZE
