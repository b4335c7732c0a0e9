"""What the installed app needs while the phone has no connection (issue 15).

Two reads, both cached by the service worker (``backspasm.pwa``):

- ``/offline/``: the app shell a navigation falls back to offline. It holds no health
  data: the quick log, the check-in and an empty place where ``static/js/offline.js``
  draws what is waiting on this phone. It is per account only in its language, zone and
  user id (the queue's scope), and the service worker's cache is cleared on log out.
- ``/offline/guidance.json?lang=es``: the published warning-sign question, the red-flag
  prompts and the during-a-spasm steps of the current release, in one language, with the
  words the offline pages need. Public content, the same for everyone: cacheable.
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import patient_required
from guidance.engine import phase_steps, resolve_prompt, source_title
from guidance.selectors import published_content, published_version
from guidance.vocabulary import EMERGENCY_RED_FLAGS, Phase
from tracker.forms import SEVERITY_ANCHORS, CheckInForm
from tracker.screening import warning_signs

# Browsers and proxies may keep the published guidance this long; the service worker
# asks again on every visit while online.
GUIDANCE_MAX_AGE = 300


@require_GET
@patient_required
def offline_shell(request: HttpRequest):
    context = {
        "severities": [(value, SEVERITY_ANCHORS.get(value, "")) for value in range(11)],
        "daily": CheckInForm(initial={"date": timezone.localdate()}, prefix="daily"),
        # The shell is kept for later: no flash message is spent on it, no count goes stale.
        "messages": [],
        "unread_notifications": 0,
    }
    return render(request, "tracker/offline.html", context)


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _prompt(key: str, language: str) -> dict:
    prompt = resolve_prompt(published_content(), key, language)
    return {
        "key": prompt.key,
        "urgency": prompt.urgency,
        "text": prompt.text,
        "source": prompt.source,
        "source_title": prompt.source_title,
    }


def _words(number: str) -> dict[str, str]:
    """What the offline pages say, in the active language ({placeholders} filled in by the page)."""
    return {
        "saved": _("Saved on this phone; it will be sent when you are back online."),
        "waiting": _("Waiting to be sent: %(count)s") % {"count": "{count}"},
        "sent": _("Sent. What you saved on this phone is in your history now."),
        "signed_out": _("Log in again to send what you saved on this phone."),
        "refused": _("Not sent: please check this entry."),
        "open_ongoing": _("Open the spasm in progress"),
        "delete": _("Delete this entry"),
        "confirm_logout": _(
            "Some entries on this phone are not sent yet. Logging out deletes them. Log out anyway?"
        ),
        "spasm": _("Spasm, severity %(severity)s/10, started at %(time)s")
        % {"severity": "{severity}", "time": "{time}"},
        "spasm_ended": _("ended at %(time)s") % {"time": "{time}"},
        "end": _("The spasm ended at %(time)s") % {"time": "{time}"},
        "worse": _("Severity now %(severity)s/10") % {"severity": "{severity}"},
        "answer": _("Warning-sign answer for a spasm"),
        "checkin": _("Daily check-in for %(date)s") % {"date": "{date}"},
        "saved_heading": _("Saved on this phone"),
        "needs_server": _(
            "Details, history and advice for you need the connection: they come back when you are online."
        ),
        "its_over": _("It's over"),
        "over": _("Glad it's over. It will be sent with the rest."),
        "question": _("Do you have any of these?"),
        "none": _("None of these"),
        "screen_note": _(
            "Warning signs from NICE guideline NG59. Tap one and we will tell you where to get care."
        ),
        "no_signs": _("Thank you. No warning signs: here is what to do now."),
        "emergency": _("Emergency: seek care now"),
        "urgent": _("Urgent: see a doctor today"),
        "call": _("Call %(number)s now") % {"number": number},
        "call_note": _("or your local emergency number"),
        "source": _("Source:"),
        "steps_heading": str(Phase.DURING.label),
        "what_to_do": _("What to do now"),
        "needs_connection": _(
            "This needs the connection. Nothing was sent: try again when you are back online."
        ),
        "checkin_saved": _("Check-in saved on this phone; it will be sent when you are back online."),
    }


@require_GET
def offline_guidance(request: HttpRequest) -> JsonResponse:
    language = _language(request)
    number = settings.EMERGENCY_NUMBER
    with translation.override(language):
        body = {
            "release": published_version(),
            "language": language,
            "emergency_number": number,
            "signs": [
                {
                    "slug": sign.slug,
                    "title": sign.title,
                    "hint": sign.hint,
                    "prompt": "red_flag_emergency" if sign.slug in EMERGENCY_RED_FLAGS else "red_flag_urgent",
                }
                for sign in warning_signs()
            ],
            "prompts": {key: _prompt(key, language) for key in ("red_flag_emergency", "red_flag_urgent")},
            "steps": [
                {
                    "key": step.key,
                    "title": step.title,
                    "body": step.body,
                    "source": step.source,
                    "source_title": source_title(step.source),
                }
                for step in phase_steps(published_content(), Phase.DURING, language)
            ],
            "words": _words(number),
        }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=GUIDANCE_MAX_AGE)
    response["Content-Language"] = language
    return response
