from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guidance.selectors import published_prompt
from reminders import selectors, services
from reminders.forms import QuietHoursForm, ReminderPlanForm, SnoozeForm
from reminders.models import Delivery
from tracker.screening import warning_sign_screen


@login_required
def reminder_settings(request):
    """Every reminder and the quiet hours in one form with one Save: a problem in one section
    is shown there, every section keeps what was typed, and nothing is saved until all is well."""
    plans = services.reminder_plans_ensure(user=request.user)
    data = request.POST if request.method == "POST" else None
    plan_forms = [ReminderPlanForm(data, instance=plan) for plan in plans]
    quiet_form = QuietHoursForm(data, instance=request.user.quiet_hours, prefix="quiet")
    if data is not None:
        valid = [form.is_valid() for form in (*plan_forms, quiet_form)]  # every form, to show every error
        if all(valid):
            try:
                services.reminder_settings_update(
                    user=request.user,
                    # Only what was changed: an untouched reminder keeps its next time.
                    plan_changes={
                        form.instance.id: form.changes() for form in plan_forms if form.has_changed()
                    },
                    quiet_hours=quiet_form.cleaned_data if quiet_form.has_changed() else None,
                )
            except ValidationError as error:
                by_prefix = {form.prefix: form for form in plan_forms}
                for prefix, problems in error.message_dict.items():
                    (by_prefix.get(prefix) or quiet_form).add_error(None, problems)
            else:
                messages.success(request, _("Reminders saved."))
                return redirect("reminders:settings")
    context = {
        "plan_forms": plan_forms,
        "quiet_form": quiet_form,
        "invalid": [form for form in (*plan_forms, quiet_form) if form.errors],
    }
    return render(request, "reminders/settings.html", context, status=400 if data is not None else 200)


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/notifications.html",
        {"page": page, "snooze_form": SnoozeForm(), "now": timezone.now()},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.access_notification(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    if request.POST.get("open") and notification.link:
        return redirect(notification.link)
    return redirect("reminders:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("reminders:notifications")


@login_required
@require_POST
def notification_snooze(request, pk: int):
    notification = selectors.access_notification(user=request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        services.notification_snooze(notification=notification, minutes=form.cleaned_data["minutes"])
        messages.success(request, _("Snoozed. It will come back later."))
    else:
        messages.error(request, _("Choose how long to snooze."))
    return redirect("reminders:notifications")


@login_required
def follow_up(request, pk: int):
    delivery = selectors.access_follow_up(user=request.user, pk=pk)
    if request.method == "POST":
        response = request.POST.get("response", "")
        if response not in Delivery.Response.values:
            messages.error(request, _("Choose one of the answers."))
            return redirect("reminders:follow_up", pk=pk)
        services.follow_up_answer(delivery=delivery, response=response)
        if response != Delivery.Response.WORSE:
            messages.success(request, _("Thank you. Keep logging how you feel."))
            return redirect("home")
    worse = delivery.response == Delivery.Response.WORSE
    prompt = published_prompt(key="pain_getting_worse") if worse else None
    # Worse: ask about warning signs again, whatever was answered when it was logged.
    screen = warning_sign_screen(episode=delivery.episode) if worse and delivery.episode else None
    return render(
        request,
        "reminders/follow_up.html",
        {
            "delivery": delivery,
            "episode": delivery.episode,
            "prompt": prompt,
            "screen": screen,
            "responses": Delivery.Response.choices,
        },
    )


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a session or a CSRF token
def unsubscribe(request, token: str):
    plan = services.plan_for_unsubscribe_token(token)
    if plan is None:
        return render(request, "reminders/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        services.plan_unsubscribe(plan=plan)
    return render(request, "reminders/unsubscribe.html", {"plan": plan, "done": done, "token": token})
