"""A file-based mail backend as slow as a real SMTP round trip, so a kill lands mid-batch."""

import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def write_message(self, message):
        time.sleep(0.02)
        super().write_message(message)
