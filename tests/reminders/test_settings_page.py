"""The reminders page: every reminder and the quiet hours in one form with one Save."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from reminders import dispatch, services
from reminders.kinds import KINDS
from reminders.models import Notification, ReminderPlan

Kind = ReminderPlan.Kind
pytestmark = pytest.mark.django_db
URL = reverse("reminders:settings")


def page_data(plans: dict, **overrides) -> dict:
    """What the page posts when nothing is touched, with some fields changed (``None`` drops one)."""
    data = {"quiet-enabled": "on", "quiet-start": "22:00", "quiet-end": "07:00"}
    for plan in plans.values():
        prefix = f"plan-{plan.id}"
        shown = KINDS[plan.kind].form_fields
        for flag in ("enabled", "by_email", "in_app"):
            if getattr(plan, flag):
                data[f"{prefix}-{flag}"] = "on"
        if "local_time" in shown:
            data[f"{prefix}-local_time"] = plan.local_time.strftime("%H:%M")
        if "days" in shown:
            data[f"{prefix}-days"] = list(plan.weekdays)
        for name in ("interval_minutes", "max_cycles", "delay_hours"):
            if name in shown:
                data[f"{prefix}-{name}"] = str(getattr(plan, name))
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def rows() -> list[dict]:
    return list(ReminderPlan.objects.order_by("id").values())


def test_the_page_is_one_form_with_one_save_and_a_section_per_reminder(patient_client, plans):
    page = patient_client.get(URL).content.decode()
    form = page[page.index('<form method="post" novalidate class="reminder-settings">') :]
    form = form[: form.index("</form>")]
    assert len(re.findall(r'<button type="submit"', form)) == 1
    assert "Save reminders" in form
    for plan in plans.values():
        assert f'id="plan-{plan.id}"' in form
    assert 'id="quiet-hours"' in form and "Next:" in form
    assert '<form method="post" action=' not in form  # no nested or per-section forms


def test_one_save_changes_two_reminders_and_the_quiet_hours(patient_client, patient, plans):
    daily, heat_ice = plans[Kind.DAILY_LOG], plans[Kind.HEAT_ICE]
    data = page_data(
        plans,
        **{
            f"plan-{daily.id}-local_time": "07:30",
            f"plan-{daily.id}-days": ["5", "6"],
            f"plan-{heat_ice.id}-interval_minutes": "15",
            f"plan-{heat_ice.id}-by_email": None,
            "quiet-start": "21:00",
            "quiet-end": "06:30",
        },
    )
    response = patient_client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    daily.refresh_from_db()
    heat_ice.refresh_from_db()
    patient.quiet_hours.refresh_from_db()
    assert daily.local_time == datetime.time(7, 30) and daily.weekdays == "56"
    assert daily.next_due_at.weekday() in (5, 6) and daily.next_due_at.time() == datetime.time(7, 30)
    assert heat_ice.interval_minutes == 15 and not heat_ice.by_email and heat_ice.in_app
    assert (patient.quiet_hours.start, patient.quiet_hours.end) == (datetime.time(21), datetime.time(6, 30))
    assert "Reminders saved." in patient_client.get(URL).content.decode()


def test_an_untouched_save_changes_nothing_that_matters(patient_client, plans):
    before = [{k: v for k, v in row.items() if k != "updated_at"} for row in rows()]
    assert patient_client.post(URL, page_data(plans)).status_code == 302
    assert [{k: v for k, v in row.items() if k != "updated_at"} for row in rows()] == before


def test_a_save_takes_a_bounded_number_of_queries(patient_client, plans, django_assert_max_num_queries):
    data = page_data(plans, **{f"plan-{plans[Kind.DAILY_LOG].id}-local_time": "06:00"})
    with django_assert_max_num_queries(30):
        assert patient_client.post(URL, data).status_code == 302


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        (Kind.DAILY_LOG, "local_time", "25:99", "Enter a valid time."),
        (Kind.DAILY_LOG, "local_time", None, "This field is required."),
        (Kind.DAILY_LOG, "days", None, "Choose at least one day of the week."),
        (Kind.DAILY_LOG, "days", ["9"], "Select a valid choice."),
        (Kind.HEAT_ICE, "interval_minutes", "25", "less than or equal to 20"),
        (Kind.HEAT_ICE, "interval_minutes", "10", "greater than or equal to 15"),
        (Kind.HEAT_ICE, "max_cycles", "9" * 40, "less than or equal to 12"),
        (Kind.FOLLOW_UP, "delay_hours", "0", "greater than or equal to 1"),
        (Kind.FOLLOW_UP, "delay_hours", "<script>alert(1)</script>", "Enter a whole number."),
    ],
)
def test_a_bad_section_is_marked_others_keep_their_input_and_nothing_is_saved(
    patient_client, patient, plans, kind, field, value, message
):
    plan, daily, follow_up = plans[kind], plans[Kind.DAILY_LOG], plans[Kind.FOLLOW_UP]
    before = rows()
    # A change typed in another section, which the error must not lose.
    other, typed = (follow_up, ("delay_hours", "36")) if plan is daily else (daily, ("local_time", "06:15"))
    data = page_data(plans, **{f"plan-{other.id}-{typed[0]}": typed[1], "quiet-start": "23:45"})
    data = {**data, f"plan-{plan.id}-{field}": value} if value is not None else data
    if value is None:
        data.pop(f"plan-{plan.id}-{field}")
    response = patient_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert "Nothing has been saved yet" in page and f'href="#plan-{plan.id}"' in page
    assert f'class="card plan-form section-invalid" id="plan-{plan.id}"' in page  # the bad section is marked
    assert page.count("section-invalid") == 1
    assert f'value="{typed[1]}"' in page and 'value="23:45"' in page  # the other sections' input is kept
    assert rows() == before
    patient.quiet_hours.refresh_from_db()
    assert patient.quiet_hours.start == datetime.time(22)


def test_fields_named_for_someone_elses_plan_change_nothing(patient_client, plans, other_patient):
    theirs = {plan.kind: plan for plan in services.reminder_plans_ensure(user=other_patient)}
    before = list(ReminderPlan.objects.filter(user=other_patient).order_by("id").values())
    data = {**page_data(plans), **page_data(theirs, **{f"plan-{theirs[Kind.DAILY_LOG].id}-enabled": None})}
    assert patient_client.post(URL, data).status_code == 302
    assert list(ReminderPlan.objects.filter(user=other_patient).order_by("id").values()) == before


def test_the_service_saves_all_or_nothing_and_names_the_plan_that_failed(patient, plans):
    daily, heat_ice = plans[Kind.DAILY_LOG], plans[Kind.HEAT_ICE]
    before = rows()
    with pytest.raises(ValidationError) as failure:
        services.reminder_settings_update(
            user=patient,
            plan_changes={daily.id: {"local_time": datetime.time(6)}, heat_ice.id: {"interval_minutes": 99}},
            quiet_hours={"enabled": False, "start": datetime.time(21), "end": datetime.time(6)},
        )
    assert list(failure.value.message_dict) == [f"plan-{heat_ice.id}"]
    assert rows() == before
    patient.quiet_hours.refresh_from_db()
    assert patient.quiet_hours.enabled


def test_the_service_refuses_a_plan_that_is_not_the_users(patient, plans, other_patient):
    theirs = services.reminder_plans_ensure(user=other_patient)[0]
    before = rows()
    with pytest.raises(ValidationError) as failure:
        services.reminder_settings_update(
            user=patient,
            plan_changes={plans[Kind.DAILY_LOG].id: {"enabled": False}, theirs.id: {"enabled": False}},
        )
    assert list(failure.value.message_dict) == [f"plan-{theirs.id}"]
    assert rows() == before


def test_the_page_needs_a_login(client):
    response = client.post(URL, {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_readmes_reminder_demo_works_as_written(client):
    """README: sign up, set the daily reminder a minute or two from now (quiet hours off, it
    is late), Save reminders, wait for the next minute: the bell counts it and it is emailed."""
    late = datetime.datetime(2026, 11, 25, 22, 30, tzinfo=datetime.UTC)  # 23:30 in Madrid
    with time_machine.travel(late, tick=False):
        client.post(
            reverse("accounts:signup"),
            {
                "email": "fresh@example.org",
                "display_name": "Fresh",
                "role": "patient",
                "password1": "a-long-enough-passphrase-7",
                "password2": "a-long-enough-passphrase-7",
                "time_zone": "Europe/Madrid",
                "language": "en",
            },
        )
        user = User.objects.get(email="fresh@example.org")
        client.get(URL)
        plans = {plan.kind: plan for plan in user.reminder_plans.all()}
        daily = plans[Kind.DAILY_LOG]
        data = page_data(plans, **{f"plan-{daily.id}-local_time": "23:32", "quiet-enabled": None})
        assert client.post(URL, data).status_code == 302
        mail.outbox.clear()
    with time_machine.travel(late + datetime.timedelta(minutes=1), tick=False):
        dispatch.reminders_dispatch()
        assert not Notification.objects.filter(user=user).exists()  # not yet
    with time_machine.travel(late + datetime.timedelta(minutes=2, seconds=5), tick=False):
        dispatch.reminders_dispatch()
        assert Notification.objects.get(user=user).title == "How was your back today?"
        assert '<span class="bell-count">1' in client.get(reverse("home")).content.decode()
    assert [email.to for email in mail.outbox] == [["fresh@example.org"]]
