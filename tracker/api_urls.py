from django.urls import path

from tracker import api
from tracker.guidance import EpisodeGuidanceView
from tracker.insights.api import InsightsView

urlpatterns = [
    path("choices/", api.ChoicesView.as_view(), name="api-choices"),
    path("episodes/", api.EpisodeListCreateView.as_view(), name="api-episodes"),
    path("episodes/<id:pk>/", api.EpisodeDetailView.as_view(), name="api-episode"),
    path("episodes/<id:pk>/end/", api.EpisodeEndView.as_view(), name="api-episode-end"),
    path("episodes/<id:pk>/guidance/", EpisodeGuidanceView.as_view(), name="api-episode-guidance"),
    path("episodes/<id:pk>/red-flags/", api.EpisodeRedFlagsView.as_view(), name="api-episode-red-flags"),
    path("checkins/", api.CheckInView.as_view(), name="api-checkins"),
    path("peg/", api.PegView.as_view(), name="api-peg"),
    path("summary/", api.SummaryView.as_view(), name="api-summary"),
    path("fhir/", api.FhirView.as_view(), name="api-fhir"),
    path("insights/", InsightsView.as_view(), name="api-insights"),
]
