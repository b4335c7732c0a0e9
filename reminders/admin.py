from django.contrib import admin

from reminders.models import Delivery, Notification, QuietHours, ReminderPlan


@admin.register(ReminderPlan)
class ReminderPlanAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "local_time", "by_email", "in_app", "next_due_at"]
    list_filter = ["kind", "enabled", "by_email"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["next_due_at", "cycles_sent"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["plan", "due_at", "status", "attempts", "sent_at", "emailed", "note"]
    list_filter = ["status", "plan__kind", "emailed"]
    search_fields = ["plan__user__email"]
    date_hierarchy = "due_at"
    list_select_related = ["plan__user"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "delivery"]


admin.site.register(QuietHours)
