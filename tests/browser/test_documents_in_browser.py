"""The operators' page with a document naming several channels (issue 13): drop it, see it per channel and
day, skip what is unknown, publish it in one click; give a channel another name and see it matched.

The server holds the demo channels (Большая Азия, Демо ТВ, Demo News 24); these tests publish to days
well ahead so they never disturb what the other browser tests look at.
"""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)")

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, screenshot
from tests.browser.test_pages_in_browser import sign_in, today
from tests.test_documents import DEJAVU, pdf, xlsx

pytestmark = pytest.mark.browser


def newspaper(day: date) -> str:
    """A newspaper column: a day header, then three channels under their names (one epg does not know)."""
    return (f"{day:%d.%m.%Y}\n"
            "ДЕМО ТВ\n"
            "10:00 Утро на Демо 12+\n"
            "11:00 Новости дня\n"
            "Demo News 24\n"
            "10:00 World Today\n"
            "11:00 Sport Live\n"
            "Канал Икс\n"
            "10:00 Чужая передача\n"
            "11:00 Ещё одна\n")


def drop(page: Page, name: str, content: str | bytes, media_type: str) -> None:
    """Drop a file onto the document area, as dragging it from the desktop does (bytes travel as base64)."""
    data = content.encode() if isinstance(content, str) else content
    transfer = page.evaluate_handle(
        """([name, base64, type]) => {
            const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            return transfer;
        }""", [name, base64.b64encode(data).decode(), media_type])
    page.locator("#doc-drop").dispatch_event("drop", {"dataTransfer": transfer})


def titles(server: Server, channel: str, day: date) -> list[str]:
    with server.http() as http:
        response = http.get(f"/api/channels/{channel}/days/{day.isoformat()}")
    assert response.status_code == 200, response.text
    return [p["title"] for p in response.json()["programmes"]]


def test_operator_drops_a_several_channel_document_and_publishes_it(page: Page, server: Server) -> None:
    day = today() + timedelta(days=45)
    sign_in(page, server, "tv1.demo.epg", day)
    expect(page.get_by_role("button", name="Publish every channel")).to_have_count(0)  # no document yet

    drop(page, "newspaper.txt", newspaper(day), "text/plain")

    # The unknown channel is named, with the command that adds it, and a way to skip it.
    unknown = page.locator("#doc-unknown")
    expect(unknown).to_be_visible()
    expect(unknown.locator("li[data-unknown='Канал Икс']")).to_contain_text("epg channels add kanal-iks.tv")
    publish = page.get_by_role("button", name="Publish every channel")
    expect(publish).to_be_disabled()
    unknown.get_by_role("button", name="Skip these channels").click()

    # The preview, channel by channel: what each printed name matched, its day, its programmes and marks.
    demo = page.locator(".docchannel[data-printed='ДЕМО ТВ']")
    expect(demo.locator(".match")).to_contain_text("tv1.demo.epg")
    expect(demo.locator("li.prog-row")).to_have_count(2)
    expect(demo.locator("li.daysep")).to_contain_text(str(day.day))
    expect(demo.locator("li.diag.sev-info", has_text="Skipped “ДЕМО ТВ”")).to_have_count(1)  # the heading line
    expect(demo.locator("li.diag.sev-warning")).to_contain_text("Новости дня")  # its end is assumed
    expect(page.locator(".docchannel[data-printed='Demo News 24'] .match")).to_contain_text("news24.demo.epg")
    stranger = page.locator(".docchannel[data-printed='Канал Икс']")
    expect(stranger).to_have_class(re.compile(r"\bskipped\b"))
    expect(stranger.locator(".match")).to_contain_text("unknown")
    expect(page.locator("#doc-status")).to_contain_text(
        "Ready to publish 4 programmes on 2 channels; 1 channel skipped")
    screenshot(page, "operator-document-desktop")
    with server.http() as http:  # nothing is published before the click
        assert http.get(f"/api/channels/tv1.demo.epg/days/{day.isoformat()}").status_code == 404

    publish.click()

    expect(page.locator("#doc-status")).to_contain_text("Published tv1.demo.epg, news24.demo.epg (2 days)")
    expect(publish).to_be_disabled()
    assert titles(server, "tv1.demo.epg", day) == ["Утро на Демо", "Новости дня"]
    assert titles(server, "news24.demo.epg", day) == ["World Today", "Sport Live"]


