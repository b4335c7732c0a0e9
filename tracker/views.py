import datetime
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.browser import forget_this_browser
from accounts.roles import patient_required
from accounts.services import user_delete
from tracker import charts, selectors, services
from tracker.exports import episodes_csv
from tracker.fhir import patient_bundle
from tracker.forms import (
    SEVERITY_ANCHORS,
    CheckInForm,
    EpisodeDetailsForm,
    HistoryFilterForm,
    PastEpisodeForm,
    PegForm,
    QuickLogForm,
    RedFlagAnswerForm,
    apply_service_errors,
    chosen_period,
    period_error,
)
from tracker.guidance import guidance_for_episode
from tracker.insights.report import insights_for, relief_evidence
from tracker.insights.selectors import relief_counts
from tracker.models import DailyCheckIn
from tracker.reports import summary_context, summary_pdf
from tracker.screening import warning_sign_screen
from tracker.summary import DEFAULT_SUMMARY_DAYS


def home(request):
    if not request.user.is_authenticated or not request.user.is_patient:
        return render(request, "tracker/home.html")
    patient = request.user
    context = {
        "ongoing": selectors.ongoing_episode(patient=patient),
        "recent": list(selectors.episodes_for(patient=patient)[:5]),
        "quick_form": QuickLogForm(),
        "severities": [(value, SEVERITY_ANCHORS.get(value, "")) for value in range(11)],
        "checked_in_today": DailyCheckIn.objects.filter(patient=patient, date=timezone.localdate()).exists(),
    }
    return render(request, "tracker/home.html", context)


@patient_required
@require_POST
def quick_log(request):
    form = QuickLogForm(request.POST)
    if form.is_valid():
        episode, new = services.episode_quick_log(
            patient=request.user, severity=form.cleaned_data["severity"]
        )
        if new:
            messages.success(request, _("Saved. Here is what to do now."))
        else:
            messages.success(request, _("Your ongoing episode is updated. Here is what to do now."))
        return redirect("episode_detail", pk=episode.pk)
    messages.error(request, form.errors["severity"][0])
    return redirect("home")


@patient_required
def episode_detail(request, pk: int):
    episode = selectors.access_episode(user=request.user, pk=pk)
    context = {
        "episode": episode,
        "guidance": guidance_for_episode(episode=episode),
        "relief_evidence": relief_evidence(relief_counts(patient=request.user)),
        "screen": warning_sign_screen(episode=episode),
    }
    return render(request, "tracker/episode_detail.html", context)


@patient_required
@require_POST
def episode_red_flags(request, pk: int):
    """The answer to "Do you have any of these?"; the episode page redraws the guidance."""
    episode = selectors.access_episode(user=request.user, pk=pk)
    form = RedFlagAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["red_flag"][0])
        return redirect("episode_detail", pk=episode.pk)
    services.episode_red_flags_record(episode=episode, red_flags=form.red_flags())
    if form.red_flags():
        messages.warning(request, _("Saved. Please follow the advice at the top of this page."))
    else:
        messages.success(request, _("Thank you. No warning signs: here is what to do now."))
    return redirect("episode_detail", pk=episode.pk)


