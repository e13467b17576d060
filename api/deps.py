"""Dependencies shared by the routers: the service and the caller's identity."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from epg.errors import ValidationError
from epg.models import Revision
from epg.service import Principal, Service
from epg.timeline import YEARS

_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def _iso_instant(value: object) -> object:
    """Only RFC 3339 instants with an offset: a bare number or a local time is ambiguous across zones."""
    if isinstance(value, str) and not _ISO_INSTANT.match(value.strip()):
        raise ValueError("expected an instant like 2022-01-07T17:05:00+03:00 (with its UTC offset)")
    return value


#: The years a guide can hold, as a pattern the API description gives for dates and instants.
_YEAR_PATTERN = "^(19[0-9]{2}|2[01][0-9]{2})-"

#: A query parameter holding an instant with its UTC offset (the service refuses years outside YEARS).
Instant = Annotated[datetime, BeforeValidator(_iso_instant),
                    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _YEAR_PATTERN})]


def _iso_day(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("expected a date like 2022-01-07")
    return value


def _guide_year(value: date) -> date:
    # Windows and day arithmetic on year 1 or 9999 run off the calendar; no guide is dated there.
    if value.year not in YEARS:
        raise ValueError(f"expected a date in the years {YEARS.start}–{YEARS.stop - 1}")
    return value


#: A date parameter, only as YYYY-MM-DD (not a number of days since 1970), in the years a guide can hold.
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_guide_year),
                WithJsonSchema({"type": "string", "format": "date", "pattern": _YEAR_PATTERN})]

#: Largest revision number a request may name (the store's revision numbers are 32-bit).
MAX_REVISION = 2**31 - 1

#: A revision number in a path.
RevisionNumber = Annotated[int, Path(ge=1, le=MAX_REVISION, description="Revision number (1, 2, …).")]

#: Most channel ids one request may name (a guide, a feed or a search over more asks for all channels).
MAX_CHANNEL_IDS = 1000


def channel_ids(text: str | None, parameter: str = "channels") -> tuple[str, ...] | None:
    """Comma-separated channel ids, each once (ids compare without case), at most :data:`MAX_CHANNEL_IDS`.

    None (no list, or only commas) means every channel.
    """
    if not text:
        return None
    # Lowercased, as the store keeps them: one id, one cache key, however it was typed.
    ids = tuple(dict.fromkeys(item.strip().lower() for item in text.split(",") if item.strip()))
    if len(ids) > MAX_CHANNEL_IDS:
        raise ValidationError(f"{len(ids)} channel ids given; at most {MAX_CHANNEL_IDS} (leave {parameter} out "
                              "for every channel)", field=parameter)
    return ids or None


_bearer = HTTPBearer(auto_error=False, description="A token from `epg tokens create NAME`.")


_schema_lock = threading.Lock()


def get_service(request: Request) -> Service:
    """The app's service, once its database schema is known to be current.

    An app started while its database was down migrates on the first
    request that reaches it; until then requests get 503 problems.
    """
    state = request.app.state
    service: Service = state.service
    if not state.schema_ready:
        with _schema_lock:
            if not state.schema_ready:
                service.store.create_schema()  # StoreError → 503 problem
                state.schema_ready = True
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def get_principal(
    service: ServiceDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    return service.authenticate(credentials.credentials if credentials else None)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_reader(
    service: ServiceDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal | None:
    """Who reads: None for the public, the token's principal when one is sent (an unknown token is a 401)."""
    return service.authenticate(credentials.credentials) if credentials else None


#: The reader of a public resource: what only operators see (authors, diagnostics) goes to a token's holder.
ReaderDep = Annotated[Principal | None, Depends(get_reader)]


def for_reader(revision: Revision | None, reader: Principal | None) -> Revision | None:
    """``revision`` as ``reader`` may see it: the public sees when and what, not who, nor the upload's lines."""
    if revision is None or reader is not None:
        return revision
    return revision.model_copy(update={"author": None, "diagnostics": []})


def if_match_revision(value: str | None) -> int | None:
    """The revision id in an ``If-Match`` ETag from a day grid (see :func:`day_etag`)."""
    if value is None or value.strip() == "*":
        return None
    try:
        revision = int(value.strip().removeprefix("W/").strip('"').split("/")[2])
        if not 0 < revision < 2**63:
            raise ValueError(revision)
        return revision
    except (ValueError, IndexError) as exc:
        raise ValidationError(f"If-Match {value!r} is not an ETag from this day", field="If-Match") from exc


#: A client's key for one logical request: sent again with a retry, it gets the first attempt's result
#: (header ``Idempotent-Replayed: true``) instead of a second revision. Printable ASCII, as the draft
#: IETF "Idempotency-Key" header field asks; a UUID is the usual choice.
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
    description="Any unique string (a UUID): a retry with the same key and body answers the first publish's "
                "result again instead of publishing twice; the same key with another body is a 422.")]
