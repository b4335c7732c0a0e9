"""The details form is grouped in short sections; a section with a value or an error starts open."""

import re

import pytest
from django.urls import reverse

from tracker import services

pytestmark = pytest.mark.django_db


def open_sections(page: str) -> list[str]:
    return re.findall(r'<details class="form-section" open>\s*<summary><span>([^<]+)</span></summary>', page)


def test_a_new_past_episode_opens_only_where(patient_client):
    page = patient_client.get(reverse("episode_log_past")).content.decode()
    assert open_sections(page) == ["Where"]
    assert page.count('<details class="form-section"') == 5


def test_editing_opens_the_sections_that_hold_what_was_recorded(patient_client, patient):
    episode = services.episode_create(
        patient=patient, severity=5, triggers=["sports"], relief=[{"measure": "heat", "effect": "some"}]
    )
    page = patient_client.get(reverse("episode_edit", args=[episode.pk])).content.decode()
    assert open_sections(page) == ["Where", "What set it off", "What you tried"]


def test_a_rejected_save_reopens_the_section_holding_the_bad_input(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=5)
    response = patient_client.post(
        reverse("episode_edit", args=[episode.pk]),
        {"severity": "5", "started_at": "2026-11-20T10:00", "notes": "x" * 100_000},
    )
    assert response.status_code in (200, 400)
    assert "Medicines and notes" in open_sections(response.content.decode())
