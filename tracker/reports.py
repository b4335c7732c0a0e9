"""The doctor-visit summary as a PDF: WeasyPrint renders the summary template with its two
charts (inline SVG) as a tagged PDF/UA-1 document, so screen readers can read it."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from accounts.models import User
from tracker.charts import chart_context
from tracker.selectors import history_stats
from tracker.summary import visit_summary

PDF_VARIANT = "pdf/ua-1"  # tagged structure, document language and title (ISO 14289-1)


def summary_context(*, patient: User, start: datetime.date, end: datetime.date) -> dict:
    """The summary and its severity and weekly charts, for the page and the PDF alike."""
    stats = history_stats(patient=patient, start=start, end=end)
    charts = chart_context(stats)
    return {
        "summary": visit_summary(patient=patient, start=start, end=end, history=stats),
        "severity_chart": charts["severity_chart"],
        "week_chart": charts["week_chart"],
        "with_charts": True,
    }


def summary_pdf(*, patient: User, start: datetime.date, end: datetime.date) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(
        "tracker/summary_pdf.html", summary_context(patient=patient, start=start, end=end)
    )
    stylesheets = [
        CSS(filename=str(settings.BASE_DIR / "static/css/app.css")),
        CSS(filename=str(settings.BASE_DIR / "static/css/print.css")),
        CSS(filename=str(settings.BASE_DIR / "static/css/summary_pdf.css")),
    ]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=stylesheets, pdf_variant=PDF_VARIANT
    )
