"""A booking's status has one owner: the moves in bookings/transitions.py, made only by bookings/.

The table is walked whole: every move it lists is made, every move it does not list is refused and
changes nothing. Then the whole tree is read: no module outside bookings/ writes a booking's status or
picks bookings by a status written out as a string.
"""

import ast
import re
from pathlib import Path

import pytest

from bookings.models import Booking
from bookings.transitions import HISTORY, NEW, TRANSITIONS, NotAllowedMove, check_move, create, move

ROOT = Path(__file__).resolve().parents[2]
STATUSES = set(Booking.Status.values)
# Test builders and the benchmarks' seed rows set up bookings in a given state, as fixtures do.
NOT_APP_CODE = {"bookings", "tests", "bench", "node_modules", "static", "staticfiles", "scripts", ".venv"}
OTHER_MODELS_WITH_A_STATUS = {"charge", "invoice", "session"}
STATUS_KEYWORD = re.compile(r"(^|__)status(__in)?$")
WRITES = {"create", "update", "bulk_create", "get_or_create", "update_or_create"}


def test_the_table_names_every_status_and_nothing_else():
    assert set(TRANSITIONS) == STATUSES | {NEW, HISTORY}
    assert all(targets <= STATUSES for targets in TRANSITIONS.values())
    assert TRANSITIONS[NEW] == {"pending_approval", "confirmed", "waitlisted"}


@pytest.mark.parametrize("before", sorted(STATUSES))
def test_every_move_in_the_table_is_made_and_every_other_is_refused(before, session, practitioner):
    booking = Booking.objects.create(session=session, person=practitioner, status=before)
    for after in sorted(STATUSES):
        booking.refresh_from_db()
        if booking.status != before:
            Booking.objects.filter(pk=booking.pk).update(status=before)
            booking.refresh_from_db()
        if after in TRANSITIONS[before]:
            move(booking, after)
            assert Booking.objects.get(pk=booking.pk).status == after
        else:
            with pytest.raises(NotAllowedMove, match="cannot go from"):
                move(booking, after)
            assert Booking.objects.get(pk=booking.pk).status == before, f"{before} -> {after} saved"


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_a_new_booking_starts_only_where_the_table_lets_it(status, session, practitioner):
    if status in TRANSITIONS[NEW]:
        assert create(session=session, person=practitioner, status=status).status == status
    else:
        with pytest.raises(NotAllowedMove):
            create(session=session, person=practitioner, status=status)
        assert not Booking.objects.exists()


def test_history_from_the_previous_system_may_arrive_in_any_state():
    for status in STATUSES:
        check_move(HISTORY, status)


def _literals(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return set().union(*(_literals(item) for item in node.elts)) if node.elts else set()
    return set()


def _owner(node: ast.AST) -> str:
    """The name an attribute hangs from: `charge` in `charge.status`, `booking` in `self.booking.status`."""
    if isinstance(node, ast.Name):
        return node.id.lower()
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    return ""


def _writes_bookings(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "Booking"
    text = ast.unparse(func)
    return isinstance(func, ast.Attribute) and func.attr in WRITES and bool(re.search(r"\bBooking\b|\bbookings\b",
                                                                                         text))


def status_breaches(source: str, where: str = "<source>") -> list[str]:
    """Every place in `source` that writes a booking's status or picks bookings by a status string."""
    found, tree = [], ast.parse(source)
    # A database constraint spells out the values a column may hold (its migration must): not a filter.
    in_constraints = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.Call)
                      and ast.unparse(node.func).endswith("Constraint") for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in in_constraints:
            continue
        line = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (isinstance(target, ast.Attribute) and target.attr == "status"
                        and _owner(target.value) not in OTHER_MODELS_WITH_A_STATUS):
                    found.append(f"{line} assigns a status: call a service in bookings/services")
        elif isinstance(node, ast.Call):
            if _writes_bookings(node) and any(kw.arg == "status" for kw in node.keywords):
                found.append(f"{line} writes a booking's status: call a service in bookings/services")
            for kw in node.keywords:
                if kw.arg and STATUS_KEYWORD.search(kw.arg) and _literals(kw.value) & STATUSES:
                    found.append(f"{line} filters on a status string: use the Booking QuerySet or Booking.Status")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if (any(isinstance(side, ast.Attribute) and side.attr == "status" for side in sides)
                    and any(_literals(side) & STATUSES for side in sides)):
                found.append(f"{line} compares a status with a string: use Booking.Status")
    return found


def _app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_APP_CODE or "migrations" in parts:
            continue
        yield path


def test_no_module_outside_bookings_writes_a_status_or_filters_on_a_status_string():
    breaches = []
    for path in _app_modules():
        breaches += status_breaches(path.read_text(), str(path.relative_to(ROOT)))
    assert breaches == []


@pytest.mark.parametrize("source", [
    "booking.status = 'confirmed'",
    "existing.status = Booking.Status.CONFIRMED",
    "booking.status = outcome",
    "Booking.objects.create(session=s, person=p, status=Booking.Status.CONFIRMED)",
    "Booking.objects.filter(pk=1).update(status=x)",
    "session.bookings.create(person=p, status=s)",
    "session.bookings.filter(status='confirmed')",
    "Booking.objects.filter(status__in=['attended', 'partial'])",
    "Q(status='no_show')",
    "Session.objects.filter(bookings__status='confirmed')",
    "booking.status == 'attended'",
    "booking.status in ('attended', 'partial', 'no_show')",
])
def test_the_check_finds_each_way_of_writing_or_filtering_a_status(source):
    assert status_breaches(source)


@pytest.mark.parametrize("source", [
    "charge.status = Charge.Status.WAIVED",
    "session.status = Session.Status.CANCELLED",
    "Charge.objects.filter(status='paid')",
    "session.bookings.confirmed()",
    "Booking.objects.filter(status=Booking.Status.NO_SHOW)",
    "Session.objects.filter(status='scheduled')",
    "models.CheckConstraint(condition=Q(status__in=['pending', 'cancelled']), name='x')",
])
def test_the_check_leaves_other_models_and_named_statuses_alone(source):
    assert status_breaches(source) == []
