"""The doctor-visit summary as a PDF (WeasyPrint renders the same template as the page)."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from accounts.models import User
from tracker.summary import visit_summary


def summary_pdf(*, patient: User, start: datetime.date, end: datetime.date) -> bytes:
    from weasyprint import CSS, HTML

    context = {"summary": visit_summary(patient=patient, start=start, end=end)}
    html = render_to_string("tracker/summary_pdf.html", context)
    stylesheets = [
        CSS(filename=str(settings.BASE_DIR / "static/css/app.css")),
        CSS(filename=str(settings.BASE_DIR / "static/css/print.css")),
    ]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=stylesheets)
