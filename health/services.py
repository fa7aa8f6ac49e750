"""Writes for the health checks: beat's heartbeat, recorded by the worker that runs it."""

from datetime import datetime

from django.utils import timezone

from health.models import BeatRun

HEARTBEAT = "heartbeat"


def record_beat_run(*, name: str = HEARTBEAT, now: datetime | None = None) -> None:
    BeatRun.objects.update_or_create(name=name, defaults={"ran_at": now or timezone.now()})
