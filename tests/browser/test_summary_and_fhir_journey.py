"""A patient opens their doctor-visit summary (headline, both charts, the PDF) and downloads
their own FHIR bundle from "Your data" (issue 14, items 3 and 4)."""

import datetime
import io
import json

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, log_in
from tracker import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(patient, guidance_content):
    now = timezone.now()
    for days_ago, severity in ((45, 3), (38, 4), (20, 7), (9, 8), (3, 8)):
        start = now - datetime.timedelta(days=days_ago)
        services.episode_create(
            patient=patient,
            severity=severity,
            started_at=start,
            ended_at=start + datetime.timedelta(hours=1),
            locations=["lower_back_center"],
            triggers=["heavy_lifting"],
            relief=[{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
            notes="<img src=x onerror=alert(1)>",
        )
    services.episode_red_flags_record(
        episode=services.episode_create(
            patient=patient, severity=6, started_at=now - datetime.timedelta(days=1)
        ),
        red_flags=[],
    )
    services.peg_record(patient=patient, date=timezone.localdate(), pain=6, enjoyment=5, activity=5)
    return patient


@pytest.mark.parametrize("width", [360, 1280])
def test_the_summary_leads_with_its_headline_and_draws_both_charts(page_factory, record, password, width):
    page = page_factory(viewport={"width": width, "height": 800})
    log_in(page, record.email, password)
    page.goto(f"{page.base_url}/summary/")
    headline = page.locator(".headline")
    expect(headline).to_contain_text("spasms in the last 4 weeks")
    expect(headline).to_contain_text("no warning signs reported")
    assert headline.bounding_box()["y"] < 800  # on the first screen
    expect(page.get_by_text("Severity over time (worst each day, 0-10)", exact=True)).to_be_visible()
    expect(page.get_by_text("Spasms per week", exact=True)).to_be_visible()
    expect(page.get_by_text("Stretching: made it worse 5 of 5 times")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    text = " ".join(
        sheet.extract_text() for sheet in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
    )
    assert "Spasms per week" in text and "spasms in the last 4 weeks" in " ".join(text.split())


def test_a_patient_downloads_their_own_fhir_bundle_from_their_data_page(
    page, record, other_patient, password
):
    services.episode_create(patient=other_patient, severity=9, notes="Olga only")
    log_in(page, record.email, password)
    page.goto(f"{page.base_url}/my-data/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download your record for a health system (FHIR R4 bundle, JSON)"
        ).click()
    body = download.value.path().read_text()
    bundle = Bundle.model_validate(json.loads(body))
    texts = {
        entry.resource.code.text
        for entry in bundle.entry
        if entry.resource.__resource_type__ == "Observation"
    }
    assert any(text.startswith("Warning signs") for text in texts)
    assert any(text.startswith("PEG") for text in texts)
    assert "Olga" not in body and "<img src=x onerror=alert(1)>" in body  # data, as typed
