"""The web pages, through the app: what a viewer reads in the HTML, with no JavaScript at all.

The clock is fixed at 2022-01-07 14:00 UTC (17:00 in Moscow), when Big Asia's founding page is on:
16:55 История дракона, 17:00 Китайская панорама (on now), 17:15 Жажда странствий, 18:00 Новости.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import pytest
from fastapi.testclient import TestClient

from api.routes.pages import broadcast_day, day_window, duration
from epg.models import Channel
from epg.service import Service
from tests.conftest import FOUNDING_PAGE, Clock

DAY_URL = "/api/channels/bigasia.ru/days/2022-01-07"
TITLES = ["История дракона", "Китайская панорама", "Жажда странствий", "Новости"]
PROBLEM = "application/problem+json"


@pytest.fixture
def published(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    """Publish the founding example and answer its day grid."""
    response = client.put(DAY_URL, content=FOUNDING_PAGE.read_bytes(), headers=auth)
    assert response.status_code == 200, response.text
    grid: dict[str, Any] = response.json()
    return grid


def programme_id(grid: dict[str, Any], title: str) -> str:
    return str(next(p["id"] for p in grid["programmes"] if p["title"] == title))


INLINE = {"a", "span", "time", "strong", "b", "em", "small", "code", "abbr"}


class Text(HTMLParser):
    """The text a reader sees with JavaScript off: everything outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.assets: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in INLINE:
            self.parts.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
            if values.get("src"):
                self.assets.append(str(values["src"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "link" and values.get("href"):
            self.assets.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def read(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


def block(html: str, title: str) -> str:
    """The guide's <li class="prog …"> holding ``title``."""
    for match in re.finditer(r'<li class="prog[^"]*".*?</li>', html, re.S):
        if f">{title}<" in match.group(0):
            return match.group(0)
    raise AssertionError(f"no block for {title!r}")


# -- the guide ------------------------------------------------------------------------


def test_guide_shows_the_published_titles_and_age_marks(client: TestClient, published: dict[str, Any]) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = read(response.text)
    for title in TITLES:
        assert title in page.text
    assert len(re.findall(r'<span class="age age-12"[^>]*>12\+</span>', response.text)) == 4
    assert "Большая Азия" in page.text


def test_guide_states_its_day_and_zone(client: TestClient, published: dict[str, Any]) -> None:
    text = read(client.get("/").text).text

    assert "Friday 7 January 2022" in text
    assert "Times in Europe/Moscow (UTC+03:00)" in text


def test_guide_day_picker_links_to_the_days_around(client: TestClient, published: dict[str, Any]) -> None:
    links = read(client.get("/").text).links

    assert "/?day=2022-01-06" in links
    assert "/?day=2022-01-08" in links
    assert "/" in links
    html = client.get("/?day=2022-01-08").text
    assert 'value="2022-01-08"' in html
    assert "/?day=2022-01-07" in read(html).links and "/?day=2022-01-09" in read(html).links


def test_guide_marks_now_on_today_only(client: TestClient, published: dict[str, Any]) -> None:
    today = client.get("/").text
    # 17:00 Moscow is 720 minutes into the broadcast day that began at 05:00.
    assert re.search(r'<div class="nowline" id="now" style="--s: 720\.0"', today)
    assert 'href="#now"' in today
    assert " now " in block(today, "Китайская панорама")
    assert " past " in block(today, "История дракона")
    assert " later " in block(today, "Жажда странствий")

    for other in ("2022-01-06", "2022-01-08"):
        html = client.get(f"/?day={other}").text
        assert 'id="now"' not in html
        assert 'href="#now"' not in html


def test_guide_sizes_blocks_by_time(client: TestClient, published: dict[str, Any]) -> None:
    html = client.get("/").text

    # 16:55 is 715 minutes after 05:00 and runs 5 minutes; the last programme's stop is assumed (60 min).
    assert 'style="--s: 715.0; --d: 5.0"' in block(html, "История дракона")
    assert 'style="--s: 735.0; --d: 45.0"' in block(html, "Жажда странствий")
    assert " est" in block(html, "Новости")
    assert 'style="--minutes: 1440.0"' in html


def test_guide_links_every_programme_to_its_page(client: TestClient, published: dict[str, Any]) -> None:
    links = read(client.get("/").text).links

    for p in published["programmes"]:
        assert f"/programme/{p['id']}" in links


def test_guide_with_a_bad_day_is_a_problem_not_a_crash(client: TestClient) -> None:
    response = client.get("/?day=bad")

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "day" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/?day=0001-01-01", "/?day=9999-12-31", "/channel/bigasia.ru?day=0001-01-01",
                                  "/operator?day=9999-12-31"])
def test_days_far_off_are_a_problem_not_a_crash(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)


def test_guide_of_an_empty_day_says_so(client: TestClient) -> None:
    response = client.get("/?day=2022-02-01")

    assert response.status_code == 200
    assert "Nothing published for this day" in read(response.text).text


def test_guide_reads_without_javascript(client: TestClient, published: dict[str, Any]) -> None:
    """Everything a viewer needs is in the HTML; scripts are extras loaded from files."""
    html = client.get("/").text
    page = read(html)

    assert "<script>" not in html  # no inline script: content is never built by JavaScript
    assert all(title in page.text for title in TITLES)
    assert "17:00" in page.text and "12+" in page.text
    for asset in page.assets:
        response = client.get(asset)
        assert response.status_code == 200, asset


@pytest.mark.parametrize("path", ["/", "/channel/bigasia.ru", "/search?q=x", "/operator"])
def test_pages_allow_scripts_from_this_site_only(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text


# -- a programme ------------------------------------------------------------------------


def test_programme_page_shows_the_details(client: TestClient, published: dict[str, Any]) -> None:
    pid = programme_id(published, "Жажда странствий")

    response = client.get(f"/programme/{pid}")

    assert response.status_code == 200
    text = read(response.text).text
    assert "Жажда странствий" in text
    assert "Иордания" in text  # the sub-title
    assert "Большая Азия" in text
    assert "Friday 7 January 2022, 17:15–18:00" in text
    assert "45 min" in text and "Europe/Moscow" in text
    assert "12+" in text
    assert "Upcoming" in text


def test_programme_page_says_when_it_is_on_now(client: TestClient, published: dict[str, Any]) -> None:
    html = client.get(f"/programme/{programme_id(published, 'Китайская панорама')}").text

    assert "On now" in read(html).text


def test_programme_page_has_calendar_links(client: TestClient, published: dict[str, Any]) -> None:
    pid = programme_id(published, "Жажда странствий")

    links = read(client.get(f"/programme/{pid}").text).links

    assert f"/api/programmes/{pid}.ics" in links
    assert "webcal://testserver/ical/bigasia.ru.ics" in links
    assert "https://calendar.google.com/calendar/r?cid=webcal://testserver/ical/bigasia.ru.ics" in links
    assert "http://testserver/ical/bigasia.ru.ics?title=" + quote("Жажда странствий").replace("%20", "+") in links
    assert "webcal://testserver/ical/bigasia.ru.ics?title=" + quote("Жажда странствий").replace("%20", "+") in links


def test_programme_add_to_calendar_is_one_event(client: TestClient, published: dict[str, Any]) -> None:
    pid = programme_id(published, "Жажда странствий")

    response = client.get(f"/api/programmes/{pid}.ics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert "Жажда странствий" in str(events[0]["SUMMARY"])


def test_programme_page_links_its_neighbours(client: TestClient, published: dict[str, Any]) -> None:
    html = client.get(f"/programme/{programme_id(published, 'Китайская панорама')}").text

    links = read(html).links
    assert f"/programme/{programme_id(published, 'История дракона')}" in links
    assert f"/programme/{programme_id(published, 'Жажда странствий')}" in links


def test_unknown_programme_is_404(client: TestClient, published: dict[str, Any]) -> None:
    response = client.get("/programme/no-such-programme")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


# -- a channel -------------------------------------------------------------------------------


def test_channel_page_lists_the_day_with_now_highlighted(client: TestClient, published: dict[str, Any]) -> None:
    response = client.get("/channel/bigasia.ru")

    assert response.status_code == 200
    html = response.text
    assert [t for t in TITLES if t in read(html).text] == TITLES
    now = re.search(r'<li class="now" id="now">.*?</li>', html, re.S)
    assert now and "Китайская панорама" in now.group(0)
    assert "times in Europe/Moscow" in read(html).text


def test_channel_page_links_its_feeds(client: TestClient, published: dict[str, Any]) -> None:
    links = read(client.get("/channel/bigasia.ru").text).links

    assert "webcal://testserver/ical/bigasia.ru.ics" in links
    assert "https://calendar.google.com/calendar/r?cid=webcal://testserver/ical/bigasia.ru.ics" in links
    assert "http://testserver/ical/bigasia.ru.ics" in links
    assert "/xmltv.xml?channels=bigasia.ru" in links
    assert "/channel/bigasia.ru?day=2022-01-06" in links and "/channel/bigasia.ru?day=2022-01-08" in links


def test_channel_page_of_an_unpublished_day_is_empty_not_missing(client: TestClient) -> None:
    response = client.get("/channel/bigasia.ru?day=2022-01-09")

    assert response.status_code == 200
    assert "Nothing published for Sun 9 Jan" in read(response.text).text


def test_unknown_channel_is_404(client: TestClient) -> None:
    response = client.get("/channel/nosuch.example")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


# -- search ------------------------------------------------------------------------------------


def test_search_lists_matches_with_channel_and_time(client: TestClient, published: dict[str, Any]) -> None:
    response = client.get("/search", params={"q": "панорама"})

    assert response.status_code == 200
    text = read(response.text).text
    assert "Китайская панорама" in text
    assert "17:00" in text and "Большая Азия" in text
    assert "1 programme from today on" in text
    assert f"/programme/{programme_id(published, 'Китайская панорама')}" in read(response.text).links


def test_search_without_matches_says_so(client: TestClient, published: dict[str, Any]) -> None:
    text = read(client.get("/search", params={"q": "футбол"}).text).text

    assert "Nothing from today on matches “футбол”" in text


def test_search_skips_past_days_unless_asked(client: TestClient, clock: Clock, published: dict[str, Any]) -> None:
    clock.now = datetime(2022, 1, 9, 12, 0, tzinfo=UTC)

    assert "Китайская панорама" not in read(client.get("/search", params={"q": "панорама"}).text).text
    past = client.get("/search", params={"q": "панорама", "past": "true"}).text
    assert "Китайская панорама" in read(past).text


def test_search_page_without_a_query_is_a_form(client: TestClient) -> None:
    response = client.get("/search")

    assert response.status_code == 200
    assert 'name="q"' in response.text


# -- operators -----------------------------------------------------------------------------------


def test_operator_page_explains_it_needs_javascript(client: TestClient) -> None:
    html = client.get("/operator").text

    note = re.search(r'<div class="notice notice-warning" id="needs-js">(.*?)</div>', html, re.S)
    assert note and "needs JavaScript" in note.group(1)  # operator.js removes it
    assert re.search(r'<div id="operator"[^>]* hidden>', html)  # the app stays hidden until its script runs
    assert re.search(r'<script src="/static/operator\.js\?v=\w+" defer>', html)


def test_operator_page_preselects_channel_and_day(client: TestClient) -> None:
    html = client.get("/operator", params={"channel": "bigasia.ru", "day": "2022-01-08"}).text

    assert 'data-channel="bigasia.ru"' in html and 'data-day="2022-01-08"' in html
    assert 'data-day="2022-01-07"' in client.get("/operator").text  # today, by default


# -- static files --------------------------------------------------------------------------------


def test_static_files_are_served_with_validators(client: TestClient) -> None:
    response = client.get("/static/epg.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert client.get("/static/epg.css", headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    assert client.get("/static/operator.js").headers["content-type"].split(";")[0] in (
        "text/javascript", "application/javascript")


@pytest.mark.parametrize("name", ["nope.css", ".hidden", "%2e%2e", "%2e%2e%2froutes%2fpages.py"])
def test_only_static_files_are_served(client: TestClient, name: str) -> None:
    assert client.get(f"/static/{name}").status_code == 404


# -- time arithmetic -----------------------------------------------------------------------------


def test_broadcast_day_begins_at_day_start() -> None:
    moscow = ZoneInfo("Europe/Moscow")

    assert broadcast_day(datetime(2022, 1, 7, 23, 30, tzinfo=UTC), moscow, time(5)) == date(2022, 1, 7)  # 02:30
    assert broadcast_day(datetime(2022, 1, 8, 2, 0, tzinfo=UTC), moscow, time(5)) == date(2022, 1, 8)  # 05:00


@pytest.mark.parametrize(("day", "hours"), [(date(2022, 3, 26), 23), (date(2022, 10, 29), 25), (date(2022, 1, 7), 24)])
def test_day_window_follows_clock_changes(day: date, hours: int) -> None:
    start, end = day_window(day, ZoneInfo("Europe/London"), time(5))

    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == hours * 3600
    assert (start.hour, end.hour) == (5, 5)


def test_durations_read_naturally() -> None:
    assert [duration(timedelta(minutes=m)) for m in (5, 60, 135)] == ["5 min", "1 h", "2 h 15 min"]


def test_guide_shows_other_zones_in_the_first_channels_zone(client: TestClient, service: Service,
                                                             auth: dict[str, str]) -> None:
    service.add_channel(Channel(id="news.example.uk", name="UK News", tz="Europe/London", lang="en", number="2"))
    response = client.put("/api/channels/news.example.uk/days/2022-01-07", content=b"14:00 The News\n",
                          headers=auth)
    assert response.status_code == 200, response.text

    html = client.get("/").text

    # 14:00 in London is 17:00 in Moscow: 720 minutes into Moscow's broadcast day.
    assert 'style="--s: 720.0; --d: 60.0"' in block(html, "The News")
    assert '<time datetime="2022-01-07T17:00:00+03:00">17:00</time>' in block(html, "The News")


def test_search_lists_what_is_still_to_come_before_what_has_ended(client: TestClient, auth: dict[str, str],
                                                                   clock: Clock) -> None:
    """Issue 15, item 22: search listed programmes that had already ended first."""
    text = "10:00 Новости. Утро\n12:00 Погода\n18:00 Новости. Вечер\n"
    assert client.put(DAY_URL, content=text.encode(), headers=auth).status_code == 200
    clock.now = datetime(2022, 1, 7, 9, 30, tzinfo=UTC)  # 12:30 in Moscow

    page = read(client.get("/search", params={"q": "новости"}).text).text

    assert page.index("Вечер") < page.index("Утро")


def test_pages_speak_russian_to_a_russian_browser_and_the_switch_sticks(client: TestClient,
                                                                         published: dict[str, Any]) -> None:
    """Issue 15, item 24: the pages spoke only English, with English dates on a Russian guide."""
    russian = client.get("/", params={"day": "2022-01-07"}, headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    page = read(russian.text).text

    assert '<html lang="ru">' in russian.text
    assert "Пятница 7 января 2022" in page and "Телепрограмма" in page and "Поиск передач" in russian.text
    assert "Friday" not in page and "TV guide" not in page

    switched = client.get("/", params={"day": "2022-01-07", "lang": "en"}, headers={"Accept-Language": "ru"})
    assert "Friday 7 January 2022" in read(switched.text).text
    assert switched.cookies.get("lang") == "en"
    after = client.get("/channel/bigasia.ru", params={"day": "2022-01-07"}, headers={"Accept-Language": "ru"})
    assert '<html lang="en">' in after.text  # the choice sticks over the browser's language


def test_the_day_picker_names_days_in_the_pages_language_not_the_browsers_date_format(
        client: TestClient, published: dict[str, Any]) -> None:
    """Issue 15, item 22: a native date input showed 01/07/2022 on a Russian guide, whatever the page's language."""
    russian = client.get("/", params={"day": "2022-01-07"}, headers={"Accept-Language": "ru"}).text
    picker = russian[russian.index('<select id="day-input"'):russian.index("</select>")]

    assert 'type="date"' not in russian
    assert '<option value="2022-01-07" selected>Пятница 7 января 2022' in picker
    assert picker.count("<option") >= 2 and "Сегодня" in picker  # today is always offered


def test_a_browser_in_another_language_gets_english(client: TestClient) -> None:
    response = client.get("/search", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="en">' in response.text and "Find a programme" in read(response.text).text


# -- the operators' page's scripts in the page's language (issue 15, item 24) ----------------------

STATIC = Path(__file__).resolve().parents[1] / "api" / "static"
#: The messages the scripts show: t("…") and, with a count, tn("…", n).
SCRIPT_MESSAGE = re.compile(r'\b(tn?)\(\s*"((?:[^"\\]|\\.)*)"')
#: Messages a Russian operator reads as in English (none so far).
SAME_IN_RUSSIAN: set[str] = set()


def script_messages() -> dict[str, str]:
    """Each message operator.js and documents.js show, with ``t`` or ``tn``."""
    found: dict[str, str] = {}
    for name in ("operator.js", "documents.js"):
        for kind, key in SCRIPT_MESSAGE.findall((STATIC / name).read_text(encoding="utf-8")):
            found[key] = kind
    return found


def embedded_messages(html: str) -> dict[str, str]:
    match = re.search(r'<script id="messages" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the operator page embeds no messages for its scripts"
    messages: dict[str, str] = json.loads(match.group(1))
    return messages


def test_operator_page_gives_its_scripts_every_message_in_russian(client: TestClient) -> None:
    russian = embedded_messages(client.get("/operator", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).text)
    english = embedded_messages(client.get("/operator", headers={"Accept-Language": "en"}).text)
    used = script_messages()

    assert len(used) > 60  # the regex reads the scripts, not nothing
    untranslated = []
    for key, kind in used.items():
        if kind == "tn":  # each Russian form, none of them an English one
            said = {english[f"{key}|one"], english[f"{key}|other"]}
            forms = [f"{key}|{category}" for category in ("one", "few", "many", "other")]
        else:
            said, forms = {key}, [key]
        untranslated += [form for form in forms if form not in russian
                         or (russian[form] in said and key not in SAME_IN_RUSSIAN)]
    assert not untranslated
    assert [russian[f"{{n}} programme|{category}"].format(n=n)
            for category, n in (("one", 1), ("few", 3), ("many", 5))] == ["1 передача", "3 передачи", "5 передач"]


def test_operator_page_gives_its_scripts_english_to_an_english_browser(client: TestClient) -> None:
    messages = embedded_messages(client.get("/operator", headers={"Accept-Language": "en-GB"}).text)

    assert all(messages[key] == key for key, kind in script_messages().items() if kind == "t")
    assert messages["{n} programme|one"] == "{n} programme" and messages["{n} programme|other"] == "{n} programmes"
    assert "{n} programme|few" not in messages  # English counts have one and other only
    assert {key.partition("|")[0] for key in messages} == set(script_messages())  # no word the scripts lost


def test_operator_page_around_its_scripts_is_russian_too(client: TestClient) -> None:
    html = client.get("/operator", headers={"Accept-Language": "ru"}).text
    page = read(html).text

    assert "Публикация программы" in page and "Токен оператора" in page and "Опубликовать" in page
    assert "Sign in" not in page and "Publish a schedule" not in page
    # messages.js reads the embedded messages before operator.js and documents.js need them
    assert re.search(r'<script src="/static/messages\.js\?v=\w+" defer></script><script src="/static/operator\.js',
                     html)
