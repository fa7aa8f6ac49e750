"""Domain errors shared by every app.

Services raise these; views turn them into form errors and the API into JSON with a
`detail` a person can read. `status` is the HTTP answer the contract gives for the rule.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """The input breaks a rule (400)."""


class Conflict(DomainError):
    """The input clashes with the current state (409)."""

    status = 409


class NotAllowed(DomainError):
    """The person may not do this (403)."""

    status = 403
