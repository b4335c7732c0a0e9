import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import clinician_required, patient_required
from clinicians import selectors, services
from clinicians.fhir import patient_bundle
from clinicians.forms import CodeForm, DashboardFilterForm, InvitePatientForm, NoteForm
from clinicians.models import AccessLogEntry, CareLink, Membership, OrganisationShare, ShareInvitation
from tracker import selectors as tracker_selectors
from tracker.charts import chart_context
from tracker.exports import episodes_csv
from tracker.forms import chosen_period, period_error
from tracker.guidance import guidance_as_given
from tracker.insights.report import insights_for
from tracker.reports import summary_pdf
from tracker.summary import DEFAULT_SUMMARY_DAYS, visit_summary

TIMELINE_PAGE_SIZE = 30


def _patient(request, patient_id: int):
    return selectors.linked_patient_or_404(clinician=request.user, patient_id=patient_id)


def _query_without_page(request) -> str:
    """The page's other parameters (filters, period), for links to the next page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@clinician_required
def dashboard(request):
    form = DashboardFilterForm(request.GET or None)
    ranking = selectors.dashboard_ranking(clinician=request.user, **form.filters())
    page = Paginator(ranking, selectors.DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": selectors.dashboard_rows(clinician=request.user, ranking=page.object_list),
        "page": page,
        "total": len(ranking),
        "query": _query_without_page(request),
        "form": form,
    }
    return render(request, "clinicians/dashboard.html", context)


@clinician_required
def redeem(request):
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            link = services.invitation_redeem_by_clinician(
                clinician=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("%(name)s shared their record with you.") % {"name": link.patient})
            return redirect("clinicians:patient", patient_id=link.patient_id)
    return render(request, "clinicians/redeem.html", {"form": form})


@clinician_required
def invite(request):
    form = InvitePatientForm(request.POST or None, clinician=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create_by_clinician(
                clinician=request.user,
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent. Access starts when the patient accepts it."))
            return redirect("clinicians:dashboard")
    return render(request, "clinicians/invite.html", {"form": form})


@clinician_required
def organisations(request):
    """The clinician's organisations, their members, and a way to leave."""
    memberships = selectors.memberships_for(clinician=request.user).prefetch_related(
        "organisation__memberships__clinician"
    )
    return render(request, "clinicians/organisations.html", {"memberships": memberships})


@clinician_required
@require_POST
def organisation_leave(request, organisation_id: int):
    try:
        organisation = services.membership_leave(clinician=request.user, organisation_id=organisation_id)
    except Membership.DoesNotExist as error:
        raise Http404 from error
    messages.success(
        request,
        _("You left %(name)s: you no longer see the patients who shared with it.") % {"name": organisation},
    )
    return redirect("clinicians:organisations")


