"""The service worker of the installable app (issue 15), served from the site root so its
scope is the whole site. Its source is ``static/js/sw.js``; this view puts a first line in
front of it with what to keep offline and a version that changes with any of those files,
so a release that changes the shell replaces the old cache."""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# The app shell's static files: what the offline page needs to draw and work.
SHELL_FILES = (
    "css/app.css",
    "css/print.css",
    "js/offline-queue.js",
    "js/offline.js",
    "js/elapsed.js",
    "img/favicon.svg",
    "img/icons/icons.svg",
    "img/icon-192.png",
    "manifest.json",
)
SOURCE = "js/sw.js"


def _read(name: str) -> bytes:
    return Path(finders.find(name)).read_bytes()


def worker_config() -> dict:
    precache = [static(name) for name in SHELL_FILES]
    digest = hashlib.sha256()
    for name in (SOURCE, *SHELL_FILES):
        digest.update(_read(name))
    digest.update(json.dumps(precache).encode())
    return {
        "version": digest.hexdigest()[:16],
        "shell": reverse("offline"),
        "guidance": reverse("offline_guidance"),
        "precache": precache,
        "queueScript": static("js/offline-queue.js"),
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    source = _read(SOURCE).decode()
    body = f"self.SPASM_SW = {json.dumps(worker_config())};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on every visit; never from a stale HTTP cache copy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
