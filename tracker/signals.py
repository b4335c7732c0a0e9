"""Domain events other apps react to (reminders, clinician digests): side effects only.

Sent by ``tracker.services`` inside the writing transaction; receivers that talk to the
broker must defer that work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# kwargs: episode
episode_logged = Signal()
# kwargs: episode
episode_ended = Signal()
