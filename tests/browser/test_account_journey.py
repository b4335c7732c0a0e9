import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_patient_signs_up_switches_to_spanish_and_logs_out(page):
    page.goto(page.base_url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    assert_accessible(page)

    page.get_by_label("Email").fill("new.person@example.org")
    page.get_by_label("Display name").fill("Sam")
    page.get_by_label("Password", exact=True).fill("a-long-enough-passphrase-7")
    page.get_by_label("Password again").fill("a-long-enough-passphrase-7")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(email="new.person@example.org")
    assert user.role == User.Role.PATIENT
    assert user.time_zone == "Europe/Madrid"

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="Hola, Sam")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
    user.refresh_from_db()
    assert user.language == "es"

    page.locator(".more-menu summary").click()  # the less used links sit under "Más"
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    assert_accessible(page)


def test_a_patient_logs_in_and_sees_the_home_page(page, patient, password):
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("PAT@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Pat")).to_be_visible()


def test_a_wrong_password_shows_a_message_at_the_form(page, patient):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(patient.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
