"""Offline-first logging (issue 15) on Chromium, with the browser context's offline switch:
a spasm logged with no connection is kept on the phone, shown, and sent exactly once."""

import time

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.browser.conftest import assert_accessible, log_in
from tracker import services
from tracker.models import DailyCheckIn, Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC_SECONDS = 30
QUEUE_COUNT = """() => new Promise((resolve) => {
  const open = indexedDB.open("spasm-offline", 1);
  open.onupgradeneeded = () => { open.transaction.abort(); resolve(0); };
  open.onerror = () => resolve(0);
  open.onsuccess = () => {
    const db = open.result;
    const count = db.transaction("queue").objectStore("queue").count();
    count.onsuccess = () => { db.close(); resolve(count.result); };
  };
})"""


def ready_for_offline(page) -> None:
    """The service worker controls the page and holds the shell and the guidance."""
    # Generous: installing the worker fetches and caches the shell, slow on a loaded machine.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=30_000)


def route_episodes(page, handler) -> None:
    """Route the episode API for the page's own requests and the service worker's (its
    Background Sync sends too): page routes come first for the page, the context's for it."""
    page.route("**/api/episodes/", handler)
    page.context.route("**/api/episodes/", handler)


def unroute_episodes(page) -> None:
    page.unroute("**/api/episodes/")
    page.context.unroute("**/api/episodes/")


def listed_episodes(patient) -> list[dict]:
    api = APIClient()
    api.force_authenticate(patient)
    return api.get("/api/episodes/").json()["results"]


