from django.urls import path

from guidance.api import GuidancePreviewView

urlpatterns = [
    path("guidance/preview/", GuidancePreviewView.as_view(), name="api-guidance-preview"),
]
