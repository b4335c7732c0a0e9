"""Playwright on the system Chromium, against pytest-django's live server.

Every page a test visits can be checked with ``assert_accessible(page)`` (axe-core); no
request may leave for another origin (the ``page`` fixture aborts and records any), and
nothing may be blocked by the Content-Security-Policy (inline script or style).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    require(executable is not None, "no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the requirements install it
        require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server, request):
    """Opens pages in new contexts (viewport, color_scheme...), each with the guards of ``page``."""
    opened = []

    def open_page(**context_options):
        options = {"viewport": {"width": 360, "height": 800}, "locale": "en-GB", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        foreign: list[str] = []

        def guard(route):
            host = urlsplit(route.request.url).hostname or ""
            if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        csp_violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.base_url = live_server.url
        opened.append((context, page, foreign, csp_violations))
        return page

    yield open_page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    for context, page, foreign, csp_violations in opened:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()
        assert foreign == [], f"the page tried to reach other sites: {foreign}"
        assert csp_violations == [], f"the Content-Security-Policy blocked something: {csp_violations}"


@pytest.fixture
def page(page_factory):
    return page_factory()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def assert_accessible(page) -> None:
    """axe-core finds no violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()  # a click may have started a navigation: check the page it opens
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, email: str, password: str) -> None:
    """Sign in through the pages; for an account with an authenticator (clinician and staff
    fixtures have one), type the code its app would show."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/verify/" in page.url:
        # By name, not label: the page may be in the user's language.
        page.locator("input[name=otp_token]").fill(next_code(email))
        page.locator("main form.stack button[type=submit]").click()
        page.wait_for_load_state()


def next_code(email: str) -> str:
    """A code the device has not accepted yet (each period's code works once)."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import totp_code

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    now_t = int((time.time() - device.t0) // device.step)
    return totp_code(device, steps_ahead=max(0, device.last_t + 1 - now_t))
