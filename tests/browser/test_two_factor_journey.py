"""A verified clinician sets up two-factor sign-in on a phone-sized screen with a code
generated here from the key the page shows, then signs in with it (issue 18)."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import ClinicianFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_clinician_enrols_with_an_authenticator_and_signs_in_with_it(page, password):
    clinician = ClinicianFactory(email="dr.new@example.org", display_name="Dr New", two_factor=False)
    log_in(page, clinician.email, password)

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.goto(f"{page.base_url}/clinician/")  # nothing else opens before enrolment
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()

    secret = page.locator("#secret code").inner_text().replace(" ", "")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{10}", code) for code in codes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them, continue").click()
    page.goto(f"{page.base_url}/clinician/")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()

    page.locator(".more-menu summary").click()  # Log out sits under "More"
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{page.base_url}/clinician/")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