@patient_required
def episode_edit(request, pk: int):
    episode = selectors.access_episode(user=request.user, pk=pk)
    form = EpisodeDetailsForm(request.POST or None, initial=EpisodeDetailsForm.initial_for(episode))
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_update(episode=episode, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("episode_detail", pk=episode.pk)
    return render(request, "tracker/episode_form.html", {"form": form, "episode": episode})


@patient_required
def episode_log_past(request):
    form = PastEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.episode_create(patient=request.user, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Past episode saved."))
            return redirect("episode_detail", pk=episode.pk)
    return render(request, "tracker/episode_form.html", {"form": form, "past": True})


@patient_required
@require_POST
def episode_end(request, pk: int):
    episode = selectors.access_episode(user=request.user, pk=pk)
    services.episode_end(episode=episode)
    messages.success(request, _("Glad it's over. The episode is saved in your history."))
    return redirect("episode_detail", pk=episode.pk)


@patient_required
@require_POST
def episode_worse(request, pk: int):
    """The ongoing spasm got worse: the severity the patient taps replaces the old one."""
    episode = selectors.access_episode(user=request.user, pk=pk)
    form = QuickLogForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["severity"][0])
        return redirect("home")
    services.episode_update(episode=episode, severity=form.cleaned_data["severity"])
    messages.success(request, _("Severity updated. Here is what to do now."))
    return redirect("episode_detail", pk=episode.pk)


@patient_required
def episode_delete(request, pk: int):
    episode = selectors.access_episode(user=request.user, pk=pk)
    if request.method == "POST":
        services.episode_delete(episode=episode)
        messages.success(request, _("The episode was deleted."))
        return redirect("history")
    return render(request, "tracker/episode_confirm_delete.html", {"episode": episode})


@patient_required
def history(request):
    form, start, end = chosen_period(
        request.GET, patient=request.user, default_days=90, form_class=HistoryFilterForm
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    episodes = selectors.episode_list_for(
        patient=request.user,
        start=start,
        end=end,
        min_severity=filters.get("min_severity"),
        trigger=filters.get("trigger") or None,
    )
    stats = selectors.history_stats(patient=request.user, start=start, end=end)
    # The calendar opens on the latest month with an episode, not on an empty current month.
    month = filters.get("month") or (stats.days[-1].date if stats.days else end).replace(day=1)
    context = {
        "form": form,
        "episodes": list(episodes[:200]),
        "start": start,
        "end": end,
        "stats": stats,
        **charts.chart_context(stats),
        "month": month,
        "weekday_names": [WEEKDAYS_ABBR[day] for day in range(7)],
        "calendar": selectors.month_calendar(patient=request.user, year=month.year, month=month.month),
        "previous_month": (month.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next_month": (month.replace(day=28) + datetime.timedelta(days=4)).strftime("%Y-%m"),
    }
    return render(request, "tracker/history.html", context)


@patient_required
def summary(request):
    form, start, end = chosen_period(request.GET, patient=request.user, default_days=DEFAULT_SUMMARY_DAYS)
    context = {
        "form": form,
        **summary_context(patient=request.user, start=start, end=end),
        "pdf_url": reverse("summary_pdf") + f"?start={start.isoformat()}&end={end.isoformat()}",
    }
    return render(request, "tracker/summary.html", context)


@patient_required
def summary_pdf_download(request):
    form, start, end = chosen_period(request.GET, patient=request.user, default_days=DEFAULT_SUMMARY_DAYS)
    if form.errors:
        return period_error(form)
    pdf = summary_pdf(patient=request.user, start=start, end=end)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="spasm-summary-{start}-{end}.pdf"'
    return response


@patient_required
def checkin(request):
    today = timezone.localdate()
    which = request.POST.get("form")
    daily = CheckInForm(request.POST if which == "daily" else None, initial={"date": today}, prefix="daily")
    peg = PegForm(request.POST if which == "peg" else None, initial={"date": today}, prefix="peg")
    form = daily if which == "daily" else peg if which == "peg" else None
    if form is not None and form.is_valid():
        try:
            if form is daily:
                services.checkin_record(patient=request.user, **form.cleaned_data)
            else:
                services.peg_record(patient=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thanks, your check-in is saved."))
            return redirect("home")
    return render(request, "tracker/checkin.html", {"daily": daily, "peg": peg})


@patient_required
def insights(request):
    return render(request, "tracker/insights.html", {"insights": insights_for(patient=request.user)})


@login_required
def data_page(request):
    return render(request, "tracker/data.html")


@patient_required
def export_csv(request):
    response = HttpResponse(episodes_csv(patient=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="spasm-episodes.csv"'
    return response


@patient_required
def export_fhir(request):
    body = json.dumps(patient_bundle(patient=request.user), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="spasm-tracker-fhir.json"'
    return response


@login_required
def account_delete(request):
    error = None
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            user = request.user
            logout(request)
            user_delete(user=user)
            messages.success(request, _("Your account and all your data were deleted."))
            return forget_this_browser(redirect("home"))
        error = _("That password is not correct. Nothing was deleted.")
    return render(request, "tracker/account_delete.html", {"error": error})
