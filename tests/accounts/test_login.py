import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_logs_in_by_email_in_any_case(client, patient, password):
    response = client.post(reverse("accounts:login"), {"username": "Pat@Example.org", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == patient


def test_a_wrong_password_shows_a_message(client, patient):
    response = client.post(reverse("accounts:login"), {"username": patient.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_lock_the_account_out_with_a_clear_message(client, patient, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": patient.email, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": patient.email, "password": password})
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(patient_client):
    assert patient_client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in patient_client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, patient, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": patient.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase-11", "new_password2": "brand-new-passphrase-11"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("brand-new-passphrase-11")
