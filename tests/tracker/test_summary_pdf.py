"""The summary PDF (issue 14, item 3): its text holds the headline, the trend sentence and both
charts' titles; it is tagged (PDF/UA-1); it has one title and no page left mostly empty."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from clinicians.models import CareLink
from tracker import services

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def log(patient, *, days_ago: int, severity: int, **details):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    services.episode_create(
        patient=patient,
        severity=severity,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1),
        **details,
    )


@pytest.fixture
def record(patient):
    for days_ago in (50, 45, 40, 33):
        log(patient, days_ago=days_ago, severity=4, triggers=["heavy_lifting"])
    for days_ago in range(27, 0, -3):
        log(
            patient,
            days_ago=days_ago,
            severity=7,
            locations=["lower_back_left"],
            relief=[{"measure": "heat", "effect": "some"}, {"measure": "stretching", "effect": "worse"}],
            medications=SCRIPT,
            notes=SCRIPT,
        )
    services.peg_record(
        patient=patient,
        date=timezone.localdate() - datetime.timedelta(days=28),
        pain=4,
        enjoyment=4,
        activity=4,
    )
    services.peg_record(patient=patient, date=timezone.localdate(), pain=7, enjoyment=6, activity=6)
    return patient


def pdf_text(reader: PdfReader) -> str:
    # Lines wrap where the page ends them: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_text_has_the_headline_the_trend_and_both_chart_titles(patient_client, record):
    response = patient_client.get(reverse("summary_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(reader)
    assert "9 spasms in the last 4 weeks, worsening: average 7.0 vs 4.0 the 4 weeks before" in text
    assert "Worse over the last 4 weeks. 9 episodes in the last 4 weeks against 4 in the 4 before." in text
    assert "Severity over time (worst each day, 0-10)" in text and "Spasms per week" in text
    assert "Stretching: made it worse 9 of 9 times" in text
    assert "PEG score 4.0 on" in text and "up 2.3 (57%)" in text
    assert text.count("Doctor-visit summary") == 1  # one title, not two
    assert SCRIPT in text  # the medicines as typed: text on a page, nothing that runs
    assert len(reader.pages) <= 2


def test_the_pdf_is_tagged_pdf_ua_with_a_language_and_a_title(patient_client, record):
    reader = PdfReader(io.BytesIO(patient_client.get(reverse("summary_pdf")).content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title == "Doctor-visit summary for Pat"
    assert b"pdfuaid" in catalog["/Metadata"].get_data()  # the PDF/UA identification
    assert "/JavaScript" not in str(catalog.get("/Names", {}))
    alts = [
        str(node["/Alt"]) for node in structure(catalog["/StructTreeRoot"]) if node.get("/S") == "/Figure"
    ]
    assert [alt.split(":")[0] for alt in alts] == [
        "Severity over time (worst each day, 0-10)",
        "Spasms per week",
    ]


def structure(node):
    """Every element of a tagged PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            yield from structure(kid)
    elif isinstance(node, DictionaryObject):
        yield node
        if "/K" in node:
            yield from structure(node["/K"])


def test_no_page_of_a_long_summary_is_left_mostly_empty(patient_client, patient):
    for days_ago in range(1, 89):
        log(patient, days_ago=days_ago, severity=days_ago % 10, triggers=["sports"])
    reader = PdfReader(io.BytesIO(patient_client.get(reverse("summary_pdf")).content))
    lines = [len(page.extract_text().splitlines()) for page in reader.pages]
    # Every page but the last is full of rows; the last holds what is left over.
    assert len(lines) <= 4, lines
    assert all(count >= 30 for count in lines[:-1]), lines


def test_the_clinicians_pdf_is_the_same_summary(client, clinician, record):
    CareLink.objects.create(patient=record, clinician=clinician)
    client.force_login(clinician)
    response = client.get(f"/clinician/patients/{record.pk}/summary.pdf")
    text = pdf_text(PdfReader(io.BytesIO(response.content)))
    assert "Doctor-visit summary for Pat" in text
    assert "9 spasms in the last 4 weeks, worsening" in text and "Spasms per week" in text


def test_the_summary_page_escapes_script_typed_in_a_record(patient_client, record):
    page = patient_client.get(reverse("summary")).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<svg") >= 2 and "Spasms per week" in page
