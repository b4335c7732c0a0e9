"""Account events other apps react to (e.g. creating default reminder plans)."""

from django.dispatch import Signal

# kwargs: user. Sent inside the sign-up transaction.
user_signed_up = Signal()

# kwargs: user (already saved with the new zone). Sent inside the update's transaction.
user_time_zone_changed = Signal()
