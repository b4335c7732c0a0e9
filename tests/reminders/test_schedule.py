import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import zone_for
from reminders import dispatch, schedule, services
from reminders.models import Delivery, ReminderPlan

UTC = datetime.UTC


def local(moment: datetime.datetime, zone: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [
        ("Europe/Madrid", datetime.date(2026, 3, 29)),  # clocks go forward
        ("Europe/Madrid", datetime.date(2026, 10, 25)),  # clocks go back
        ("America/New_York", datetime.date(2026, 3, 8)),
        ("America/New_York", datetime.date(2026, 11, 1)),
        ("Australia/Sydney", datetime.date(2026, 4, 5)),
    ],
)
def test_a_daily_20_00_reminder_fires_at_20_00_local_around_each_dst_change(db, patient, zone, change_day):
    patient.time_zone = zone
    patient.save()
    noon = datetime.time(12)
    start = datetime.datetime.combine(
        change_day - datetime.timedelta(days=2), noon, tzinfo=zoneinfo.ZoneInfo(zone)
    )
    with time_machine.travel(start, tick=False):
        plan = {p.kind: p for p in services.reminder_plans_ensure(user=patient)}[ReminderPlan.Kind.DAILY_LOG]
    fired = []
    for _day in range(4):
        plan.refresh_from_db()
        with time_machine.travel(plan.next_due_at + datetime.timedelta(seconds=30), tick=False):
            dispatch.reminders_dispatch()
        fired.append(Delivery.objects.filter(plan=plan).latest("due_at").due_at)
    local_times = [local(moment, zone) for moment in fired]
    assert [moment.time() for moment in local_times] == [datetime.time(20, 0)] * 4
    assert [moment.date() for moment in local_times] == [
        change_day + datetime.timedelta(days=offset) for offset in (-2, -1, 0, 1)
    ]
    assert len({moment.utcoffset() for moment in local_times}) == 2  # the offset really changed


def test_the_next_time_respects_the_chosen_weekdays():
    after = datetime.datetime(2026, 11, 25, 21, 0, tzinfo=UTC)  # a Wednesday
    due = schedule.next_local_time(
        after=after, at=datetime.time(18), weekdays="6", zone=zoneinfo.ZoneInfo("UTC")
    )
    assert due == datetime.datetime(2026, 11, 29, 18, 0, tzinfo=UTC)  # Sunday


def test_a_time_the_clocks_skip_comes_an_hour_later():
    after = datetime.datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    due = schedule.next_local_time(
        after=after, at=datetime.time(2, 30), weekdays="0123456", zone=zoneinfo.ZoneInfo("Europe/Madrid")
    )
    assert local(due, "Europe/Madrid").time() == datetime.time(3, 30)


@pytest.mark.parametrize(
    ("hour", "quiet"), [(21, False), (22, True), (23, True), (3, True), (6, True), (7, False), (12, False)]
)
def test_quiet_hours_that_run_past_midnight(hour, quiet):
    moment = datetime.datetime(2026, 11, 25, hour, 0, tzinfo=UTC)
    assert (
        schedule.in_quiet_hours(
            moment=moment, start=datetime.time(22), end=datetime.time(7), zone=zoneinfo.ZoneInfo("UTC")
        )
        is quiet
    )


def test_an_unknown_time_zone_counts_as_utc():
    assert zone_for("Mars/Olympus_Mons") == zoneinfo.ZoneInfo("UTC")
    assert zone_for("../../etc/passwd") == zoneinfo.ZoneInfo("UTC")
