import datetime

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tracker.models import Episode
from tracker.patient_facts import patient_facts_refresh

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("first_name")
    role = User.Role.PATIENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PatientFactory(UserFactory):
    pass


class WithAuthenticatorFactory(UserFactory):
    """An account that has set up two-factor sign-in (``two_factor=False``: not yet)."""

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTPDevice.objects.create(user=obj, name="authenticator", confirmed=True)


class ClinicianFactory(WithAuthenticatorFactory):
    role = User.Role.CLINICIAN
    clinician_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(WithAuthenticatorFactory):
    is_staff = True
    is_superuser = True


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An episode as the services leave it: the patient's facts row kept too (a test that
    changes an episode through the ORM afterwards calls ``patient_facts_refresh``)."""

    class Meta:
        model = Episode
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    # Ended an hour later: a patient has at most one ongoing episode (pass ended_at=None).
    ended_at = factory.LazyAttribute(lambda episode: episode.started_at + datetime.timedelta(hours=1))
    severity = 6

    @factory.post_generation
    def facts(self, create, extracted, **kwargs):
        if create:
            patient_facts_refresh(patient_id=self.patient_id)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``steps_ahead`` periods later:
    a device accepts each period's code once, and one period of drift either way)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
