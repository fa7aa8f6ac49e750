"""Money as text: whole pence, written as pounds and pence (2500 -> "£25.00"), the one rule for every page,
email and download."""


def pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"
