"""Pain is asked on one 0-10 tap scale (radio buttons), never a number box: details form,
past episode, daily check-in, weekly PEG. The values keep the 0-10 checks and messages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker.forms import CheckInForm, EpisodeDetailsForm, PegForm, TapScale
from tracker.models import DailyCheckIn, PegCheckIn

pytestmark = pytest.mark.django_db


def radios(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="(\d+)"', page)


@pytest.mark.parametrize(
    ("url_name", "names"),
    [
        ("episode_log_past", ["severity"]),
        ("checkin", ["daily-worst_pain", "peg-pain", "peg-enjoyment", "peg-activity"]),
    ],
)
def test_pain_fields_are_eleven_radios_and_no_number_box(patient_client, url_name, names):
    page = patient_client.get(reverse(url_name)).content.decode()
    for name in names:
        assert radios(page, name) == [str(value) for value in range(11)]
        assert f'type="number" name="{name}"' not in page
    assert "severity-anchor" in page


def test_the_edit_form_marks_the_episodes_severity(patient_client, patient):
    episode = EpisodeFactory(patient=patient, severity=4)
    page = patient_client.get(reverse("episode_edit", args=[episode.pk])).content.decode()
    assert re.search(r'<input type="radio" name="severity" value="4"[^>]*checked', page)
    assert len(re.findall(r'name="severity" value="\d+"[^>]*checked', page)) == 1


@pytest.mark.parametrize("form_class", [EpisodeDetailsForm, PegForm])
def test_every_pain_scale_is_a_tap_scale(form_class):
    form = form_class()
    scales = [name for name, field in form.fields.items() if isinstance(field.widget, TapScale)]
    assert scales == (["severity"] if form_class is EpisodeDetailsForm else ["pain", "enjoyment", "activity"])
    assert isinstance(CheckInForm().fields["worst_pain"].widget, TapScale)


@pytest.mark.parametrize("value", ["11", "-1", "4.5", "abc", "9" * 100, "<script>x</script>"])
def test_a_value_off_the_scale_saves_nothing(patient_client, patient, value):
    data = {
        "form": "peg",
        "peg-date": timezone.localdate().isoformat(),
        "peg-pain": value,
        "peg-enjoyment": "3",
        "peg-activity": "3",
    }
    response = patient_client.post(reverse("checkin"), data)
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()
    daily = {
        "form": "daily",
        "daily-date": data["peg-date"],
        "daily-had_spasm": "true",
        "daily-worst_pain": value,
    }
    patient_client.post(reverse("checkin"), daily)
    assert not PegCheckIn.objects.exists() and not DailyCheckIn.objects.exists()


def test_a_tapped_check_in_is_saved(patient_client, patient):
    day = timezone.localdate().isoformat()
    patient_client.post(
        reverse("checkin"),
        {"form": "daily", "daily-date": day, "daily-had_spasm": "true", "daily-worst_pain": "7"},
    )
    patient_client.post(
        reverse("checkin"),
        {"form": "peg", "peg-date": day, "peg-pain": "0", "peg-enjoyment": "10", "peg-activity": "5"},
    )
    assert DailyCheckIn.objects.get(patient=patient).worst_pain == 7
    peg = PegCheckIn.objects.get(patient=patient)
    assert (peg.pain, peg.enjoyment, peg.activity) == (0, 10, 5)


def test_the_history_filter_picks_a_severity_from_a_list_not_a_number_box(patient_client, patient):
    EpisodeFactory(patient=patient, severity=3)
    EpisodeFactory(patient=patient, severity=8)
    page = patient_client.get(reverse("history")).content.decode()
    assert '<select name="min_severity"' in page and 'type="number" name="min_severity"' not in page
    page = patient_client.get(reverse("history"), {"min_severity": "7"}).content.decode()
    assert '<option value="7" selected>' in page and page.count('class="episode-card') == 1
    response = patient_client.get(reverse("history"), {"min_severity": "99"})
    assert response.status_code == 200 and "less than or equal to 10" in response.content.decode()