def wait_for(page, condition, seconds: float = SYNC_SECONDS):
    """Polls while Playwright keeps serving the page's routes (a sleep would stall them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"not within {seconds} s")


def log_offline(page, severity: str = "8") -> None:
    page.context.set_offline(True)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name=severity, exact=False).first.click()


def test_a_spasm_logged_offline_is_kept_shown_and_sent_once(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    log_offline(page)

    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("Saved on this phone; it will be sent when you are back online.")
    expect(status).to_contain_text("Waiting to be sent: 1")
    expect(page.get_by_role("heading", name="Do you have any of these?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Numbness between the legs").click()
    emergency = page.locator("[data-offline-panel] .prompt-emergency")
    expect(emergency).to_contain_text("Emergency: seek care now")
    assert emergency.get_by_role("link", name="Call 112 now").get_attribute("href") == "tel:112"
    expect(page.locator("[data-offline-panel] .step").first).to_contain_text(
        "Get to a comfortable chair or sofa"
    )
    assert_accessible(page)

    page.reload()  # the browser is closed and opened again, still offline
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.locator("[data-offline-panel]")).to_contain_text("Spasm, severity 8/10")
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 1")
    expect(page.locator("[data-offline-panel] .prompt-emergency")).to_be_visible()
    expect(page.get_by_text("I'm having a spasm now")).to_be_hidden()
    assert_accessible(page)
    assert Episode.objects.count() == 0

    page.context.set_offline(False)
    episodes = wait_for(page, lambda: listed_episodes(patient))
    expect(page.locator("[data-offline-status]")).to_contain_text("Sent.")
    page.wait_for_timeout(2000)  # a second send would land now
    episodes = listed_episodes(patient)
    assert len(episodes) == 1
    assert episodes[0]["severity"] == 8 and episodes[0]["ongoing"] is True
    assert episodes[0]["red_flags"] == ["saddle_numbness"] and episodes[0]["red_flags_checked_at"]
    # The server's guidance replaces the offline one.
    page.locator("[data-offline-status]").get_by_role("link", name="What to do now").click()
    expect(page.locator(".prompt").first).to_contain_text("Emergency: seek care now")
    assert page.evaluate(QUEUE_COUNT) == 0


def test_a_lost_answer_is_sent_again_and_stored_once(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    answers = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        response = route.fetch()  # the server writes the episode...
        answers.append(response.status)
        if len(answers) == 1:
            return route.abort()  # ...and its answer never reaches the phone
        return route.fulfill(response=response)

    route_episodes(page, lose_the_first_answer)
    log_offline(page, "6")
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 1")
    page.context.set_offline(False)

    wait_for(page, lambda: len(answers) >= 2)
    expect(page.locator("[data-offline-status]")).to_contain_text("Sent.")
    assert answers[:2] == [201, 201]  # the second is the first answer, replayed
    assert Episode.objects.filter(patient=patient).count() == 1
    assert len(listed_episodes(patient)) == 1
    assert page.evaluate(QUEUE_COUNT) == 0


def test_an_entry_the_server_refuses_is_shown_to_resolve(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    log_offline(page, "7")
    # Meanwhile a spasm was started from another device: one ongoing episode at a time.
    other, _ = services.episode_quick_log(patient=patient, severity=5)
    page.context.set_offline(False)

    refused = page.locator(".offline-refused")
    expect(refused).to_be_visible(timeout=SYNC_SECONDS * 1000)
    expect(refused).to_contain_text("Not sent: please check this entry.")
    expect(refused).to_contain_text("Spasm, severity 7/10")
    assert refused.get_by_role("link", name="Open the spasm in progress").get_attribute("href") == (
        f"/episodes/{other.pk}/"
    )
    assert_accessible(page)
    page.reload()  # still there: never dropped silently
    expect(page.locator(".offline-refused")).to_contain_text("Spasm, severity 7/10")
    page.locator(".offline-refused").get_by_role("button", name="Delete this entry").click()
    expect(page.locator(".offline-refused")).to_have_count(0)
    assert page.evaluate(QUEUE_COUNT) == 0
    assert [e["id"] for e in listed_episodes(patient)] == [other.pk]


def test_log_out_clears_the_queue_and_the_caches(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    route_episodes(page, lambda route: route.abort())  # nothing gets through
    log_offline(page)
    page.context.set_offline(False)
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 1")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator(".more-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    assert "not sent yet" in dialogs[0]
    assert page.evaluate(QUEUE_COUNT) == 0
    assert page.evaluate("caches.keys()") == []

    unroute_episodes(page)
    log_in(page, patient.email, password)
    ready_for_offline(page)
    page.wait_for_timeout(2000)
    assert Episode.objects.count() == 0
    expect(page.locator("[data-offline-status]")).to_be_empty()


def test_it_got_worse_its_over_and_the_check_in_wait_offline_too(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="5", exact=False).first.click()
    page.goto(f"{page.base_url}/")
    ready_for_offline(page)

    page.context.set_offline(True)
    card = page.locator(".ongoing")
    card.get_by_text("It got worse").click()
    card.get_by_role("button", name="9", exact=True).click()
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 1")
    card.get_by_role("button", name="It's over").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 2")
    page.goto(f"{page.base_url}/checkin/")  # the shell: the check-in page needs the server
    page.get_by_label("No spasm today").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 3")
    assert DailyCheckIn.objects.count() == 0 and Episode.objects.get().is_ongoing

    page.context.set_offline(False)
    wait_for(page, lambda: DailyCheckIn.objects.filter(patient=patient, had_spasm=False).exists())
    wait_for(page, lambda: not Episode.objects.get().is_ongoing)
    assert DailyCheckIn.objects.count() == 1 and Episode.objects.get().severity == 9


def test_the_spanish_patient_sees_the_offline_words_and_prompt_in_spanish(
    page, patient, password, guidance_content
):
    patient.language = "es"
    patient.save()
    log_in(page, patient.email, password)
    ready_for_offline(page)
    page.context.set_offline(True)
    page.locator(".quick-log summary").click()
    page.locator(".severity-button.severity-9").click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("Guardado en este teléfono; se enviará cuando vuelvas a tener conexión.")
    expect(status).to_contain_text("Pendientes de enviar: 1")
    page.locator("[data-offline-panel] [data-sign=bladder_bowel]").click()
    expect(page.locator("[data-offline-panel] .prompt-emergency .call-now")).to_have_text("Llama ya al 112")
    assert_accessible(page)
    page.context.set_offline(False)
    wait_for(page, lambda: Episode.objects.filter(patient=patient).exists())


def test_the_app_is_installable(page, patient, password):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)
    assert manifest["name"] and manifest["short_name"] and manifest["lang"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    icons = page.evaluate(
        """async (url) => {
          const manifest = await (await fetch(url)).json();
          return Promise.all(manifest.icons.map(async (icon) => {
            const response = await fetch(new URL(icon.src, new URL(url, location.href)));
            const blob = await response.blob();
            let size = null;
            if (icon.type === "image/png") { const bitmap = await createImageBitmap(blob); size = bitmap.width + "x" + bitmap.height; }
            return {sizes: icon.sizes, purpose: icon.purpose, status: response.status, size: size};
          }));
        }""",
        manifest_url,
    )
    assert all(icon["status"] == 200 for icon in icons)
    assert all(icon["size"] in (None, icon["sizes"]) for icon in icons)
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in icons}
    assert any(icon["purpose"] == "maskable" for icon in icons)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == f"{page.base_url}/"
    assert page.evaluate("window.isSecureContext")


def test_the_warning_sign_answer_on_an_episode_page_waits_offline_and_shows_the_prompt(
    page, patient, password, guidance_content
):
    log_in(page, patient.email, password)
    # Installed first: a worker that activates while the log's redirect is under way cannot
    # claim the page it lands on (Chromium), so that one page would stay uncontrolled.
    ready_for_offline(page)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="8", exact=False).first.click()
    expect(page.get_by_role("heading", name="Do you have any of these?")).to_be_visible()
    ready_for_offline(page)

    page.context.set_offline(True)
    page.get_by_role("button", name="Numbness between the legs").click()
    answer = page.locator(".offline-answer .prompt-emergency")
    expect(answer).to_contain_text("Emergency: seek care now")
    assert answer.get_by_role("link", name="Call 112 now").get_attribute("href") == "tel:112"
    expect(page.locator("[data-offline-status]")).to_contain_text("Waiting to be sent: 1")
    assert_accessible(page)
    page.context.set_offline(False)
    wait_for(page, lambda: Episode.objects.get().red_flags == ["saddle_numbness"])


def test_a_form_that_needs_the_server_says_so_offline(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    ready_for_offline(page)
    page.goto(f"{page.base_url}/episodes/past/")
    page.context.set_offline(True)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("[data-offline-status]")).to_contain_text("This needs the connection.")
    assert page.url.endswith("/episodes/past/")


def test_without_javascript_the_quick_log_posts_as_before(page_factory, patient, password, guidance_content):
    page = page_factory(java_script_enabled=False)
    log_in(page, patient.email, password)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="4", exact=False).first.click()
    expect(page.get_by_text("Saved. Here is what to do now.")).to_be_visible()
    expect(page.locator("[data-offline-status]")).to_be_empty()
    assert Episode.objects.get(patient=patient).severity == 4
