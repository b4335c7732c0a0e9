"""The clinical picture at the top of the clinician's patient page, and the compact timeline:
the dashboard's flags with the facts behind them, "new since you last looked", relief that
helped and that made it worse, and one folded line of guidance per episode."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinicians.models import CareLink, PatientReview
from clinicians.picture import clinical_picture
from clinicians.selectors import dashboard
from guidance.models import ContentRelease
from tests.factories import ClinicianFactory, EpisodeFactory, PatientFactory
from tracker import services
from tracker.models import Episode
from tracker.selectors import history_stats

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def page_of(client, patient, **params) -> str:
    return client.get(f"/clinician/patients/{patient.pk}/", params).content.decode()


def test_the_pages_flags_are_the_dashboards(clinician_client, clinician):
    now = timezone.now()
    warned, chronic = PatientFactory(display_name="Wanda"), PatientFactory(display_name="Carl")
    for patient in (warned, chronic):
        CareLink.objects.create(patient=patient, clinician=clinician)
    services.episode_create(patient=warned, severity=7, red_flags=["fever"])
    for days in (2, 5, 9, 12):
        EpisodeFactory(patient=warned, started_at=now - days * DAY)
    EpisodeFactory(patient=chronic, started_at=now - 100 * DAY)
    EpisodeFactory(patient=chronic, started_at=now - 3 * DAY)

    on_dashboard = {
        row.patient.pk: [key for key, _label in row.flags] for row in dashboard(clinician=clinician)
    }
    for patient in (warned, chronic):
        picture = clinician_client.get(f"/clinician/patients/{patient.pk}/").context["picture"]
        assert [flag.key for flag in picture.flags] == on_dashboard[patient.pk]
    assert "red_flag" in on_dashboard[warned.pk] and "frequent" in on_dashboard[warned.pk]
    assert "chronic" in on_dashboard[chronic.pk]


def test_a_warning_sign_says_when_and_what_the_patient_was_told(
    clinician_client, patient, link, guidance_content
):
    services.episode_create(patient=patient, severity=8, red_flags=["saddle_numbness"])
    page = page_of(clinician_client, patient)
    assert "Warning sign in the last 30 days" in page
    assert "Numbness around the groin" in page.split('class="attention"')[1]
    assert "Told: “Seek medical care now: call your local emergency number" in page


def test_worsening_shows_the_averages_and_severities_behind_it(clinician_client, patient, link):
    now = timezone.now()
    for days in (40, 45, 50):
        EpisodeFactory(patient=patient, started_at=now - days * DAY, severity=3)
    for days, severity in ((20, 6), (15, 7), (10, 8), (5, 9)):
        EpisodeFactory(patient=patient, started_at=now - days * DAY, severity=severity)
    page = page_of(clinician_client, patient)
    assert "Getting worse" in page
    assert "Average severity 7.5/10 in the last 30 days against 3.0/10 in the 30 before." in page
    assert "Last 30 days, oldest first: 6, 7, 8, 9." in page


def test_new_since_the_last_look_counts_from_the_look_before_this_one(clinician_client, patient, link):
    now = timezone.now()
    seen = EpisodeFactory(patient=patient, started_at=now - 5 * DAY, severity=4)
    Episode.objects.filter(pk=seen.pk).update(created_at=now - 5 * DAY)
    PatientReview.objects.create(clinician=link.clinician, patient=patient, last_viewed_at=now - 2 * DAY)
    EpisodeFactory(patient=patient, started_at=now - DAY, severity=7)

    first = page_of(clinician_client, patient)
    assert "New episodes since you last looked" in first
    assert "1 logged since you looked on" in first and "(7/10)" in first.split('class="attention"')[1]
    again = page_of(clinician_client, patient)  # this look is the last one now
    assert "New episodes since you last looked" not in again
    assert "Nothing new since you looked on" in again


def test_relief_that_helped_and_relief_that_made_it_worse(clinician_client, patient, link):
    services.episode_create(
        patient=patient,
        severity=5,
        started_at=timezone.now() - DAY,
        ended_at=timezone.now() - DAY + datetime.timedelta(hours=2),
        relief=[{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
        triggers=["heavy_lifting"],
    )
    page = page_of(clinician_client, patient).split('class="picture-more"')[1]
    assert "Heat: helped 1 of 1" in page
    assert "Stretching: worse 1 of 1" in page
    assert "Heavy lifting: 1" in page


def test_an_empty_record_has_nothing_flagged(clinician_client, patient, link):
    page = page_of(clinician_client, patient)
    assert "Nothing flagged" in page and "No episodes recorded yet." in page


def test_the_picture_costs_the_same_queries_for_a_short_and_a_long_record(
    patient, clinician, link, django_assert_num_queries
):
    today = timezone.localdate()
    now = timezone.now()

    def measure() -> int:
        stats = history_stats(patient=patient, start=today - 90 * DAY, end=today)
        with CaptureQueriesContext(connection) as queries:
            clinical_picture(clinician=clinician, patient=patient, last_looked_at=None, stats=stats)
        return len(queries.captured_queries)

    EpisodeFactory(patient=patient, started_at=now - 3 * DAY)
    short = measure()
    Episode.objects.bulk_create(
        Episode(
            patient=patient, severity=i % 11, started_at=now - (i + 4) * DAY, ended_at=now - (i + 4) * DAY
        )
        for i in range(80)
    )
    assert measure() == short


def test_the_timeline_costs_the_same_queries_for_10_and_30_episodes(
    clinician_client, patient, link, guidance_content
):
    now = timezone.now()

    def add(count: int, offset: int) -> None:
        for i in range(count):
            started = now - (offset + i + 1) * DAY
            services.episode_create(
                patient=patient,
                severity=3 + i % 6,
                started_at=started,
                ended_at=started + datetime.timedelta(hours=1),
                locations=["lower_back_left"],
                relief=[{"measure": "heat", "effect": "some"}, {"measure": "ice", "effect": "worse"}],
            )

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = page_of(clinician_client, patient)
        return len(captured.captured_queries), page

    add(10, 0)
    page_of(clinician_client, patient)  # the published content is cached
    ten, page = queries()
    assert page.count('<details class="given">') == 10
    add(20, 10)
    thirty, page = queries()
    assert page.count('<details class="given">') == 30
    assert thirty == ten


def test_each_episode_is_one_line_with_its_guidance_folded_and_the_release_named(
    clinician_client, patient, link, guidance_content
):
    started = timezone.now() - DAY
    services.episode_create(
        patient=patient,
        severity=6,
        started_at=started,
        ended_at=started + datetime.timedelta(minutes=95),
        locations=["leg_left"],
        relief=[{"measure": "ice", "effect": "worse"}, {"measure": "massage", "effect": "much"}],
    )
    release = ContentRelease.objects.latest("id")
    page = page_of(clinician_client, patient)
    line = page.split('<li class="timeline-episode')[1].split("</li>\n")[0]
    assert "1 h 35 min" in line and "Left leg" in line
    assert "Helped: Massage (a lot)" in line and "Made it worse: Ice" in line
    assert line.count("<details") == 1
    summary = line.split("<summary")[1].split("</summary>")[0]
    assert "Shown: " in summary and "steps" in summary and "see a doctor soon" in summary
    assert f"Guidance release #{release.pk}, published" in line


def test_what_a_patient_typed_is_shown_as_text(clinician_client, patient, link):
    EpisodeFactory(patient=patient, notes='<script>alert("x")</script> after <b>lifting</b>')
    page = page_of(clinician_client, patient)
    assert '<script>alert("x")' not in page and "<b>lifting" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_another_clinicians_patient_is_a_404(client, patient, link):
    other = ClinicianFactory(email="other@example.org")
    client.force_login(other)
    assert client.get(f"/clinician/patients/{patient.pk}/").status_code == 404
