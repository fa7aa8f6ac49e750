from django.db import models
from django.utils import timezone


class MessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at=None)


class Message(models.Model):
    """An email waiting in the outbox: written in the same transaction as what it tells of."""

    to = models.EmailField()
    subject = models.CharField(max_length=250)
    # What to say: a template and plain values, written with the booking; the words and the invite are
    # rendered by the sender, so nothing slow happens while a booking holds its session's lock.
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True)
    ics_method = models.CharField(max_length=10, blank=True)
    ics_sequence = models.PositiveIntegerField(null=True, blank=True)
    # As sent, kept for the record.
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    ics = models.TextField(blank=True, help_text="The iCalendar invite sent with the email")
    kind = models.CharField(max_length=40, db_index=True)
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="messages")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"
