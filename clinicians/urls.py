from django.urls import path

from clinicians import views

app_name = "clinicians"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("redeem/", views.redeem, name="redeem"),
    path("invite/", views.invite, name="invite"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<id:organisation_id>/leave/", views.organisation_leave, name="organisation_leave"),
    path("patients/<id:patient_id>/", views.patient_detail, name="patient"),
    path("patients/<id:patient_id>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("patients/<id:patient_id>/notes/", views.note_add, name="note_add"),
    path("patients/<id:patient_id>/episodes.csv", views.export_csv, name="export_csv"),
    path("patients/<id:patient_id>/summary.pdf", views.export_pdf, name="export_pdf"),
    path("patients/<id:patient_id>/fhir.json", views.export_fhir, name="export_fhir"),
]
