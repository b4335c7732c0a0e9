from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("preview/", views.preview, name="preview"),
    path("publish/", views.publish, name="publish"),
]
