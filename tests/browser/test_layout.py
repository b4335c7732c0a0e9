"""Every patient page fits a 360 px phone and a 1280 px screen: in English and Spanish, light
and dark, with a 40-character email and at 200% text; axe finds nothing in either colour scheme."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, EpisodeFactory, PatientFactory
from tracker import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "newuser179622709612345678901@example.org"  # 40 characters, no spaces to break at
WIDTHS = (360, 1280)


@pytest.fixture
def long_named_patient(guidance_content):
    assert len(LONG_EMAIL) == 40
    patient = PatientFactory(email=LONG_EMAIL, display_name="")
    now = timezone.now()
    for days_ago, severity in ((40, 3), (29, 6), (12, 8), (11, 9), (2, 10)):
        start = now - datetime.timedelta(days=days_ago)
        services.episode_create(
            patient=patient,
            severity=severity,
            started_at=start,
            ended_at=start + datetime.timedelta(hours=2),
            locations=["lower_back_left", "leg_left"],
            triggers=["moving_furniture"],
            relief=[{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
        )
    services.peg_record(patient=patient, date=timezone.localdate(), pain=5, enjoyment=4, activity=6)
    services.checkin_record(patient=patient, date=timezone.localdate(), had_spasm=False, worst_pain=None)
    return patient


def patient_paths(patient) -> list[str]:
    ended = EpisodeFactory(patient=patient, ended_at=timezone.now())
    ongoing = services.episode_create(patient=patient, severity=7)
    return [
        "/",
        f"/episodes/{ongoing.pk}/",
        f"/episodes/{ended.pk}/",
        f"/episodes/{ended.pk}/edit/",
        f"/episodes/{ended.pk}/delete/",
        "/episodes/past/",
        "/history/",
        "/summary/",
        "/checkin/",
        "/my-data/",
        "/my-data/delete/",
        "/notifications/",
        "/reminders/",
        "/accounts/profile/",
        "/sharing/",
    ]


def set_language(page, language: str) -> None:
    page.goto(f"{page.base_url}/")
    page.select_option("#language-select", language)
    page.locator(".language-form button").click()


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_patient_page_scrolls_sideways(page_factory, long_named_patient, width, language, scheme):
    page = page_factory(viewport={"width": width, "height": 800}, color_scheme=scheme)
    log_in(page, LONG_EMAIL, PASSWORD)
    set_language(page, language)
    wide = {}
    for path in patient_paths(long_named_patient):
        page.goto(f"{page.base_url}{path}")
        wide[path] = overflow(page)
        if width == WIDTHS[0]:
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            wide[f"{path} at 200%"] = overflow(page)
    assert {path: extra for path, extra in wide.items() if extra > 0} == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_patient_pages_pass_axe_in_both_colour_schemes(page_factory, long_named_patient, scheme):
    page = page_factory(color_scheme=scheme)
    log_in(page, LONG_EMAIL, PASSWORD)
    for path in patient_paths(long_named_patient):
        page.goto(f"{page.base_url}{path}")
        assert_accessible(page)


def test_tables_become_one_card_per_row_on_a_phone_and_stay_tables_on_a_wide_screen(
    page_factory, long_named_patient
):
    for width, display in ((360, "block"), (1280, "table-row")):
        page = page_factory(viewport={"width": width, "height": 800})
        log_in(page, LONG_EMAIL, PASSWORD)
        page.goto(f"{page.base_url}/summary/")
        for table in ("PEG scores", "Every episode in the period"):
            row = page.locator("table", has=page.get_by_text(table)).locator("tbody tr").first
            assert row.evaluate("row => getComputedStyle(row).display") == display
        label = page.locator(".episode-table tbody td[data-label]").first
        before = label.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert (before == '"Severity"') == (width == 360)


def test_the_tab_bar_sits_at_the_bottom_of_a_phone_and_in_the_header_of_a_wide_screen(
    page_factory, long_named_patient
):
    for width in WIDTHS:
        page = page_factory(viewport={"width": width, "height": 800})
        log_in(page, LONG_EMAIL, PASSWORD)
        bar = page.get_by_role("navigation", name="Main").bounding_box()
        header = page.locator(".site-header").bounding_box()
        if width == 360:
            assert bar["y"] + bar["height"] == 800  # fixed to the bottom of the screen
            assert header["height"] <= 60  # compact: one row, was 138-186 px
        else:
            assert bar["y"] < header["y"] + header["height"]
        for name in ("Home", "History", "Summary", "Alerts", "Profile"):
            link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name)
            box = link.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, name


def test_every_button_and_tab_is_at_least_44_px_and_shows_a_focus_ring(page_factory, long_named_patient):
    page = page_factory()
    log_in(page, LONG_EMAIL, PASSWORD)
    for path in patient_paths(long_named_patient):
        page.goto(f"{page.base_url}{path}")
        small = page.evaluate(
            """() => [...document.querySelectorAll('.button, button, summary, select, .tab-bar a, .more-menu summary')]
                .map(el => [el, el.getBoundingClientRect()])
                .filter(([el, r]) => r.width > 0 && r.height > 0)  // not inside a closed disclosure
                .filter(([el, r]) => r.height < 44 || r.width < 44)
                .map(([el, r]) => el)
                .map(el => el.textContent.trim().slice(0, 30))"""
        )
        assert small == [], f"{path}: {small}"
    page.goto(f"{page.base_url}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "solid"


def test_at_200_percent_text_on_a_phone_no_label_breaks_mid_word(page_factory, long_named_patient):
    """The tab bar scrolls on its own rather than break "Historial"; a stacked table puts each
    column name above its value; the brand leaves only its logo (named for screen readers)."""
    page = page_factory()
    log_in(page, LONG_EMAIL, PASSWORD)
    set_language(page, "es")
    page.goto(f"{page.base_url}/summary/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    lines = page.locator(".tab-bar a > span:last-child").evaluate_all(
        "spans => spans.map(span => span.getClientRects().length)"
    )
    assert lines == [1] * 5
    cell = page.locator(".stack-table tbody td[data-label]").first
    assert len(cell.evaluate("td => getComputedStyle(td).gridTemplateColumns").split()) == 1
    assert page.locator(".brand span").bounding_box()["width"] <= 1
    assert overflow(page) <= 0
    page.evaluate("document.documentElement.style.fontSize = ''")
    assert len(cell.evaluate("td => getComputedStyle(td).gridTemplateColumns").split()) == 2
    assert page.locator(".brand span").bounding_box()["width"] > 50
