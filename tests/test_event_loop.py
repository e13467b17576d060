"""Readers never wait for an upload (issue 14): parsing and publishing run off the event loop.

An upload is held half-way (its publish blocks on an event the test owns)
while a reader asks for now/next and a feed on the same event loop; the
reads must complete while the upload is still held. Before, ``PUT …/days``
parsed and wrote on the loop, and every reader waited for it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx
import pytest

from api.app import create_app
from epg.service import Service
from tests.test_api import DAY_URL, FOUR

#: A write sent to the app: (client, token, the id of a published programme) → its response.
Send = Callable[[httpx.AsyncClient, str, str | None], Coroutine[Any, Any, httpx.Response]]

GUIDE = (b'<tv><channel id="bigasia.ru"><display-name>Big Asia</display-name></channel>'
         b'<programme start="20220108060000 +0300" stop="20220108070000 +0300" channel="bigasia.ru">'
         b'<title>Morning</title></programme></tv>')

#: The writes held half-way: (the service method held, how the request is sent).
WRITES: dict[str, tuple[str, Send]] = {
    "day upload": ("publish_text", lambda client, token, _id: client.put(
        DAY_URL, content=(FOUR + "19:00 Фильм\n").encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"})),
    "guide import": ("import_guide", lambda client, token, _id: client.post(
        "/api/import", content=GUIDE, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})),
    "programme edit": ("edit_programme", lambda client, token, programme_id: client.patch(
        f"/api/programmes/{programme_id}", content=b'{"description": "held"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/merge-patch+json"})),
}


def read_while_held(service: Service, method: str, send: Send, path: str, programme_id: str | None = None,
                    ) -> tuple[int, bool, int]:
    """(the read's status, whether the write was still held when the read completed, the write's status):
    ``service.method`` blocks until the read is done, so a write that ran on the event loop would stall it."""
    token = service.create_token("held-write")
    entered, release = threading.Event(), threading.Event()
    real = getattr(service, method)

    def held(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(30)  # the upload is "slow" until the test lets it go
        return real(*args, **kwargs)

    setattr(service, method, held)

    async def scenario() -> tuple[int, bool, int]:
        transport = httpx.ASGITransport(app=create_app(service=service))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            upload = asyncio.create_task(send(client, token, programme_id))
            while not entered.is_set():
                await asyncio.sleep(0.01)
            # Had the upload blocked the loop, this read could not even start: the guard turns a hang into a failure.
            read = await asyncio.wait_for(client.get(path, params={"from": "2022-01-07", "days": 1}), timeout=20)
            still_held = not upload.done()
            release.set()
            return read.status_code, still_held, (await upload).status_code

    # A loop of its own in a thread of its own: other tests (the browser's) may leave one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=60)


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("path", ["/api/now", "/api/channels/bigasia.ru/days/2022-01-07", "/xmltv.xml"])
def test_a_read_completes_while_an_upload_is_held_in_progress(service: Service, path: str, write: str) -> None:
    published = service.publish_text("bigasia.ru", date(2022, 1, 7), FOUR.encode(), principal=None)
    method, send = WRITES[write]
    read_status, held_during_read, upload_status = read_while_held(
        service, method, send, path, published.grids[0].programmes[0].id)

    assert read_status == 200
    assert held_during_read
    assert upload_status == 200
