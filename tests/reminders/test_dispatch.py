import datetime
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.services import user_create
from reminders import dispatch, services
from reminders.models import Delivery, Notification, ReminderPlan
from tests.factories import EpisodeFactory, PatientFactory
from tests.reminders.conftest import BrokenEmailBackend, make_due
from tracker import services as tracker_services

Kind = ReminderPlan.Kind
Status = Delivery.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime")]


def test_signing_up_creates_the_default_plans_for_the_role():
    patient = user_create(email="new@example.org", password="a-long-enough-pass-1")
    clinician = user_create(email="doc@example.org", password="a-long-enough-pass-1", role="clinician")
    assert set(patient.reminder_plans.values_list("kind", flat=True)) == {
        Kind.DAILY_LOG,
        Kind.HEAT_ICE,
        Kind.FOLLOW_UP,
        Kind.WEEKLY_PEG,
        Kind.NO_IMPROVEMENT,
    }
    daily = patient.reminder_plans.get(kind=Kind.DAILY_LOG)
    assert daily.enabled and daily.local_time == datetime.time(20) and daily.weekdays == "0123456"
    assert daily.next_due_at == datetime.datetime(2026, 11, 25, 20, 0, tzinfo=datetime.UTC)
    assert list(clinician.reminder_plans.values_list("kind", flat=True)) == [Kind.CLINICIAN_DIGEST]


def test_a_due_daily_reminder_arrives_in_the_app_and_by_email_in_the_users_language(patient, plans):
    patient.language = "es"
    patient.save()
    make_due(plans[Kind.DAILY_LOG])

    result = dispatch.reminders_dispatch()

    assert result.created == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Status.SENT and delivery.emailed
    notification = Notification.objects.get(user=patient)
    assert notification.title == "¿Qué tal tu espalda hoy?"
    [email] = mail.outbox
    assert email.to == [patient.email]
    assert email.subject == "¿Qué tal tu espalda hoy?"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/unsubscribe/" in email.extra_headers["List-Unsubscribe"]
    assert email.message()["Message-ID"] == dispatch.delivery_message_id(delivery)
    assert re.fullmatch(rf"<reminder\.{delivery.id}\.\d{{12}}@127\.0\.0\.1>", email.message()["Message-ID"])
    html, mime = email.alternatives[0]
    assert mime == "text/html" and "¿Qué tal tu espalda hoy?" in html
    plans[Kind.DAILY_LOG].refresh_from_db()
    assert plans[Kind.DAILY_LOG].next_due_at == datetime.datetime(2026, 11, 25, 20, 0, tzinfo=datetime.UTC)


