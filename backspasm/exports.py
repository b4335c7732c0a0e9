"""The full data export (right of access and portability): the project glue sees every app,
so it asks each for its part, lower layers first."""

import datetime

from accounts import selectors as accounts_selectors
from accounts.models import User
from clinicians import selectors as clinicians_selectors
from reminders import selectors as reminders_selectors
from tracker import exports as tracker_exports

EXPORTERS = (
    accounts_selectors.export_for,
    tracker_exports.export_for,
    clinicians_selectors.export_for,
    reminders_selectors.export_for,
)


def everything_for(*, user: User) -> dict:
    """Everything stored about the user."""
    data = {"exported_at": datetime.datetime.now(datetime.UTC).isoformat()}
    for export_for in EXPORTERS:
        data.update(export_for(user=user))
    return data
