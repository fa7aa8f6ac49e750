from django.db import models


class BeatRun(models.Model):
    """When beat's heartbeat last reached a worker: one row a schedule entry (today only "heartbeat")."""

    name = models.CharField(max_length=100, unique=True)
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.ran_at:%Y-%m-%d %H:%M:%S}"
