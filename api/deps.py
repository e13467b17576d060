"""Dependencies shared by the routers: the service and the caller's identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from epg.errors import ValidationError
from epg.service import Principal, Service

_bearer = HTTPBearer(auto_error=False, description="A token from `epg tokens create NAME`.")


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def get_principal(
    service: ServiceDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    return service.authenticate(credentials.credentials if credentials else None)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def if_match_revision(value: str | None) -> int | None:
    """The revision id in an ``If-Match`` ETag from a day grid (see :func:`day_etag`)."""
    if value is None or value.strip() == "*":
        return None
    try:
        return int(value.strip().removeprefix("W/").strip('"').split("/")[2])
    except (ValueError, IndexError) as exc:
        raise ValidationError(f"If-Match {value!r} is not an ETag from this day", field="If-Match") from exc
