from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from clinicians.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    """Deleting a row here removes the member: their access to the organisation's patients
    ends with it."""

    model = Membership
    extra = 1
    autocomplete_fields = ["clinician"]
    readonly_fields = ["joined_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "patient_count", "created_at"]
    search_fields = ["name", "memberships__clinician__email", "memberships__clinician__display_name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                members=Count("memberships", distinct=True),
                patients=Count("shares", filter=Q(shares__revoked_at__isnull=True), distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, organisation) -> int:
        return organisation.members

    @admin.display(description=_("patients sharing"), ordering="patients")
    def patient_count(self, organisation) -> int:
        return organisation.patients
