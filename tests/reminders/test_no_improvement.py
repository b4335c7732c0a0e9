import datetime

import pytest
from django.utils import timezone

from reminders import dispatch, kinds
from reminders.models import Delivery, ReminderPlan
from tests.factories import EpisodeFactory
from tests.reminders.conftest import make_due

Kind = ReminderPlan.Kind
Status = Delivery.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime")]


def episodes(patient, *days_ago_and_severity: tuple[int, int]) -> None:
    now = timezone.now()
    for days_ago, severity in days_ago_and_severity:
        EpisodeFactory(patient=patient, started_at=now - datetime.timedelta(days=days_ago), severity=severity)


def nudge_delivery(plans) -> Delivery:
    make_due(plans[Kind.NO_IMPROVEMENT])
    dispatch.reminders_dispatch()
    return Delivery.objects.get(plan=plans[Kind.NO_IMPROVEMENT])


def test_one_flare_months_ago_and_one_this_week_is_not_four_weeks_of_spasms(patient, plans):
    episodes(patient, (180, 6), (2, 6))
    delivery = nudge_delivery(plans)
    assert delivery.status == Status.SKIPPED and delivery.note == "no four weeks without improvement"


def test_a_gap_of_three_weeks_starts_the_four_weeks_again(patient, plans):
    episodes(patient, (40, 5), (33, 5), (26, 5), (5, 5), (2, 5))
    assert nudge_delivery(plans).status == Status.SKIPPED


def test_spasms_every_week_for_five_weeks_at_the_same_severity_get_the_nudge(patient, plans):
    episodes(patient, (35, 5), (28, 5), (21, 5), (14, 5), (7, 5), (2, 5))
    assert nudge_delivery(plans).status == Status.SENT


def test_spasms_every_week_for_five_weeks_getting_worse_get_the_nudge(patient, plans):
    episodes(patient, (35, 3), (28, 4), (21, 5), (14, 6), (7, 7), (2, 8))
    assert nudge_delivery(plans).status == Status.SENT


def test_spasms_that_keep_coming_but_are_improving_get_no_nudge(patient, plans):
    episodes(patient, (45, 8), (38, 8), (31, 8), (24, 3), (17, 3), (10, 3), (3, 3))
    assert nudge_delivery(plans).status == Status.SKIPPED


def test_no_spasm_this_week_means_no_nudge(patient, plans):
    episodes(patient, (45, 6), (38, 6), (31, 6), (24, 6), (17, 6), (10, 6))
    assert nudge_delivery(plans).status == Status.SKIPPED


def test_deciding_the_nudge_costs_one_query_however_long_the_history(
    patient, plans, django_assert_num_queries
):
    episodes(patient, *((days_ago, 5) for days_ago in range(2, 400, 3)))
    with django_assert_num_queries(1):
        assert kinds.no_improvement(patient, now=timezone.now())
