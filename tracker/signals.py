"""Domain events other apps react to (reminders, clinician digests): side effects only.

Sent by ``tracker.services`` inside the writing transaction; receivers that talk to the
broker must defer that work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# kwargs: episode; companions_ran: whether the clauses other apps registered in
# ``tracker.episode_insert.COMPANION_CLAUSES`` ran in the statement that logged it (their
# receivers then have that work done).
episode_logged = Signal()
# kwargs: episode
episode_ended = Signal()
