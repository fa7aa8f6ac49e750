from charging.models import ChargingPolicy


def current_policy() -> ChargingPolicy:
    """The one policy row, created with the defaults the first time it is asked for."""
    policy = ChargingPolicy.objects.order_by("pk").first()
    return policy or ChargingPolicy.objects.create()


def charge_amount(session, policy: ChargingPolicy | None = None) -> int:
    """Pence the policy charges for a no-show or late cancellation on this session (by its total length)."""
    policy = policy or current_policy()
    if session.total_minutes <= policy.short_session_minutes:
        return policy.short_session_amount
    return policy.long_session_amount


def pounds(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"