def test_operator_gives_a_channel_another_name_and_the_document_matches_it(page: Page, server: Server) -> None:
    day = today() + timedelta(days=46)
    sign_in(page, server, "bigasia.ru", day)
    page.locator("#doc-skip").check()
    drop(page, "newspaper.txt", newspaper(day), "text/plain")
    expect(page.locator(".docchannel[data-printed='Канал Икс'] .match")).to_contain_text("unknown")

    page.get_by_label("Another name").fill("канал икс")
    page.get_by_role("button", name="Add name").click()
    expect(page.locator("#alias-list")).to_contain_text("канал икс")
    # The preview is read again: the printed name now means Большая Азия.
    expect(page.locator(".docchannel[data-printed='Канал Икс'] .match")).to_contain_text("bigasia.ru")
    page.get_by_role("button", name="Publish every channel").click()
    expect(page.locator("#doc-status")).to_contain_text("Published tv1.demo.epg, news24.demo.epg, bigasia.ru")
    assert titles(server, "bigasia.ru", day) == ["Чужая передача", "Ещё одна"]

    # A name another channel answers to is refused, naming that channel.
    page.get_by_label("Another name").fill("Demo-News-24")
    page.get_by_role("button", name="Add name").click()
    expect(page.locator("#alias-error")).to_contain_text("news24.demo.epg")

    page.get_by_role("button", name="Remove канал икс").click()
    expect(page.locator("#alias-list")).to_contain_text("None yet")


@pytest.mark.skipif(not DEJAVU.exists(), reason="the PDF needs the DejaVu Sans font for Cyrillic")
def test_operator_drops_an_xlsx_and_a_pdf_and_publishes_each(page: Page, server: Server) -> None:
    day = today() + timedelta(days=47)
    sign_in(page, server, "tv1.demo.epg", day)  # the day picked dates documents that name none

    workbook = xlsx(("Сетка", [["Время", "Демо ТВ", "Demo News 24"],
                               ["10:00", "Утро на Демо 12+", "World Today"],
                               ["11:00", "Новости дня", "Sport Live"]], []))
    drop(page, "grid.xlsx", workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    expect(page.locator(".docchannel[data-printed='Демо ТВ'] .match")).to_contain_text("tv1.demo.epg")
    expect(page.locator(".docchannel[data-printed='Demo News 24'] li.prog-row")).to_have_count(2)
    page.get_by_role("button", name="Publish every channel").click()
    expect(page.locator("#doc-status")).to_contain_text("Published tv1.demo.epg, news24.demo.epg")
    assert titles(server, "tv1.demo.epg", day) == ["Утро на Демо", "Новости дня"]

    page_pdf = pdf([["Демо ТВ", "12:00 Обед с Демо", "13:00 Кино дня", "15:00 Новости", "15:30 Погода"],
                    ["Demo News 24", "12:00 Afternoon Live", "13:00 Business Today", "15:00 World News",
                     "15:30 Weather"]], heading="Программа передач", font="DejaVu")
    drop(page, "newspaper.pdf", page_pdf, "application/pdf")
    demo = page.locator(".docchannel[data-printed='Демо ТВ']")
    expect(demo.locator("li.prog-row").first).to_contain_text("Обед с Демо")
    expect(demo.locator("li.diag").first).to_contain_text("PDF")  # every line read is accounted for
    page.get_by_role("button", name="Publish every channel").click()
    expect(page.locator("#doc-status")).to_contain_text("Published tv1.demo.epg, news24.demo.epg")
    assert titles(server, "news24.demo.epg", day) == ["Afternoon Live", "Business Today", "World News", "Weather"]


def test_a_document_on_a_russian_page_is_described_in_russian(page: Page, server: Server) -> None:
    """Issue 15, item 24: the document's status lines were English on a Russian page."""
    day = today() + timedelta(days=48)
    page.goto(f"{server.url}/operator?lang=ru&channel=tv1.demo.epg&day={day.isoformat()}")
    page.get_by_label("Токен оператора").fill(server.token)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("#workspace")).to_be_visible()

    drop(page, "newspaper.txt", newspaper(day), "text/plain")

    unknown = page.locator("#doc-unknown")
    expect(unknown).to_contain_text("Каналов в документе, которых epg не знает: 1.")
    unknown.get_by_role("button", name="Пропустить эти каналы").click()
    expect(page.locator(".docchannel[data-printed='Канал Икс'] .match")).to_have_text("неизвестный канал: пропущен")
    expect(page.locator(".docchannel[data-printed='ДЕМО ТВ'] .muted")).to_have_text("2 передачи · 1 день")
    expect(page.locator("#doc-status")).to_have_text("Готово к публикации: 4 передачи на 2 канала; 1 канал пропущен.")

    page.get_by_role("button", name="Опубликовать все каналы").click()

    expect(page.locator("#doc-status")).to_have_text("Опубликовано: tv1.demo.epg, news24.demo.epg (2 дня).")
