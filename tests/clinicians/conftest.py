import pytest

from clinicians.models import CareLink


@pytest.fixture
def link(patient, clinician):
    return CareLink.objects.create(patient=patient, clinician=clinician)


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client
