import datetime

import factory
from django.utils import timezone

from accounts.models import User
from tracker.models import Episode

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


class ClinicianFactory(UserFactory):
    role = User.Role.CLINICIAN
    clinician_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    patient = factory.SubFactory(PatientFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    # Ended an hour later: a patient has at most one ongoing episode (pass ended_at=None).
    ended_at = factory.LazyAttribute(lambda episode: episode.started_at + datetime.timedelta(hours=1))
    severity = 6
