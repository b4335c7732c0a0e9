from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import staff_required
from guidance.engine import evaluate
from guidance.forms import PreviewForm, PublishForm
from guidance.models import ContentRelease
from guidance.selectors import published_content, working_content
from guidance.services import content_publish


@staff_required
def preview(request):
    form = PreviewForm(request.GET or None)
    guidance, language = None, None
    if form.is_bound and form.is_valid():
        language = form.cleaned_data["language"]
        content = published_content() if form.cleaned_data["use_published"] else working_content()
        guidance = evaluate(form.facts(), content, language)
    context = {
        "form": form,
        "guidance": guidance,
        "preview_language": language,
        "publish_form": PublishForm(),
        "latest_release": ContentRelease.objects.select_related("published_by").first(),
    }
    return render(request, "guidance/preview.html", context)


@require_POST
@staff_required
def publish(request):
    form = PublishForm(request.POST)
    if form.is_valid():
        release = content_publish(user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Published. Patients now see release #%(id)s.") % {"id": release.pk})
    return redirect("guidance:preview")
