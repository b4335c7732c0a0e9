from django.urls import path

from reminders import api

urlpatterns = [
    path("reminders/", api.ReminderPlanListView.as_view(), name="api-reminders"),
    path("reminders/<int:pk>/", api.ReminderPlanDetailView.as_view(), name="api-reminder"),
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api-notification-read"),
    path(
        "notifications/<int:pk>/snooze/", api.NotificationSnoozeView.as_view(), name="api-notification-snooze"
    ),
]
