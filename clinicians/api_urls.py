from django.urls import path

from clinicians import api

urlpatterns = [
    path("patients/", api.PatientListView.as_view(), name="api-patients"),
    path(
        "patients/<id:patient_id>/episodes/", api.PatientEpisodesView.as_view(), name="api-patient-episodes"
    ),
    path("patients/<id:patient_id>/summary/", api.PatientSummaryView.as_view(), name="api-patient-summary"),
    path(
        "patients/<id:patient_id>/insights/", api.PatientInsightsView.as_view(), name="api-patient-insights"
    ),
    path(
        "patients/<id:patient_id>/reviewed/", api.PatientReviewedView.as_view(), name="api-patient-reviewed"
    ),
    path("patients/<id:patient_id>/fhir/", api.PatientFhirView.as_view(), name="api-patient-fhir"),
]
