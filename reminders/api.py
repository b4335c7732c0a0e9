"""Reminder plans and in-app notifications (DESIGN.md: /api/reminders/, /api/notifications/)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from reminders import selectors, services
from reminders.models import HEAT_ICE_MINUTES, SNOOZE_MINUTES, Notification, ReminderPlan

PLAN_EXAMPLE = {
    "id": 7,
    "kind": "daily_log",
    "enabled": True,
    "local_time": "20:00",
    "weekdays": [0, 1, 2, 3, 4, 5, 6],
    "interval_minutes": 20,
    "max_cycles": 6,
    "delay_hours": 24,
    "by_email": True,
    "in_app": True,
    "next_due_at": "2026-11-29T19:00:00Z",
}


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "20:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time, "20:00": the answer has no seconds, so it is not OpenAPI's
    ``format: time`` (which has them)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ReminderPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ReminderPlan.Kind.choices)
    enabled = serializers.BooleanField(required=False)
    local_time = LocalTimeField(required=False)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        min_length=1,
        max_length=7,
        help_text="Days of the week, Monday is 0.",
    )
    interval_minutes = serializers.IntegerField(
        required=False, min_value=HEAT_ICE_MINUTES[0], max_value=HEAT_ICE_MINUTES[1]
    )
    max_cycles = serializers.IntegerField(required=False, min_value=1, max_value=12)
    delay_hours = serializers.IntegerField(required=False, min_value=1, max_value=168)
    by_email = serializers.BooleanField(required=False)
    in_app = serializers.BooleanField(required=False)
    next_due_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, plan: ReminderPlan) -> dict:
        data = super().to_representation(plan)
        data["weekdays"] = [int(day) for day in sorted(plan.weekdays)]
        return data

    def changes(self) -> dict:
        data = dict(self.validated_data)
        data.pop("kind", None)
        if "weekdays" in data:
            data["weekdays"] = "".join(sorted({str(day) for day in data["weekdays"]}))
        return data


class ReminderPlanListView(APIView):
    @extend_schema(
        responses=ReminderPlanSerializer(many=True), examples=[OpenApiExample("Plans", [PLAN_EXAMPLE])]
    )
    def get(self, request):
        plans = services.reminder_plans_ensure(user=request.user)
        return Response(ReminderPlanSerializer(plans, many=True).data)

    @extend_schema(
        request=ReminderPlanSerializer,
        responses={200: ReminderPlanSerializer, 201: ReminderPlanSerializer},
        description=(
            "Set the user's plan of one kind: 200 with the plan changed, or 201 when it was "
            "missing (e.g. deleted in the admin) and is created. Repeating it changes nothing more."
        ),
    )
    def post(self, request):
        serializer = ReminderPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan, created = services.reminder_plan_set(
            user=request.user,
            kind=serializer.validated_data["kind"],
            **serializer.changes(),
        )
        return Response(
            ReminderPlanSerializer(plan).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReminderPlanDetailView(APIView):
    @extend_schema(responses=ReminderPlanSerializer)
    def get(self, request, pk: int):
        plan = selectors.access_plan(user=request.user, pk=pk)
        return Response(ReminderPlanSerializer(plan).data)

    @extend_schema(request=ReminderPlanSerializer, responses=ReminderPlanSerializer)
    def patch(self, request, pk: int):
        plan = selectors.access_plan(user=request.user, pk=pk)
        serializer = ReminderPlanSerializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(
            ReminderPlanSerializer(services.reminder_plan_update(plan=plan, **serializer.changes())).data
        )


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read", "read_at", "snoozed_until"]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


NOTIFICATION_PAGE = inline_serializer(
    "PaginatedNotificationList",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": NotificationSerializer(many=True),
        "unread": serializers.IntegerField(),
    },
)


class NotificationListView(APIView):
    @extend_schema(responses=NOTIFICATION_PAGE)
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.notifications_for(user=request.user), request, view=self)
        response = paginator.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread"] = selectors.unread_count(user=request.user)
        return response


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = selectors.access_notification(user=request.user, pk=pk)
        return Response(
            NotificationSerializer(services.notification_mark_read(notification=notification)).data
        )


class SnoozeSerializer(serializers.Serializer):
    minutes = serializers.ChoiceField(choices=SNOOZE_MINUTES)


class NotificationSnoozeView(APIView):
    @extend_schema(request=SnoozeSerializer, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = selectors.access_notification(user=request.user, pk=pk)
        serializer = SnoozeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification = services.notification_snooze(
            notification=notification, minutes=serializer.validated_data["minutes"]
        )
        return Response(NotificationSerializer(notification).data)
