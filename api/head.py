"""HEAD and OPTIONS for every route, answered the way HTTP says.

FastAPI registers GET routes without HEAD; players and CDNs probe feeds
with HEAD to check the ETag and size, so HEAD runs the GET and sends its
headers without the body. OPTIONS (that is not a CORS preflight, which the
CORS middleware answers) lists in ``Allow`` every method the API description
gives that path, not only the first matching route's.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class MethodsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._patterns: list[tuple[re.Pattern[str], int, set[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":
            await self._head(scope, receive, send)
        elif scope["method"] == "OPTIONS" and not _is_preflight(scope):
            await self._options(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _head(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)

    async def _options(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The most specific paths that match: "/x/{id}.ics" names that address, not "/x/{id}" as well.
        matching = [(literal, found) for pattern, literal, found in self._paths(scope["app"])
                    if pattern.fullmatch(scope["path"])]
        best = max((literal for literal, _ in matching), default=0)
        methods = {m for literal, found in matching if literal == best for m in found}
        if not methods:  # a page outside the API description: the router answers
            await self.app(scope, receive, send)
            return
        if "GET" in methods:
            methods.add("HEAD")
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        await send({"type": "http.response.start", "status": 204, "headers": [(b"allow", allow.encode())]})
        await send({"type": "http.response.body", "body": b""})

    def _paths(self, app: FastAPI) -> list[tuple[re.Pattern[str], int, set[str]]]:
        """Path patterns, how many literal characters each has, and their methods, from the app's own
        OpenAPI description (built once)."""
        if self._patterns is None:
            self._patterns = []
            for path, operations in app.openapi()["paths"].items():
                parts = re.split(r"(\{[^}]+\})", path)
                pattern = re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))
                literal = sum(len(p) for p in parts if not p.startswith("{"))
                self._patterns.append((pattern, literal, {m.upper() for m in operations}))
        return self._patterns


def _is_preflight(scope: Scope) -> bool:
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names
