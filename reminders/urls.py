from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.reminder_settings, name="settings"),
    path("reminders/follow-up/<id:pk>/", views.follow_up, name="follow_up"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="read_all"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<id:pk>/snooze/", views.notification_snooze, name="snooze"),
]
