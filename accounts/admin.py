from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import User
from accounts.services import clinician_verify, user_sign_out_everywhere
from accounts.two_factor import two_factor_remove


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "clinician_verified_at", "is_staff", "date_joined"]
    list_filter = ["role", ("clinician_verified_at", admin.EmptyFieldListFilter), "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    actions = ["verify_clinicians", "reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("display_name", "role", "clinician_verified_at", "time_zone", "language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)

    @admin.action(description=_("Verify selected clinicians"))
    def verify_clinicians(self, request, queryset):
        count = 0
        for user in queryset.filter(role=User.Role.CLINICIAN, clinician_verified_at__isnull=True):
            clinician_verify(clinician=user)
            count += 1
        self.message_user(
            request,
            ngettext("%d clinician verified.", "%d clinicians verified.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor sign-in (lost device)"))
    def reset_two_factor(self, request, queryset):
        """Forget the users' devices and end their sessions and tokens; the admin's history
        of each user records who did it and when."""
        count = 0
        for user in queryset:
            two_factor_remove(user=user)
            user_sign_out_everywhere(user=user)
            self.log_change(request, user, gettext("Reset two-factor sign-in (lost device)."))
            count += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %d user: they set it up again at their next sign-in.",
                "Two-factor sign-in reset for %d users: they set it up again at their next sign-in.",
                count,
            )
            % count,
            messages.SUCCESS,
        )


# Device secrets and backup codes are nobody's to read, admins' included.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

# knox's own admin lets an admin mint a token for anyone: tokens are only listed and revoked here.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expiry"]
    search_fields = ["user__email"]
    fields = ["user", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
