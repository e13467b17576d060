"""The FastAPI application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api import errors
from api.head import MethodsMiddleware
from api.readcache import ReadCache
from api.routes import channels, documents, feeds, imports, now, pages, problems, programmes, revisions, search, tokens
from api.workers import Workers, make_service
from epg import __version__
from epg.errors import StoreError
from epg.service import Service
from epg.settings import Settings
from epg.store import Store
from feeds.pieces import DEFAULT_BUDGET, PieceCache, prerender_published

log = logging.getLogger("epg.api")

DESCRIPTION = """
Schedule text in, programme guides out. Reads are public; publishing needs a
bearer token from `epg tokens create NAME`. Every error is an RFC 9457
`application/problem+json` document.
"""


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    """An app over ``service``, or over a store opened from ``settings`` (default: the environment)."""
    own = service is None
    schema_ready = not own
    settings = settings or Settings.from_env()
    if service is None:
        store = Store(settings.database_url, settings.sqlite_busy_timeout_ms)
        try:
            store.create_schema()
            schema_ready = True
        except StoreError as exc:  # serve 503s and migrate once the database is back
            log.warning("database not ready at start: %s", exc.message)
        service = make_service(store, settings)
    # Day uploads are read and published in worker processes while the app runs (see api.workers), each over
    # a store of its own opened from the settings: only when the app opened its store from them itself (a
    # service handed in may have its own clock) and another process can open it too (not SQLite in memory).
    workers = settings.upload_workers if own and service.store.shared else 0

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = Workers(workers) if workers else None
        if pool is not None:
            pool.warm()
        app.state.upload_workers = pool
        try:
            yield
        finally:
            app.state.upload_workers = None
            if pool is not None:
                await run_in_threadpool(pool.close)

    app = FastAPI(title="epg", version=__version__, description=DESCRIPTION, responses=errors.COMMON_PROBLEMS,
                  lifespan=lifespan)
    if service.after_publish is None:  # render the feed pieces each publish changes, right after it
        service.after_publish = prerender_published
    app.state.service = service
    app.state.schema_ready = schema_ready
    app.state.pieces = PieceCache(int(os.environ.get("EPG_PIECE_CACHE_BYTES", DEFAULT_BUDGET)))
    app.state.reads = ReadCache(settings.read_cache_seconds)
    app.state.settings = settings
    app.state.upload_workers = None  # until the app starts
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"],
                       allow_headers=["If-None-Match", "If-Modified-Since"], expose_headers=["ETag", "Last-Modified"])
    app.add_middleware(MethodsMiddleware)
    errors.install(app)
    for module in (channels, revisions, programmes, search, now, imports, documents, tokens, feeds, pages, problems):
        app.include_router(module.router)
    app.include_router(tokens.whoami_router)
    return app
