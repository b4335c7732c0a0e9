from accounts.models import User


def export_for(*, user: User) -> dict:
    """The account itself, for the user's data export."""
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "time_zone": user.time_zone,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
        },
    }
