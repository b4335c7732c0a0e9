from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guidance.selectors import published_prompt
from reminders import selectors, services
from reminders.forms import QuietHoursForm, ReminderPlanForm, SnoozeForm
from reminders.models import Delivery, ReminderPlan
from tracker.screening import warning_sign_screen


def _settings_page(request, *, bound: ReminderPlanForm | None = None, quiet_form=None, status=200):
    plans = services.reminder_plans_ensure(user=request.user)
    forms = [
        bound if bound and bound.instance.id == plan.id else ReminderPlanForm(instance=plan) for plan in plans
    ]
    quiet_form = quiet_form or QuietHoursForm(instance=request.user.quiet_hours)
    return render(
        request, "reminders/settings.html", {"plan_forms": forms, "quiet_form": quiet_form}, status=status
    )


@login_required
def reminder_settings(request):
    return _settings_page(request)


@login_required
@require_POST
def plan_update(request, pk: int):
    plan = selectors.access_plan(user=request.user, pk=pk)
    form = ReminderPlanForm(request.POST, instance=plan)
    if form.is_valid():
        try:
            services.reminder_plan_update(plan=ReminderPlan.objects.get(pk=plan.pk), **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: %(kind)s.") % {"kind": plan.get_kind_display()})
            return redirect(reverse("reminders:settings") + f"#plan-{plan.id}")
    return _settings_page(request, bound=form, status=400)


@login_required
@require_POST
def quiet_hours_update(request):
    services.reminder_plans_ensure(user=request.user)
    form = QuietHoursForm(request.POST, instance=request.user.quiet_hours)
    if not form.is_valid():
        return _settings_page(request, quiet_form=form, status=400)
    services.quiet_hours_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Quiet hours saved."))
    return redirect("reminders:settings")


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
