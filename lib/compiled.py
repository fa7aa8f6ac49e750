"""ORM reads built once per process, then sent again as SQL with new values (on PostgreSQL).

Django builds a query afresh every time it runs it: it resolves the filters and expressions, then
compiles them to SQL. For the statements a booking runs under its session's row lock, that Python
costs more than anything else the booking does, and on a busy machine CPU is throughput (see
`bench/contention_bench.py`). A `Compiled` read is run once through the ORM with a stand-in for
each value, its SQL is kept, and from then on only the values change. The rule is still written
once, in the ORM, and the SQL is the ORM's own. On SQLite (the embedded default) the ORM simply
runs it every time.

What it keeps to, and checks when it first compiles:
- the read is one SQL statement, returning a dict (`.aggregate()`) or rows of tuples
  (`.values_list()` with any annotations last, so that the SQL's columns come in the same order);
- every value is used as given: a time worked out inside the read (`now - timedelta(...)`) would be
  frozen, so any time in the SQL that is not one of the values is refused. Work it out before.
- Columns come back as psycopg reads them, without Django's field converters: select plain columns
  (numbers, text, booleans, times), not JSON or custom fields.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count
from threading import Lock

from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable

log = logging.getLogger(__name__)
ID, MOMENT = "id", "moment"
_numbers = count(1)
_numbers_lock = Lock()


def _stand_in(kind: str):
    """A value no real row holds, different from every other stand-in."""
    with _numbers_lock:
        n = next(_numbers)
    if kind == ID:
        return -(10**15) - n
    if kind == MOMENT:
        return datetime(1901, 1, 1, 0, 0, n // 1_000_000, n % 1_000_000, tzinfo=UTC)
    raise ValueError(f"Unknown kind of value {kind!r}: use ID or MOMENT.")


class Compiled:
    """`read(**values)`: an ORM read (see the module's notes). `kinds`: each value's name and kind, ID or MOMENT.

    Call it with the values to get what `read` returns: a dict, or a list of tuples.
    """

    def __init__(self, read: Callable, **kinds: str):
        self.read = read
        self.stand_ins = {name: _stand_in(kind) for name, kind in kinds.items()}
        self.compiled = None  # (sql, [(value's name or None, constant)], dict keys or None)

    def __call__(self, **values):
        if connection.vendor != "postgresql":
            return _evaluated(self.read(**values))
        if self.compiled is None:
            self.compiled = self._compile()
        sql, slots, keys = self.compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [values[name] if name else constant for name, constant in slots])
            rows = cursor.fetchall()
        return dict(zip(keys, rows[0], strict=True)) if keys is not None else rows

    def _compile(self):
        with _recorded() as statements:
            result = self.read(**self.stand_ins)
            if isinstance(result, QuerySet):
                _check_columns_in_order(result)
            result = _evaluated(result)
        if len(statements) != 1:
            raise ValueError(f"A compiled read must be one SQL statement; this one ran {len(statements)}.")
        sql, params = statements[0]
        names = {(type(value), value): name for name, value in self.stand_ins.items()}
        slots = []
        for param in params:
            name = names.get((type(param), param))
            if name is None and isinstance(param, datetime):
                raise ValueError(f"The read holds a time, {param}, that is not one of its values: work it out "
                                 "before the read and pass it in, or it would be frozen.")
            slots.append((name, None if name else param))
        unused = set(self.stand_ins) - {name for name, _ in slots}
        if unused:
            raise ValueError(f"The read does not use {', '.join(sorted(unused))}.")
        return sql, slots, list(result) if isinstance(result, dict) else None


@contextmanager
def _recorded():
    """The SQL and values of every statement run inside, in order, as the ORM sent them."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def _evaluated(result):
    if isinstance(result, QuerySet):
        return list(result)
    if isinstance(result, dict):
        return result
    raise TypeError("A compiled read returns an .aggregate() dict or a .values_list() query.")


def _check_columns_in_order(queryset: QuerySet) -> None:
    """values_list's tuples follow the SQL's columns: its fields, then its annotations, in that order."""
    query = queryset.query
    in_sql = [*query.extra_select, *query.values_select, *query.annotation_select]
    if queryset._iterable_class is not ValuesListIterable or list(queryset._fields or ()) != in_sql:
        raise TypeError("A compiled read returns a .values_list() query of plain tuples, with any annotations last.")


class CompiledInsert:
    """`insert(obj)`: save a new instance of `model` as `obj.save()` would, the INSERT built once per process.

    The first insert on PostgreSQL goes through the ORM, which writes the statement; its SQL is kept
    once the values Django sent are found to be the fields' own values, prepared by each field
    (`pre_save`, then `get_db_prep_save`), in the order `fields` lists them. Every later insert prepares
    its values the same way and sends that SQL. On SQLite, or while anything listens to the model's
    save signals, every insert is the ORM's own, and so it stays (with a warning in the log) if the ORM's
    INSERT is ever not one value a field: the first row is saved either way, and nothing is refused.
    A model with its own `save()` is refused when the insert is made.
    """

    def __init__(self, model):
        from django.db.models import Model

        if model.save is not Model.save:
            raise TypeError(f"{model.__name__} has its own save(), which an insert of SQL alone would skip.")
        self.model = model
        meta = model._meta
        # the columns Model._save_table inserts for an instance with no primary key yet
        self.fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        self.returning = meta.db_returning_fields
        if any(hasattr(field, "from_db_value") for field in self.returning):
            raise TypeError("Only plain returned columns (an auto id): these are set without Django's converters.")
        self.sql, self.orm_only = None, False

    def __call__(self, obj):
        if not isinstance(obj, self.model) or not obj._state.adding or obj.pk is not None:
            raise TypeError(f"insert() takes a new {self.model.__name__} with no primary key yet.")
        if self.orm_only or connection.vendor != "postgresql" or _listened_to(self.model):
            obj.save(force_insert=True)
            return obj
        if self.sql is None:
            return self._compile(obj)
        obj._prepare_related_fields_for_save(operation_name="save")
        params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            returned = cursor.fetchone()
        for field, value in zip(self.returning, returned, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding, obj._state.db = False, connection.alias
        return obj

    def _compile(self, obj):
        with _recorded() as statements:
            obj.save(force_insert=True)
        sql, sent = statements[0] if statements else ("", [])
        # pre_save has run: each field's value is now what the ORM prepared and sent
        ours = [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in self.fields]
        if len(statements) == 1 and sql.startswith("INSERT") and len(sent) == len(ours) and all(map(_same, sent, ours)):
            self.sql = sql
        else:  # the row is saved, by the ORM; it goes on saving them (a Django upgrade may change its INSERT)
            self.orm_only = True
            log.warning("%s rows are inserted by the ORM: its INSERT is not one value a field, in order.",
                        self.model.__name__)
        return obj


def _same(sent, ours) -> bool:
    """Equal values of the same type (a JSON value, wrapped for psycopg, compares by what it wraps)."""
    return type(sent) is type(ours) and (sent == ours or getattr(sent, "obj", sent) == getattr(ours, "obj", ours))


def _listened_to(model) -> bool:
    from django.db.models.signals import post_save, pre_save

    return pre_save.has_listeners(model) or post_save.has_listeners(model)
