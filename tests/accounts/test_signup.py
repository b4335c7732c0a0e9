import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

VALID = {
    "email": "New.Person@Example.org",
    "display_name": "Sam",
    "role": "patient",
    "password1": "a-long-enough-passphrase-7",
    "password2": "a-long-enough-passphrase-7",
    "time_zone": "Europe/Madrid",
    "language": "es",
}


def test_it_creates_a_patient_logs_them_in_and_welcomes_them(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), VALID)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.is_patient and user.time_zone == "Europe/Madrid" and user.language == "es"
    assert client.get(reverse("home")).context["user"] == user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Bienvenido a Spasm tracker"


def test_a_clinician_signs_up_unverified(client):
    client.post(reverse("accounts:signup"), {**VALID, "role": "clinician"})
    user = User.objects.get()
    assert user.is_clinician and not user.is_verified_clinician


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"password2": "something-else-entirely-9"}, "password2"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"language": "klingon"}, "language"),
        ({"email": "not-an-email"}, "email"),
        ({"role": "admin"}, "role"),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_creates_nothing(client, change, field):
    response = client.post(reverse("accounts:signup"), {**VALID, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == 0


def test_an_existing_email_is_refused_whatever_its_case(client, patient):
    response = client.post(reverse("accounts:signup"), {**VALID, "email": "PAT@example.org"})
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_the_welcome_email_is_sent_only_once(patient):
    from accounts.services import welcome_email_send

    assert welcome_email_send(user_id=patient.id) is True
    assert welcome_email_send(user_id=patient.id) is False
    assert len(mail.outbox) == 1


def test_a_signup_racing_another_with_the_same_email_gets_the_duplicates_form_error(client, monkeypatch):
    """Issue 10 item 8: the other sign-up commits after the form checked the email."""
    original = User.full_clean

    def full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not User.objects.filter(email=self.email).exists():
            User.objects.create_user(email=self.email, password="another-long-passphrase-9")

    monkeypatch.setattr(User, "full_clean", full_clean)
    response = client.post(reverse("accounts:signup"), VALID)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists. Try logging in."
    ]
