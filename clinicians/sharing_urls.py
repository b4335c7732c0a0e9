from django.urls import path

from clinicians import views

app_name = "sharing"

urlpatterns = [
    path("", views.sharing, name="home"),
    path("accept/", views.accept, name="accept_form"),
    path("accept/<str:code>/", views.accept, name="accept"),
    path("links/<id:link_id>/revoke/", views.revoke, name="revoke"),
    path("organisations/<id:share_id>/revoke/", views.revoke_organisation, name="revoke_organisation"),
]
