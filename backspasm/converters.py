"""URL converters every app's routes use."""

# The largest id a BigAutoField holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


class RowIdConverter:
    """``<id:pk>``: a row id. Digits past what the database's ids can hold match no route
    (a 404), where ``<int:pk>`` would pass them to a query that fails with a 500."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