@clinician_required
def patient_detail(request, patient_id: int):
    patient = _patient(request, patient_id)
    # The summary and charts cover the chosen period; the timeline pages through everything.
    period_form, start, end = chosen_period(request.GET, patient=patient, default_days=DEFAULT_SUMMARY_DAYS)
    stats = tracker_selectors.history_stats(patient=patient, start=start, end=end)
    timeline = Paginator(tracker_selectors.episodes_for(patient=patient), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Read before this visit counts as a look, so it still tells when the last one was.
    review = selectors.review_for(clinician=request.user, patient=patient)
    services.access_record(clinician=request.user, patient=patient, action=AccessLogEntry.Action.VIEWED)
    context = {
        "patient": patient,
        "review": review,
        "period_form": period_form,
        "pdf_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        "summary": visit_summary(patient=patient, start=start, end=end, history=stats),
        "stats": stats,
        **chart_context(stats),
        # What each episode was told then, not what today's content would say.
        "timeline": list(zip(timeline, guidance_as_given(episodes=list(timeline)), strict=True)),
        "timeline_page": timeline,
        "query": _query_without_page(request),
        "notes": selectors.notes_for(clinician=request.user, patient=patient),
        "insights": insights_for(patient=patient),
        "note_form": NoteForm(),
    }
    return render(request, "clinicians/patient_detail.html", context)


@clinician_required
def note_add(request, patient_id: int):
    patient = _patient(request, patient_id)  # first, so an unlinked patient is a 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(clinician=request.user, patient=patient, text=form.cleaned_data["text"])
        messages.success(request, _("Note saved."))
    else:
        messages.error(request, _("The note was empty or too long."))
    return redirect(reverse("clinicians:patient", args=[patient.pk]) + "#notes")


@clinician_required
def mark_reviewed(request, patient_id: int):
    patient = _patient(request, patient_id)  # first, so an unlinked patient is a 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.patient_mark_reviewed(clinician=request.user, patient=patient)
    messages.success(request, _("%(name)s is marked as reviewed.") % {"name": patient})
    return redirect("clinicians:patient", patient_id=patient.pk)


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@clinician_required
def export_csv(request, patient_id: int):
    patient = _patient(request, patient_id)
    services.access_record(clinician=request.user, patient=patient, action=AccessLogEntry.Action.EXPORTED_CSV)
    return _download(
        episodes_csv(patient=patient), "text/csv; charset=utf-8", f"patient-{patient.pk}-episodes.csv"
    )


@clinician_required
def export_pdf(request, patient_id: int):
    patient = _patient(request, patient_id)
    form, start, end = chosen_period(request.GET, patient=patient, default_days=DEFAULT_SUMMARY_DAYS)
    if form.errors:
        return period_error(form)
    services.access_record(clinician=request.user, patient=patient, action=AccessLogEntry.Action.EXPORTED_PDF)
    return _download(
        summary_pdf(patient=patient, start=start, end=end),
        "application/pdf",
        f"patient-{patient.pk}-summary.pdf",
    )


@clinician_required
def export_fhir(request, patient_id: int):
    patient = _patient(request, patient_id)
    services.access_record(
        clinician=request.user, patient=patient, action=AccessLogEntry.Action.EXPORTED_FHIR
    )
    body = json.dumps(patient_bundle(patient=patient), ensure_ascii=False)
    return _download(body, "application/fhir+json", f"patient-{patient.pk}-fhir.json")


# --- The patient's side: sharing, revoking, the access log ------------------------------


@patient_required
def sharing(request):
    patient = request.user
    context = {
        "links": selectors.links_for_patient(patient=patient),
        "organisation_shares": selectors.organisation_shares_for_patient(patient=patient),
        "access_log": selectors.access_log_for(patient=patient)[:100],
        "invitation": None,
        "accept_form": CodeForm(),
    }
    if request.method == "POST":
        context["invitation"] = services.invitation_create_by_patient(patient=patient)
        context["invitation_url"] = request.build_absolute_uri(reverse("clinicians:redeem")) + (
            f"?code={context['invitation'].code}"
        )
    return render(request, "clinicians/sharing.html", context)


@patient_required
def accept(request, code: str = ""):
    if code and not selectors.invitation_is_open(
        code=code, direction=ShareInvitation.Direction.FROM_CLINICIAN
    ):
        return render(request, "clinicians/accept.html", {"closed": True})
    form = CodeForm(request.POST or None, initial={"code": code})
    invitation = selectors.invitation_for_addressee(code=code, patient=request.user) if code else None
    if request.method == "POST" and form.is_valid():
        try:
            share = services.invitation_accept_by_patient(
                patient=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if isinstance(share, OrganisationShare):
                message = _("Every member of %(name)s can now see your record.") % {
                    "name": share.organisation
                }
            else:
                message = _("%(name)s can now see your record.") % {"name": share.clinician}
            messages.success(request, message)
            return redirect("sharing:home")
    return render(request, "clinicians/accept.html", {"form": form, "invitation": invitation})


@patient_required
@require_POST
def revoke(request, link_id: int):
    try:
        link = services.link_revoke(patient=request.user, link_id=link_id)
    except CareLink.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("%(name)s can no longer see your record.") % {"name": link.clinician})
    return redirect("sharing:home")


@patient_required
@require_POST
def revoke_organisation(request, share_id: int):
    try:
        share = services.organisation_share_revoke(patient=request.user, share_id=share_id)
    except OrganisationShare.DoesNotExist as error:
        raise Http404 from error
    messages.success(
        request, _("No member of %(name)s can see your record any more.") % {"name": share.organisation}
    )
    return redirect("sharing:home")
