from reminders.selectors import unread_count


def bell(request) -> dict:
    """The unread count for the bell in the header; one query, only when signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user=user)}
