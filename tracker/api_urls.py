from django.urls import path

from tracker import api
from tracker.guidance import EpisodeGuidanceView

urlpatterns = [
    path("choices/", api.ChoicesView.as_view(), name="api-choices"),
    path("episodes/", api.EpisodeListCreateView.as_view(), name="api-episodes"),
    path("episodes/<int:pk>/", api.EpisodeDetailView.as_view(), name="api-episode"),
    path("episodes/<int:pk>/end/", api.EpisodeEndView.as_view(), name="api-episode-end"),
    path("episodes/<int:pk>/guidance/", EpisodeGuidanceView.as_view(), name="api-episode-guidance"),
    path("checkins/", api.CheckInView.as_view(), name="api-checkins"),
    path("peg/", api.PegView.as_view(), name="api-peg"),
    path("summary/", api.SummaryView.as_view(), name="api-summary"),
]
