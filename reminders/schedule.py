"""Due-time arithmetic in the user's own zone: pure functions, no database."""

import datetime
import zoneinfo

UTC = datetime.UTC


def next_local_time(
    *, after: datetime.datetime, at: datetime.time, weekdays: str, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The first wall-clock ``at`` on one of ``weekdays`` (Monday is "0") strictly after ``after``, in UTC.

    Built from the local date and time, so 20:00 stays 20:00 on both sides of a DST change.
    A time the clocks skip (02:30 on a spring-forward night) comes out an hour later.
    """
    local_after = after.astimezone(zone)
    for offset in range(8):
        day = local_after.date() + datetime.timedelta(days=offset)
        if str(day.weekday()) not in weekdays:
            continue
        candidate = datetime.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
        if candidate > after:
            return candidate
    raise ValueError(f"no weekday in {weekdays!r}")


def in_quiet_hours(*, moment: datetime.datetime, start: datetime.time, end: datetime.time, zone) -> bool:
    local = moment.astimezone(zone).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the quiet hours run past midnight


def quiet_hours_end(*, moment: datetime.datetime, end: datetime.time, zone) -> datetime.datetime:
    """When the quiet hours around ``moment`` end, in UTC."""
    return next_local_time(after=moment, at=end, weekdays="0123456", zone=zone)
