from django.urls import path

from tracker import offline, views

urlpatterns = [
    path("", views.home, name="home"),
    path("episodes/quick/", views.quick_log, name="quick_log"),
    path("episodes/past/", views.episode_log_past, name="episode_log_past"),
    path("episodes/<id:pk>/", views.episode_detail, name="episode_detail"),
    path("episodes/<id:pk>/edit/", views.episode_edit, name="episode_edit"),
    path("episodes/<id:pk>/end/", views.episode_end, name="episode_end"),
    path("episodes/<id:pk>/worse/", views.episode_worse, name="episode_worse"),
    path("episodes/<id:pk>/warning-signs/", views.episode_red_flags, name="episode_red_flags"),
    path("episodes/<id:pk>/delete/", views.episode_delete, name="episode_delete"),
    path("offline/", offline.offline_shell, name="offline"),
    path("offline/guidance.json", offline.offline_guidance, name="offline_guidance"),
    path("history/", views.history, name="history"),
    path("summary/", views.summary, name="summary"),
    path("summary/pdf/", views.summary_pdf_download, name="summary_pdf"),
    path("checkin/", views.checkin, name="checkin"),
    path("insights/", views.insights, name="insights"),
    path("my-data/", views.data_page, name="data"),
    path("my-data/episodes.csv", views.export_csv, name="export_csv"),
    path("my-data/fhir.json", views.export_fhir, name="export_fhir"),
    path("my-data/delete/", views.account_delete, name="account_delete"),
]
