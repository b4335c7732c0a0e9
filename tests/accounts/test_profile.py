import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_saves_display_name_time_zone_and_language(patient_client, patient):
    response = patient_client.post(
        reverse("accounts:profile"),
        {"display_name": "Patricia", "time_zone": "America/Mexico_City", "language": "es"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.display_name, patient.time_zone, patient.language) == (
        "Patricia",
        "America/Mexico_City",
        "es",
    )
    assert "Tu perfil" in patient_client.get(reverse("accounts:profile")).content.decode()


def test_an_unknown_time_zone_is_refused_and_nothing_changes(patient_client, patient):
    response = patient_client.post(
        reverse("accounts:profile"), {"display_name": "X", "time_zone": "Nowhere/City", "language": "en"}
    )
    assert response.context["form"].errors["time_zone"]
    patient.refresh_from_db()
    assert patient.display_name == "Pat"


def test_the_language_switch_ignores_foreign_redirects(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "es"


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
