import pytest

from accounts.models import User
from accounts.tasks import send_welcome_email
from tests.factories import PatientFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_sends_the_welcome_email_once(workers, tmp_path):
    mail_dir = tmp_path / "mail"
    user = PatientFactory(email="real.worker@example.org")
    workers.start(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", VAR_DIR=str(tmp_path))

    # Sent twice, as a retried delivery would be: the claim lets only one through.
    send_welcome_email.delay(user.id)
    send_welcome_email.delay(user.id)

    assert wait_for(lambda: User.objects.filter(id=user.id, welcomed_at__isnull=False).exists())
    assert wait_for(lambda: mail_dir.exists() and any(mail_dir.iterdir()))
    assert wait_for(lambda: workers.log_text().count("succeeded") == 2)
    messages = list(mail_dir.iterdir())
    assert len(messages) == 1
    assert "real.worker@example.org" in messages[0].read_text()
