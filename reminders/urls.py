from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.reminder_settings, name="settings"),
    path("reminders/<int:pk>/", views.plan_update, name="plan_update"),
    path("reminders/quiet-hours/", views.quiet_hours_update, name="quiet_hours"),
    path("reminders/follow-up/<int:pk>/", views.follow_up, name="follow_up"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/snooze/", views.notification_snooze, name="snooze"),
]