def test_dispatching_again_sends_nothing_twice(patient, plans):
    make_due(plans[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    daily = plans[Kind.DAILY_LOG]
    # A second dispatcher, and a repeated task for the same rows, find nothing left to do.
    Delivery.objects.update(queued_at=None)
    dispatch.reminders_dispatch()
    dispatch.deliveries_send(delivery_ids=list(Delivery.objects.values_list("id", flat=True)))
    assert Delivery.objects.filter(plan=daily).count() == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_daily_reminder_is_skipped_when_the_patient_already_logged_today(patient, plans):
    tracker_services.checkin_record(
        patient=patient, date=timezone.localdate(), had_spasm=False, worst_pain=None
    )
    make_due(plans[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    delivery = Delivery.objects.get()
    assert delivery.status == Status.SKIPPED and delivery.note == "already logged today"
    assert not Notification.objects.exists() and not mail.outbox


def test_quiet_hours_postpone_a_daily_reminder_until_they_end(patient, plans):
    services.quiet_hours_update(user=patient, enabled=True, start=datetime.time(11), end=datetime.time(13))
    make_due(plans[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    delivery = Delivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 0
    assert delivery.next_attempt_at == datetime.datetime(2026, 11, 25, 13, 0, tzinfo=datetime.UTC)
    assert not mail.outbox
    with time_machine.travel(datetime.datetime(2026, 11, 25, 13, 0, 30, tzinfo=datetime.UTC), tick=False):
        dispatch.reminders_dispatch()
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and len(mail.outbox) == 1


def test_heat_and_ice_alternate_every_interval_and_stop_when_the_episode_ends(patient, plans):
    heat_ice = plans[Kind.HEAT_ICE]
    services.reminder_plan_update(plan=heat_ice, interval_minutes=15, by_email=False)
    episode = tracker_services.episode_create(patient=patient, severity=7)
    heat_ice.refresh_from_db()
    assert heat_ice.next_due_at == episode.started_at + datetime.timedelta(minutes=15)

    titles = []
    for minutes in (15, 30):
        with time_machine.travel(
            episode.started_at + datetime.timedelta(minutes=minutes, seconds=5), tick=False
        ):
            dispatch.reminders_dispatch()
        titles.append(Notification.objects.latest("id").title)
    assert titles == ["Time to switch to heat", "Time to switch to ice"]
    assert "15 minutes are up" in Notification.objects.latest("id").body
    assert not mail.outbox  # heat and ice come in the app only, unless the patient asks for email

    tracker_services.episode_end(episode=episode)
    heat_ice.refresh_from_db()
    assert heat_ice.next_due_at is None
    with time_machine.travel(episode.started_at + datetime.timedelta(minutes=46), tick=False):
        dispatch.reminders_dispatch()
    assert Notification.objects.count() == 2


def test_an_episode_logged_as_over_or_a_disabled_plan_starts_no_heat_and_ice(patient, plans):
    """The plan moves in the statement that logs the spasm (on PostgreSQL): only for one
    still going on, and only when the patient keeps the reminder on."""
    started = timezone.now() - datetime.timedelta(hours=3)
    tracker_services.episode_create(
        patient=patient, severity=6, started_at=started, ended_at=started + datetime.timedelta(hours=1)
    )
    heat_ice = ReminderPlan.objects.get(pk=plans[Kind.HEAT_ICE].pk)
    assert heat_ice.episode_id is None and heat_ice.next_due_at is None
    services.reminder_plan_update(plan=heat_ice, enabled=False)
    tracker_services.episode_create(patient=patient, severity=6)
    heat_ice.refresh_from_db()
    assert heat_ice.episode_id is None and heat_ice.next_due_at is None


def test_heat_and_ice_go_quiet_at_night_unless_the_spasm_began_at_night(patient, plans):
    services.quiet_hours_update(
        user=patient, enabled=True, start=datetime.time(11, 30), end=datetime.time(23)
    )
    services.reminder_plan_update(plan=plans[Kind.HEAT_ICE], by_email=False)
    before_quiet = tracker_services.episode_create(
        patient=patient, severity=5, started_at=timezone.now() - datetime.timedelta(minutes=50)
    )
    dispatch.reminders_dispatch()
    assert Delivery.objects.get(episode=before_quiet).note == "quiet hours"
    tracker_services.episode_end(episode=before_quiet)

    at_night = tracker_services.episode_create(
        patient=patient, severity=5, started_at=timezone.now() - datetime.timedelta(minutes=21)
    )
    dispatch.reminders_dispatch()
    assert Delivery.objects.get(episode=at_night).status == Status.SENT


def test_heat_and_ice_stop_after_the_maximum_number_of_switches(patient, plans):
    services.reminder_plan_update(plan=plans[Kind.HEAT_ICE], max_cycles=2)
    episode = tracker_services.episode_create(patient=patient, severity=5)
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(
            episode.started_at + datetime.timedelta(minutes=minutes, seconds=5), tick=False
        ):
            dispatch.reminders_dispatch()
    assert list(Delivery.objects.order_by("cycle").values_list("cycle", flat=True)) == [1, 2]


def test_a_follow_up_asks_how_the_back_is_a_day_after_the_episode_ends(patient, plans):
    episode = tracker_services.episode_create(patient=patient, severity=6)
    tracker_services.episode_end(episode=episode)
    follow_up = ReminderPlan.objects.get(user=patient, kind=Kind.FOLLOW_UP)
    assert follow_up.next_due_at == episode.ended_at + datetime.timedelta(hours=24)
    with time_machine.travel(follow_up.next_due_at + datetime.timedelta(seconds=5), tick=False):
        dispatch.reminders_dispatch()
    notification = Notification.objects.get(kind=Kind.FOLLOW_UP)
    assert notification.title == "How is your back now?"
    assert notification.link == f"/reminders/follow-up/{notification.delivery_id}/"


def test_a_past_episode_logged_after_the_fact_gets_no_follow_up(patient, plans):
    start = timezone.now() - datetime.timedelta(days=3)
    tracker_services.episode_create(
        patient=patient, severity=4, started_at=start, ended_at=start + datetime.timedelta(hours=1)
    )
    assert ReminderPlan.objects.get(user=patient, kind=Kind.FOLLOW_UP).next_due_at is None


def test_a_failed_email_is_retried_with_backoff_then_marked_failed(patient, plans, settings):
    settings.EMAIL_BACKEND = "tests.reminders.conftest.BrokenEmailBackend"
    make_due(plans[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    delivery = Delivery.objects.get()
    waits, moment = [], timezone.now()
    while delivery.status == Status.PENDING:
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at
        with time_machine.travel(moment, tick=False):
            dispatch.reminders_dispatch()
        delivery.refresh_from_db()
    assert waits == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delivery.status == Status.FAILED and delivery.attempts == dispatch.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in delivery.note
    assert Notification.objects.count() == 1  # the in-app reminder went out once, at the first try


def test_a_delivery_left_sending_by_a_dead_worker_goes_out_later(patient, plans):
    make_due(plans[Kind.DAILY_LOG])
    dispatch.plans_materialise(now=timezone.now(), batch_size=10)
    Delivery.objects.update(status=Status.SENDING, claimed_at=timezone.now())
    dispatch.reminders_dispatch()
    assert not mail.outbox  # it may still be in a live worker's hands
    with time_machine.travel(timezone.now() + dispatch.SENDING_TIMEOUT + datetime.timedelta(minutes=1)):
        result = dispatch.reminders_dispatch()
    assert result.recovered == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Status.SENT and len(mail.outbox) == 1
    # Had the dead worker's copy reached the mail server, this one would carry the same id.
    assert mail.outbox[0].message()["Message-ID"] == dispatch.delivery_message_id(delivery)


def test_a_broker_outage_leaves_deliveries_pending_for_the_next_run(patient, plans):
    make_due(plans[Kind.DAILY_LOG])

    def broker_down(ids):
        raise ConnectionError("broker down")

    result = dispatch.reminders_dispatch(enqueue=broker_down)
    assert result.queued == 0
    delivery = Delivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.queued_at is None
    dispatch.reminders_dispatch()
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT


def test_logging_an_episode_publishes_nothing_and_beats_next_run_sends_the_first_switch(
    patient, plans, monkeypatch, django_capture_on_commit_callbacks
):
    from reminders import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.dispatch, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        episode = tracker_services.episode_create(patient=patient, severity=8)
    assert not callbacks and episode.pk
    plan = ReminderPlan.objects.get(user=patient, kind=Kind.HEAT_ICE)
    assert plan.next_due_at > timezone.now()
    dispatch.reminders_dispatch(now=plan.next_due_at + datetime.timedelta(seconds=30))
    assert Delivery.objects.get().plan == plan


def test_a_stale_clock_reminder_is_not_sent_after_the_app_was_off_for_a_day(patient, plans):
    make_due(plans[Kind.DAILY_LOG], minutes_ago=24 * 60)
    dispatch.reminders_dispatch()
    assert not Delivery.objects.exists()
    plans[Kind.DAILY_LOG].refresh_from_db()
    assert plans[Kind.DAILY_LOG].next_due_at > timezone.now()


def test_a_user_with_an_unknown_time_zone_is_reminded_on_utc(patient, plans):
    type(patient).objects.filter(id=patient.id).update(time_zone="Atlantis/Lost_City")
    make_due(plans[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    assert Delivery.objects.get().status == Status.SENT
    plans[Kind.DAILY_LOG].refresh_from_db()
    assert plans[Kind.DAILY_LOG].next_due_at == datetime.datetime(2026, 11, 25, 20, 0, tzinfo=datetime.UTC)


def test_the_no_improvement_nudge_needs_four_weeks_of_spasms_without_improvement(patient, plans):
    nudge = plans[Kind.NO_IMPROVEMENT]
    make_due(nudge)
    dispatch.reminders_dispatch()
    assert Delivery.objects.get(plan=nudge).note == "no four weeks without improvement"

    now = timezone.now()
    for days_ago, severity in [(40, 5), (33, 5), (20, 6), (10, 6), (2, 7)]:
        EpisodeFactory(patient=patient, started_at=now - datetime.timedelta(days=days_ago), severity=severity)
    make_due(nudge, minutes_ago=2)
    dispatch.reminders_dispatch()
    latest = Delivery.objects.filter(plan=nudge).latest("id")
    assert latest.status == Status.SENT
    assert Notification.objects.get(kind=Kind.NO_IMPROVEMENT).title == "Four weeks without improvement"


def test_the_clinician_digest_lists_the_patients_who_need_attention(db):
    from clinicians.models import CareLink
    from tests.factories import ClinicianFactory

    clinician = ClinicianFactory(email="digest@example.org", clinician_verified_at=timezone.now())
    flagged = PatientFactory(email="flagged@example.org", display_name="Flo Flagged")
    calm = PatientFactory(email="calm@example.org", display_name="Cal Calm")
    for patient in (flagged, calm):
        CareLink.objects.create(patient=patient, clinician=clinician)
    episode = EpisodeFactory(patient=flagged, started_at=timezone.now() - datetime.timedelta(days=2))
    episode.tags.create(kind="red_flag", value="fever")
    digest = services.reminder_plans_ensure(user=clinician)[0]
    make_due(digest)
    dispatch.reminders_dispatch()
    notification = Notification.objects.get(user=clinician)
    assert notification.title == "1 patient needs your attention"
    assert notification.body == "Flo Flagged"


def test_the_clinician_digest_is_skipped_when_no_one_needs_attention(clinician):
    digest = services.reminder_plans_ensure(user=clinician)[0]
    make_due(digest)
    dispatch.reminders_dispatch()
    assert Delivery.objects.get().status == Status.SKIPPED and not mail.outbox


def test_a_reminder_turned_off_after_it_fell_due_is_not_sent(patient, plans):
    make_due(plans[Kind.DAILY_LOG])
    dispatch.plans_materialise(now=timezone.now(), batch_size=10)
    ReminderPlan.objects.filter(kind=Kind.DAILY_LOG).update(enabled=False)
    dispatch.reminders_dispatch()
    assert Delivery.objects.get().status == Status.SKIPPED and not mail.outbox


def test_a_slow_batch_gives_back_what_it_could_not_send_in_time(patient, plans, monkeypatch):
    make_due(plans[Kind.DAILY_LOG])
    dispatch.plans_materialise(now=timezone.now(), batch_size=10)
    monkeypatch.setattr(dispatch, "SENDING_TIMEOUT", datetime.timedelta(0))
    dispatch.deliveries_send(delivery_ids=list(Delivery.objects.values_list("id", flat=True)))
    delivery = Delivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.claim is None and delivery.attempts == 0
    assert not mail.outbox


def test_a_plan_without_a_valid_weekday_is_parked_and_the_run_goes_on(patient, plans, other_patient):
    ReminderPlan.objects.filter(id=plans[Kind.DAILY_LOG].id).update(weekdays="")
    make_due(plans[Kind.DAILY_LOG])
    theirs = {p.kind: p for p in services.reminder_plans_ensure(user=other_patient)}
    make_due(theirs[Kind.DAILY_LOG])
    dispatch.reminders_dispatch()
    plans[Kind.DAILY_LOG].refresh_from_db()
    assert plans[Kind.DAILY_LOG].next_due_at is None
    assert Delivery.objects.filter(status=Status.SENT).count() == 2


def test_an_smtp_send_gives_up_long_before_its_claim_looks_stale(settings):
    from django.core.mail import get_connection

    # The batch stops starting emails at half the timeout; the last one may need a few SMTP
    # round trips (connect, greeting, envelope, data), each bounded by EMAIL_TIMEOUT.
    assert settings.EMAIL_TIMEOUT > 0
    worst_send = datetime.timedelta(seconds=settings.EMAIL_TIMEOUT * 6)
    assert dispatch.SENDING_TIMEOUT / 2 + worst_send < dispatch.SENDING_TIMEOUT
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == settings.EMAIL_TIMEOUT


class ReclaimedWhileSendingBackend(BrokenEmailBackend):
    """An SMTP send so slow that the dispatcher recovered its delivery and another worker claimed it."""

    other_claim = uuid.UUID(int=7)

    def send_messages(self, messages):
        Delivery.objects.update(claim=self.other_claim, claimed_at=timezone.now())
        raise TimeoutError("SMTP server stopped answering")


def test_a_failed_email_leaves_alone_a_delivery_another_worker_claimed_since(patient, plans, settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_dispatch.ReclaimedWhileSendingBackend"
    make_due(plans[Kind.DAILY_LOG])
    dispatch.plans_materialise(now=timezone.now(), batch_size=10)
    dispatch.deliveries_send(delivery_ids=list(Delivery.objects.values_list("id", flat=True)))
    delivery = Delivery.objects.get()
    assert delivery.claim == ReclaimedWhileSendingBackend.other_claim
    assert delivery.status == Status.SENDING and delivery.note == ""
