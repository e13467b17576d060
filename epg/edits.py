"""Editing one programme by hand: what text cannot say (a poster, a description, an episode id).

An edit is a JSON merge patch (RFC 7396) over the programme's own fields:
a key sets the field, ``null`` clears it, and ``details`` is patched field
by field in the same way (``{"details": {"icons": [{"src": "…"}]}}`` adds a
poster and keeps the rest). When and which broadcast it is (start, stop,
id) is the day's upload to change, not an edit's. Pure: no I/O; the service
publishes the result as a revision like any other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pydantic

from epg.details import ProgrammeDetails
from epg.errors import ValidationError
from epg.models import Programme, web_link
from epg.tables import programmes

#: The store's integer columns hold 32-bit values.
_MAX_INT = 2**31 - 1

#: Fields an edit may not touch: when the programme is and which one it is (a day's upload says those),
#: and what the store keeps about it.
FIXED = frozenset({"start", "stop", "stop_estimated", "id", "sequence", "modified", "line", "provenance"})

#: Fields an edit may set: every other field of the model.
EDITABLE = tuple(name for name in Programme.model_fields if name not in FIXED)


def read_patch(raw: bytes) -> object:
    """The JSON an edit was sent as; :class:`ValidationError` when it is not JSON."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"the edit is not JSON: {exc}", field="body") from exc


def _patched(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def edited(programme: Programme, patch: object) -> Programme:
    """``programme`` with ``patch`` applied; :class:`ValidationError` naming the field if it does not fit."""
    if not isinstance(patch, dict) or not patch:
        raise ValidationError("an edit is a JSON object of the fields to change, e.g. "
                              '{"description": "…", "details": {"icons": [{"src": "https://…"}]}}', field="body")
    for key in patch:
        if key not in EDITABLE:
            raise ValidationError(f"{key!r} cannot be edited here (the day's upload says when a programme is); "
                                  f"editable: {', '.join(EDITABLE)}", field=str(key))
    changes = dict(patch)
    if isinstance(changes.get("details"), dict):
        own = programme.details.model_dump(mode="json", exclude_defaults=True) if programme.details else {}
        changes["details"] = _patched(own, changes["details"]) or None
    values = _patched(programme.model_dump(mode="json", exclude=set(FIXED)), changes)
    try:
        made = Programme.model_validate({**values, **{name: getattr(programme, name) for name in FIXED}})
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValidationError(f"{where}: {error['msg']}", field=where) from exc
    if made.details == ProgrammeDetails():
        made = made.model_copy(update={"details": None})
    _check_stored(made)
    _links(made.details, "details")
    return made


def _links(value: object, where: str) -> None:
    """Every ``src`` and ``url`` in details must be a link the feeds may hand on, as an import's must."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            _links(item, f"{where}.{i}")
    elif isinstance(value, pydantic.BaseModel):
        for name in type(value).model_fields:
            inner = getattr(value, name)
            if name in ("src", "url") and isinstance(inner, str):
                try:
                    web_link(inner)
                except ValueError as exc:
                    raise ValidationError(f"{where}.{name}: {exc}", field=f"{where}.{name}") from exc
            else:
                _links(inner, f"{where}.{name}")


def _check_stored(made: Programme) -> None:
    """What the store's columns cannot hold is the caller's mistake, said as such (not a database error)."""
    rating = made.rating.model_dump() if made.rating else {}
    numbers = {**{name: getattr(made, name) for name in ("season", "episode", "year")},
               "rating.min_age": rating.get("min_age")}
    for name, value in numbers.items():
        if value is not None and not 0 <= value <= _MAX_INT:
            raise ValidationError(f"{name}: {value} is out of range (0 to {_MAX_INT})", field=name)
    for name in ("system", "value"):
        limit = getattr(programmes.c[f"rating_{name}"].type, "length", None)
        if limit and len(rating.get(name) or "") > limit:
            raise ValidationError(f"rating.{name}: longer than {limit} characters", field=f"rating.{name}")
