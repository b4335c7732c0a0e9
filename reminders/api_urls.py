from django.urls import path

from reminders import api

urlpatterns = [
    path("reminders/", api.ReminderPlanListView.as_view(), name="api-reminders"),
    path("reminders/<id:pk>/", api.ReminderPlanDetailView.as_view(), name="api-reminder"),
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<id:pk>/read/", api.NotificationReadView.as_view(), name="api-notification-read"),
    path(
        "notifications/<id:pk>/snooze/", api.NotificationSnoozeView.as_view(), name="api-notification-snooze"
    ),
]
