from axes.models import AccessLog

from accounts.models import User


def export_for(*, user: User) -> dict:
    """The account itself and its sign-ins as django-axes recorded them, for the user's
    data export."""
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "time_zone": user.time_zone,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
        },
        "sign_ins": [
            {
                "at": entry.attempt_time.isoformat(),
                "signed_out_at": entry.logout_time.isoformat() if entry.logout_time else None,
                "ip_address": entry.ip_address,
                "user_agent": entry.user_agent,
            }
            for entry in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
        ],
    }
