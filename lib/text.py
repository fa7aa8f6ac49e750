"""Rules for text people type, kept in one place: what no request may carry, and what a name or a web
address may hold. Services, forms, serializers and the request middleware all ask here."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# No one can type these, and none can be stored or shown: NUL (PostgreSQL refuses it) and a lone
# UTF-16 surrogate (no encoding can write it out; JSON's "\ud800" escape is the only way one comes in).
UNREADABLE = re.compile("[\x00\ud800-\udfff]")
# C0 and C1 control characters (tab, newline and carriage return included) and DEL.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Characters that reorder or hide the text around them: bidirectional embeddings, overrides and
# isolates, and the invisible marks and joiners that make one name look like another.
BIDI_AND_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Something a mail program or a browser would turn into a link: a scheme (https:, mailto:, javascript:)
# or a bare www. address.
URL_LIKE = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*:/*[^\s:]|\bwww\.")

WEB_ADDRESS_RULE = "The address must be a web address starting https:// or http://, such as a SWAY's share link."


def has_unreadable(value: str) -> bool:
    return bool(UNREADABLE.search(value))


def check_name(value: str, *, label: str = "Name") -> str | None:
    """Why `value` cannot be a person's or an organisation's name, or None when it can: names show in
    other people's emails and pages, so they hold no control or direction-changing characters and
    nothing a mail program would turn into a link."""
    if CONTROL.search(value) or UNREADABLE.search(value):
        return f"{label} must not contain control characters"
    if BIDI_AND_INVISIBLE.search(value):
        return f"{label} must not contain invisible or text-direction characters"
    if URL_LIKE.search(value):
        return f"{label} must not contain a web address or a link"
    return None


def check_plain_text(value: str, *, label: str = "The title") -> str | None:
    """Why `value` cannot be a one-line plain text such as a title, a reference or a theme, or None when it
    can: it shows in lists, emails, calendar invites and spreadsheets, so no control characters (newlines
    and tabs included) and no invisible or text-direction characters. Web addresses are allowed."""
    if CONTROL.search(value) or UNREADABLE.search(value):
        return f"{label} must not contain control characters, such as a new line or a tab"
    if BIDI_AND_INVISIBLE.search(value):
        return f"{label} must not contain invisible or text-direction characters"
    return None


def plain_text(value: str, *, label: str, field: str) -> str:
    """`value` when it is plain one-line text (check_plain_text); otherwise lib.errors.Invalid on `field`."""
    from lib.errors import Invalid

    problem = check_plain_text(value, label=label)
    if problem:
        raise Invalid(problem + ".", field=field)
    return value


def check_web_address(url: str) -> str | None:
    """Why `url` is not a web address people may be sent to, or None when it is: http:// or https:// with
    a host, and no spaces or control characters anywhere (they would break a link, a header or an email)."""
    if CONTROL.search(url) or UNREADABLE.search(url) or BIDI_AND_INVISIBLE.search(url) or re.search(r"\s", url):
        return WEB_ADDRESS_RULE
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError
    except ValueError:
        return WEB_ADDRESS_RULE
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return WEB_ADDRESS_RULE
    return None


@deconstructible
class PlainName:
    """A model or form field's validator: the text is a plain name (check_name)."""

    def __init__(self, label: str = "Name"):
        self.label = label

    def __call__(self, value) -> None:
        problem = check_name(str(value), label=self.label)
        if problem:
            raise ValidationError(problem, code="plain_name")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainName) and other.label == self.label


@deconstructible
class PlainText:
    """A model or form field's validator: one line of plain text (check_plain_text), for titles and the like."""

    def __init__(self, label: str = "The title"):
        self.label = label

    def __call__(self, value) -> None:
        problem = check_plain_text(str(value), label=self.label)
        if problem:
            raise ValidationError(problem, code="plain_text")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainText) and other.label == self.label


def too_long(value: str, limit: int, label: str) -> str | None:
    """The message for text past its stated limit, or None: nothing is ever cut short silently."""
    if len(value) > limit:
        return f"{label} must be {limit:,} characters or fewer (it has {len(value):,})"
    return None


def within(value: str, limit: int, *, label: str, field: str) -> str:
    """`value` when it is within `limit` characters; otherwise lib.errors.Invalid on `field`."""
    from lib.errors import Invalid

    problem = too_long(value, limit, label)
    if problem:
        raise Invalid(problem + ".", field=field)
    return value


def is_email_address(value: str) -> bool:
    """Whether `value` could be an email address (Django's own check, 320 characters at most): asked before
    looking anyone up by it, so that no search runs on text that cannot be one."""
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
