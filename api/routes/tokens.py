"""Bearer tokens: create (shown once), list, revoke. Needs an all-channel token."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.deps import MAX_CHANNEL_IDS, PrincipalDep, ServiceDep
from api.errors import WRITE_PROBLEMS

router = APIRouter(prefix="/api/tokens", tags=["tokens"], responses=WRITE_PROBLEMS)


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["newsroom"])
    channels: list[str] | None = Field(default=None, min_length=1, max_length=MAX_CHANNEL_IDS,
                                       description="Channels it may write (at least one); leave it out for an "
                                                   "all-channel token.")


class TokenCreated(BaseModel):
    name: str
    channels: list[str] | None
    token: str = Field(description="Shown only this once; only its hash is stored.")


class TokenInfo(BaseModel):
    name: str
    channels: list[str] | None
    created: datetime
    revoked: datetime | None


@router.post("", response_model=TokenCreated, status_code=201, summary="Create a token")
def create(body: TokenRequest, service: ServiceDep, principal: PrincipalDep) -> TokenCreated:
    service.require_admin(principal)
    token = service.create_token(body.name, body.channels)
    return TokenCreated(name=body.name.strip(), channels=service.token_scope(body.channels), token=token)


@router.get("", response_model=list[TokenInfo], summary="List tokens (never their values)")
def list_tokens(service: ServiceDep, principal: PrincipalDep) -> list[TokenInfo]:
    service.require_admin(principal)
    return [TokenInfo.model_validate(t) for t in service.tokens()]


@router.delete("/{name}", status_code=204, summary="Revoke a token")
def revoke(name: str, service: ServiceDep, principal: PrincipalDep) -> Response:
    service.require_admin(principal)
    service.revoke_token(name)
    return Response(status_code=204)


# Not under /api/tokens, where "me" would also read as a token name.
whoami_router = APIRouter(tags=["tokens"], responses=WRITE_PROBLEMS)


class Me(BaseModel):
    name: str
    channels: list[str] | None = Field(description="Channels it may write; null means all.")


@whoami_router.get("/api/whoami", response_model=Me, summary="The token you are using (check it before publishing)")
def me(principal: PrincipalDep) -> Me:
    return Me(name=principal.name, channels=principal.channels)
