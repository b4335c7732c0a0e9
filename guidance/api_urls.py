from django.urls import path

from guidance.api import EpisodeGuidanceView, GuidancePreviewView

urlpatterns = [
    path("episodes/<id:pk>/guidance/", EpisodeGuidanceView.as_view(), name="api-episode-guidance"),
    path("guidance/preview/", GuidancePreviewView.as_view(), name="api-guidance-preview"),
]
