"""Documents operators receive (XLSX, ODS, CSV/TSV, DOCX, PDF), written here with the libraries that make them.

Each is read the way a user would: through ``read_schedule`` (what ``parse()``
and publishing use), ``epg parse FILE`` and one HTTP upload, and checked for
the programmes a user would look for: titles, starts, days and channels.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from fpdf import FPDF

from epg.cli import main
from epg.decoding import binary_kind, decode
from epg.documents.limits import MAX_ENTRIES, MAX_UNPACKED_BYTES
from epg.errors import DocumentRefused
from epg.models import zone
from epg.schedule import Schedule, read_schedule

MOSCOW = zone("Europe/Moscow")
BERLIN = zone("Europe/Berlin")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def read(data: bytes | str, day: date, tz: object = MOSCOW) -> Schedule:
    return read_schedule(data, day, tz)  # type: ignore[arg-type]


def listed(schedule: Schedule) -> list[tuple[str | None, str, str]]:
    """(channel, local start, title) of every programme, in start order."""
    return [(channel, p.start.strftime("%Y-%m-%d %H:%M"), p.title)
            for p, channel in zip(schedule.programmes, schedule.channels, strict=True)]


def by_channel(schedule: Schedule) -> dict[str | None, list[tuple[str, str]]]:
    out: dict[str | None, list[tuple[str, str]]] = {}
    for channel, start, title in listed(schedule):
        out.setdefault(channel, []).append((start, title))
    return out


# -- document makers ----------------------------------------------------------------------------------------------

def xlsx(*sheets: tuple[str, list[list[object]], list[str]]) -> bytes:
    """A workbook of (name, rows, merged ranges) sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows, merged in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merged:
            sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The zip ``data`` with entries added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def ods(sheets: list[tuple[str, str]]) -> bytes:
    """An ODS spreadsheet of (name, table rows XML) sheets, as LibreOffice writes them."""
    tables = "".join(f'<table:table table:name="{name}">{rows}</table:table>' for name, rows in sheets)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>', zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ods_row(*cells: str, repeat: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def ods_text(text: str, repeat: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{attribute}><text:p>{text}</text:p></table:table-cell>'


def ods_time(hours: int, minutes: int) -> str:
    return (f'<table:table-cell office:value-type="time" office:time-value="PT{hours:02d}H{minutes:02d}M00S">'
            f"<text:p>{hours:02d}:{minutes:02d}</text:p></table:table-cell>")


def ods_empty(repeat: int = 1) -> str:
    return f'<table:table-cell table:number-columns-repeated="{repeat}"/>'


def word(build: list[tuple[str, object]]) -> bytes:
    """A DOCX of ("heading" | "paragraph", text) and ("table", rows) parts, in order."""
    document = docx.Document()
    for kind, value in build:
        if kind == "heading":
            document.add_heading(str(value), level=2)
        elif kind == "paragraph":
            document.add_paragraph(str(value))
        else:
            assert isinstance(value, list)
            table = document.add_table(rows=len(value), cols=len(value[0]))
            for r, row in enumerate(value):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(columns: list[list[str]], heading: str | None = None, font: str = "Helvetica") -> bytes:
    """One A4 page with ``columns`` of lines side by side, as a newspaper sets them, and a heading across."""
    page = FPDF(format="A4")
    page.add_page()
    if font != "Helvetica":
        page.add_font("DejaVu", fname=str(DEJAVU))
        font = "DejaVu"
    page.set_font(font, size=10)
    if heading:
        page.set_xy(10, 10)
        page.cell(190, 8, heading)
    width = 190 / len(columns)
    for index, lines in enumerate(columns):
        for number, line in enumerate(lines):
            page.set_xy(10 + index * width, 25 + number * 6)
            page.cell(width - 8, 6, line)
    return bytes(page.output())


# -- spreadsheets -------------------------------------------------------------------------------------------------

WEEK_GRID = [
    [None, "Понедельник, 11 марта", "Вторник, 12 марта", "Среда, 13 марта"],
    [time(6, 0), "Доброе утро", "Доброе утро", "Доброе утро"],
    [time(9, 0), "Новости 16+", "Жить здорово! 16+", "Новости 16+"],
    [time(9, 45), None, "Модный приговор", None],  # Monday's and Wednesday's news run on (merged cells)
    [0.5, "Время покажет", "Время покажет", "Т/с «Склифосовский» 16+"],  # 12:00 as a fraction of a day
    [time(23, 30), "Вечерний Ургант", "Вечерний Ургант", "Вечерний Ургант"],
]


def test_xlsx_weekly_grid_reads_each_day_column_by_its_header() -> None:
    data = xlsx(("Sheet1", WEEK_GRID, ["B3:B4", "D3:D4"]))

    schedule = read(data, date(2024, 3, 11))

    assert [(start, title) for _, start, title in listed(schedule)] == [
        ("2024-03-11 06:00", "Доброе утро"), ("2024-03-11 09:00", "Новости"),
        ("2024-03-11 12:00", "Время покажет"), ("2024-03-11 23:30", "Вечерний Ургант"),
        ("2024-03-12 06:00", "Доброе утро"), ("2024-03-12 09:00", "Жить здорово!"),
        ("2024-03-12 09:45", "Модный приговор"), ("2024-03-12 12:00", "Время покажет"),
        ("2024-03-12 23:30", "Вечерний Ургант"),
        ("2024-03-13 06:00", "Доброе утро"), ("2024-03-13 09:00", "Новости"),
        ("2024-03-13 12:00", "Склифосовский"), ("2024-03-13 23:30", "Вечерний Ургант"),
    ]
    news = schedule.programmes[1]
    assert news.stop is not None and news.stop.strftime("%H:%M") == "12:00"  # not stopped by the merged row
    assert news.rating is not None and news.rating.value == "16+"
    places = {d.place for d in schedule.diagnostics}
    assert 'sheet "Sheet1", row 1, column C' in places  # "Day header" of Tuesday names its cell


def test_xlsx_grid_with_channels_across_gives_each_column_its_channel() -> None:
    data = xlsx(("Вторник", [
        ["Время", "Первый канал", "Россия 1", "НТВ"],
        ["06:00", "Доброе утро", "Утро России", "Утро. Самое лучшее"],
        ["09:00", "Новости", "Вести", "Сегодня"],
        ["09:20", "Жить здорово!", "О самом главном", "Мальцева"],
    ], []))

    channels = by_channel(read(data, date(2024, 3, 12)))

    assert channels["Первый канал"] == [("2024-03-12 06:00", "Доброе утро"), ("2024-03-12 09:00", "Новости"),
                                        ("2024-03-12 09:20", "Жить здорово!")]
    assert channels["Россия 1"][1] == ("2024-03-12 09:00", "Вести")
    assert channels["НТВ"][2] == ("2024-03-12 09:20", "Мальцева")


def test_xlsx_list_with_a_channel_column_in_german() -> None:
    rows: list[list[object]] = [
        ["Programmübersicht KW 11"],
        ["Sender", "Datum", "Beginn", "Ende", "Titel", "Untertitel", "Genre", "FSK"],
        ["Das Erste", datetime(2024, 3, 11), time(20, 0), time(20, 15), "Tagesschau", None, "Nachrichten", None],
        ["Das Erste", datetime(2024, 3, 11), time(20, 15), time(21, 45), "Tatort", "Borowski und der Fluch",
         "Krimi", "FSK 12"],
        ["ZDF", datetime(2024, 3, 11), time(19, 0), time(19, 20), "heute", None, "Nachrichten", None],
        ["ZDF", datetime(2024, 3, 11), time(20, 15), None, "Der Bergdoktor", "Alte Wunden", "Serie", "FSK 6"],
        ["ZDF", datetime(2024, 3, 12), time(19, 0), None, "heute", None, "Nachrichten", None],
    ]
    schedule = read(xlsx(("Sheet1", rows, [])), date(2024, 3, 11), BERLIN)

    channels = by_channel(schedule)
    assert channels["Das Erste"] == [("2024-03-11 20:00", "Tagesschau"), ("2024-03-11 20:15", "Tatort")]
    assert channels["ZDF"] == [("2024-03-11 19:00", "heute"), ("2024-03-11 20:15", "Der Bergdoktor"),
                               ("2024-03-12 19:00", "heute")]
    tatort = next(p for p in schedule.programmes if p.title == "Tatort")
    assert tatort.sub_title == "Borowski und der Fluch"
    assert tatort.stop is not None and tatort.stop.strftime("%H:%M") == "21:45"
    assert tatort.rating is not None and tatort.rating.value == "FSK 12"
    assert "Krimi" in tatort.categories


def test_ods_sheet_with_repeated_cells_and_rows() -> None:
    rows = (ods_row(ods_text("Понедельник, 11 марта"), ods_empty(1000))
            + ods_row(ods_time(6, 0), ods_text("Доброе утро"), ods_empty(16382))
            + ods_row(ods_time(9, 0), ods_text("Новости"))
            + ods_row(ods_empty(3), repeat=1_048_000)  # LibreOffice's empty rest of the sheet
            + ods_row(ods_time(12, 0), ods_text("Время покажет")))
    data = ods([("Первый канал", rows)])

    schedule = read(data, date(2024, 3, 11))

    assert [(start, title) for _, start, title in listed(schedule)] == [
        ("2024-03-11 06:00", "Доброе утро"), ("2024-03-11 09:00", "Новости"), ("2024-03-11 12:00", "Время покажет")]
    assert any(d.place == 'sheet "Первый канал", row 1048004' for d in schedule.diagnostics)


def test_ods_repeated_filled_cells_past_the_bound_are_refused() -> None:
    rows = ods_row(ods_text("Новости", repeat=16_000), repeat=100)  # 1.6 million cells from a few bytes

    with pytest.raises(DocumentRefused, match="more than 1000000 cells"):
        binary_kind(ods([("Sheet1", rows)]))


# -- CSV and TSV --------------------------------------------------------------------------------------------------

def test_csv_semicolon_cp1251_list_with_a_channel_column() -> None:
    text = ("Канал;Дата;Время;Название;Возраст\r\n"
            "Первый канал;11.03.2024;06:00;Доброе утро;12+\r\n"
            "Первый канал;11.03.2024;09:00;Новости;16+\r\n"
            "Россия 1;11.03.2024;05:00;Утро России;12+\r\n"
            "Россия 1;11.03.2024;09:00;Вести;16+\r\n"
            "\"Россия 1\";11.03.2024;9:30;\"Вести; местное время\";16+\r\n")
    schedule = read(text.encode("cp1251"), date(2024, 3, 11))

    channels = by_channel(schedule)
    assert channels["Первый канал"] == [("2024-03-11 06:00", "Доброе утро"), ("2024-03-11 09:00", "Новости")]
    assert channels["Россия 1"] == [("2024-03-11 05:00", "Утро России"), ("2024-03-11 09:00", "Вести"),
                                    ("2024-03-11 09:30", "Вести; местное время")]
    assert any(d.message == "Text read as cp1251." for d in schedule.diagnostics)
    assert any(d.place == "row 4" for d in schedule.diagnostics)  # Россия 1's block starts on the file's line 4


def test_tsv_list_with_a_channel_column_in_english() -> None:
    text = ("channel\tdate\tstart\tend\ttitle\tdescription\n"
            "BBC One\t2024-03-11\t18:00\t18:30\tBBC News at Six\tThe latest national and international news.\n"
            "BBC One\t2024-03-11\t19:00\t19:30\tThe One Show\t\n"
            "BBC Two\t2024-03-11\t18:15\t\tEggheads\t\n"
            "BBC Two\t2024-03-11\t19:00\t\tUniversity Challenge\t\n")

    schedule = read(text, date(2024, 3, 11), zone("Europe/London"))

    channels = by_channel(schedule)
    assert channels["BBC One"] == [("2024-03-11 18:00", "BBC News at Six"), ("2024-03-11 19:00", "The One Show")]
    assert channels["BBC Two"] == [("2024-03-11 18:15", "Eggheads"), ("2024-03-11 19:00", "University Challenge")]
    news = schedule.programmes[0]
    assert news.description == "The latest national and international news."
    assert news.stop is not None and news.stop.strftime("%H:%M") == "18:30"


def test_plain_text_with_a_delimiter_is_still_read_as_text() -> None:
    text = "Понедельник, 11 марта\n06:00 Доброе утро, 12+\n09:00 Новости, 16+\n"

    assert decode(text.encode()).places is None
    assert [title for _, _, title in listed(read(text, date(2024, 3, 11)))] == ["Доброе утро", "Новости"]


# -- DOCX ---------------------------------------------------------------------------------------------------------

def test_docx_headings_per_day_and_a_table() -> None:
    data = word([
        ("paragraph", "Программа передач телеканала «Культура»"),
        ("heading", "Понедельник, 11 марта"),
        ("paragraph", "06:30 Письма из провинции"),
        ("paragraph", "07:00 Легенды мирового кино"),
        ("heading", "Вторник, 12 марта"),
        ("table", [["Время", "Передача", "Возраст"],
                   ["06:30", "Пешком...", "12+"],
                   ["07:05", "Правила жизни", "12+"]]),
        ("paragraph", "Редакция оставляет за собой право на изменения."),
    ])

    schedule = read(data, date(2024, 3, 11))

    assert [(start, title) for _, start, title in listed(schedule)] == [
        ("2024-03-11 06:30", "Письма из провинции"), ("2024-03-11 07:00", "Легенды мирового кино"),
        ("2024-03-12 06:30", "Пешком"), ("2024-03-12 07:05", "Правила жизни")]
    assert schedule.programmes[3].rating is not None and schedule.programmes[3].rating.value == "12+"
    assert any(d.place == "paragraph 5" for d in schedule.diagnostics)  # the Tuesday heading
    assert any(d.place == "table 1, row 3" for d in schedule.diagnostics)


# -- PDF ----------------------------------------------------------------------------------------------------------

def test_two_column_pdf_page_reads_column_by_column() -> None:
    data = pdf([
        ["Das Erste", "20:00 Tagesschau", "20:15 Tatort: Borowski", "21:45 Hart aber fair",
         "23:00 Tagesthemen"],
        ["ZDF", "19:00 heute", "19:25 Die Rosenheim-Cops", "20:15 Der Bergdoktor", "22:15 Markus Lanz"],
    ], heading="Fernsehen am Montag, 11. März 2024")

    schedule = read(data, date(2024, 3, 11), BERLIN)

    channels = by_channel(schedule)
    assert channels["Das Erste"] == [("2024-03-11 20:00", "Tagesschau"), ("2024-03-11 20:15", "Tatort"),
                                     ("2024-03-11 21:45", "Hart aber fair"), ("2024-03-11 23:00", "Tagesthemen")]
    assert channels["ZDF"] == [("2024-03-11 19:00", "heute"), ("2024-03-11 19:25", "Die Rosenheim-Cops"),
                               ("2024-03-11 20:15", "Der Bergdoktor"), ("2024-03-11 22:15", "Markus Lanz")]
    assert any(d.place == "page 1, column 2" for d in schedule.diagnostics)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font for Cyrillic")
def test_three_column_russian_pdf_page() -> None:
    data = pdf([
        ["Первый канал", "06:00 Доброе утро", "09:00 Новости", "09:20 Жить здорово!"],
        ["Россия 1", "05:00 Утро России", "09:00 Вести", "09:30 О самом главном"],
        ["НТВ", "05:00 Утро. Самое лучшее", "08:00 Сегодня", "08:25 Мальцева"],
    ], heading="Понедельник, 11 марта", font="DejaVu")

    channels = by_channel(read(data, date(2024, 3, 11)))

    assert channels["Первый канал"][2] == ("2024-03-11 09:20", "Жить здорово!")
    assert channels["Россия 1"] == [("2024-03-11 05:00", "Утро России"), ("2024-03-11 09:00", "Вести"),
                                    ("2024-03-11 09:30", "О самом главном")]
    assert channels["НТВ"][1] == ("2024-03-11 08:00", "Сегодня")


# -- a newspaper page as text -------------------------------------------------------------------------------------

def test_multi_channel_newspaper_text() -> None:
    text = ("ПОНЕДЕЛЬНИК, 11 МАРТА\n\n"
            "ПЕРВЫЙ КАНАЛ\n05.00 Доброе утро\n09.00, 12.00 Новости\n09.20 Жить здорово! (16+)\n"
            "РОССИЯ 1\n05.00 Утро России\n09.00 Вести\n09.30 О самом главном (12+)\n"
            "НТВ\n04.40 Т/с «Лесник» (16+)\n06.00 Утро. Самое лучшее\n")

    channels = by_channel(read(text, date(2024, 3, 11)))

    assert channels["ПЕРВЫЙ КАНАЛ"] == [("2024-03-11 05:00", "Доброе утро"), ("2024-03-11 09:00", "Новости"),
                                        ("2024-03-11 09:20", "Жить здорово!"), ("2024-03-11 12:00", "Новости")]
    assert [title for _, title in channels["РОССИЯ 1"]] == ["Утро России", "Вести", "О самом главном"]
    assert channels["НТВ"][0] == ("2024-03-11 04:40", "Лесник")


# -- the command line and HTTP ------------------------------------------------------------------------------------

def test_epg_parse_reads_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "week.xlsx"
    path.write_bytes(xlsx(("Sheet1", WEEK_GRID, [])))

    result = CliRunner().invoke(main, ["parse", str(path), "--date", "2024-03-11", "--tz", "Europe/Moscow"])

    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    firsts = [(p["start"], p["title"]) for p in out["programmes"][:2]]
    assert firsts == [("2024-03-11T06:00:00+03:00", "Доброе утро"), ("2024-03-11T09:00:00+03:00", "Новости")]
    assert out["programmes"][-1]["start"].startswith("2024-03-13T23:30")
    assert {d["place"] for d in out["diagnostics"]} >= {'sheet "Sheet1", row 1, column B'}


def test_epg_parse_of_an_encrypted_document_says_so(tmp_path: Path) -> None:
    path = tmp_path / "week.xlsx"
    path.write_bytes(ENCRYPTED_OFFICE)

    result = CliRunner().invoke(main, ["parse", str(path), "--date", "2024-03-11", "--tz", "Europe/Moscow"])

    assert result.exit_code == 1
    assert "encrypted (password-protected) Office document" in result.output


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("how", ["octet-stream", "own type", "form file"])
def test_http_dry_run_day_upload_of_an_xlsx(client: TestClient, auth: dict[str, str], how: str) -> None:
    """Regression: the day upload refused an XLSX sent under its own media type (415) though it reads it."""
    data = xlsx(("Sheet1", [
        ["Дата", "Время", "Название", "Возраст"],
        [datetime(2022, 1, 7), time(16, 55), "История дракона", "12+"],
        [datetime(2022, 1, 7), time(17, 0), "Китайская панорама", "12+"],
        [datetime(2022, 1, 7), time(17, 15), "Жажда странствий. Иордания", "12+"],
    ], []))

    url = "/api/channels/bigasia.ru/days/2022-01-07?dry_run=true"
    token = {"Authorization": auth["Authorization"]}
    if how == "form file":
        response = client.put(url, files={"file": ("week.xlsx", data, XLSX_TYPE)}, headers=token)
    else:
        kind = XLSX_TYPE if how == "own type" else "application/octet-stream"
        response = client.put(url, content=data, headers={**token, "Content-Type": kind})

    assert response.status_code == 200, response.text
    titles = [p["title"] for p in response.json()["programmes"]]
    assert titles == ["История дракона", "Китайская панорама", "Жажда странствий"]
    assert client.get("/api/channels/bigasia.ru/days/2022-01-07").status_code == 404  # nothing stored


def test_http_upload_of_a_macro_workbook_is_refused_naming_the_macros(
        client: TestClient, auth: dict[str, str]) -> None:
    data = rezip(xlsx(("Sheet1", WEEK_GRID, [])), extra={"xl/vbaProject.bin": b"\x00" * 64})

    response = client.put("/api/channels/bigasia.ru/days/2022-01-07", content=data,
                          headers={**auth, "Content-Type": "application/octet-stream"})

    assert response.status_code == 415
    assert "macros" in response.json()["detail"]
    assert client.get("/api/channels/bigasia.ru/days/2022-01-07").status_code == 404


# -- bad input ----------------------------------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
ENCRYPTED_OFFICE = OLE + "EncryptedInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler wants a user password (random O and U: none given opens it)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> "
            b"<00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out


def scanned_pdf() -> bytes:
    page = FPDF(format="A4")
    page.add_page()
    page.rect(20, 20, 170, 250, style="F")  # a picture of text, not text
    return bytes(page.output())


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def lying_sizes(data: bytes) -> bytes:
    """``data`` (a zip) with every central directory entry claiming 10 bytes unpacked."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        out[at + 24:at + 28] = (10).to_bytes(4, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


BAD = {
    "encrypted Office file": (ENCRYPTED_OFFICE, "encrypted (password-protected) Office document"),
    "old .xls": (OLE + b"Workbook", "old-format Office document (.xls or .doc)"),
    "encrypted PDF": (encrypted_pdf(), "PDF is encrypted"),
    "scanned PDF": (scanned_pdf(), "no text layer"),
    "macro-enabled workbook": (
        rezip(xlsx(("Sheet1", WEEK_GRID, [])), replace={"[Content_Types].xml": CONTENT_TYPES.replace(
            b"/>", b'><Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.'
                   b'macroEnabled.main+xml"/></Types>')}), "macro-enabled"),
    "DOCX with a VBA project": (rezip(word([("paragraph", "06:00 Новости")]),
                                      extra={"word/vbaProject.bin": b"\x00"}), "contains macros"),
    "zip bomb": (zip_of({"[Content_Types].xml": CONTENT_TYPES,
                         "xl/worksheets/sheet1.xml": b"\x00" * (MAX_UNPACKED_BYTES + 1)}), "limit is"),
    "too many entries": (zip_of({"[Content_Types].xml": CONTENT_TYPES} |
                                {f"xl/media/{i}.bin": b"" for i in range(MAX_ENTRIES + 1)}), "entries"),
    "sizes that lie": (lying_sizes(zip_of({"[Content_Types].xml": CONTENT_TYPES,
                                           "xl/worksheets/sheet1.xml": b"<x/>" * 5000})), "damaged"),
    "not what it says": (zip_of({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"not xml"}),
                         "cannot be read"),
    "PDF that is no PDF": (b"%PDF-1.7\nthis is not a PDF at all\n", "PDF cannot be read"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_documents_are_refused_naming_the_problem(name: str) -> None:
    data, reason = BAD[name]

    with pytest.raises(DocumentRefused, match=reason.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        binary_kind(data)
    failure = read(data, date(2024, 3, 11))  # parse() itself never raises: it says why in a diagnostic
    assert failure.programmes == []
    assert any(reason in d.message for d in failure.diagnostics)


def test_images_archives_and_random_bytes_are_still_refused() -> None:
    assert binary_kind(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100) == "a PNG image"
    assert binary_kind(zip_of({"notes.txt": b"06:00 News"})) == "a zip archive (or an Office file)"
    assert binary_kind(bytes(range(256)) * 8) == "binary data"


def test_http_upload_of_an_encrypted_pdf_is_415_and_stores_nothing(
        client: TestClient, auth: dict[str, str]) -> None:
    response = client.put("/api/channels/bigasia.ru/days/2022-01-07", content=encrypted_pdf(),
                          headers={**auth, "Content-Type": "application/octet-stream"})

    assert response.status_code == 415
    assert response.json()["detail"].startswith("the PDF is encrypted")
    assert client.get("/api/channels/bigasia.ru/days/2022-01-07").status_code == 404


def test_damaged_documents_never_raise_from_reading() -> None:
    """Found by bench.fuzz: a bad deflate block in a zip entry, a PDF that fails again when closed."""
    for data in (xlsx(("Sheet1", WEEK_GRID, [])), pdf([["20:00 Tagesschau", "20:15 Tatort"]])):
        for at in range(40, len(data), max(1, len(data) // 60)):
            damaged = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]
            schedule = read(damaged, date(2024, 3, 11))  # raises nothing, whatever the byte
            assert schedule.programmes or schedule.diagnostics


def test_delimited_text_whose_rows_are_all_blank_is_no_table() -> None:
    """Regression: ' ; ' rows sniffed as semicolon-separated, then had no row to measure (max() of nothing),
    and the parser answered with its own failure."""
    from epg.documents.delimited import read_delimited
    from epg.documents.tables import Budget

    assert read_delimited(" ; \n ; \n", Budget()) is None
    schedule = read_schedule(" ; \n ; \n10:00 Новости\n", date(2022, 1, 10), ZoneInfo("Europe/Moscow"))
    assert [p.title for p in schedule.programmes] == ["Новости"]
    assert not any(d.message.startswith("Could not read the text") for d in schedule.diagnostics)


def test_a_typed_tab_separated_list_is_read_in_place_keeping_its_line_numbers_and_seconds() -> None:
    """Regression: a start/title/rating list typed with tabs was laid out anew as a document: its header and
    trailing lines lost their numbers and playout times lost their seconds."""
    text = "Время;Хронометраж;Название;Возраст\n05:00:30;00:15:00;Доброе утро;12+\n05:15:30;00:15:00;Новости;\n"
    schedule = read_schedule(text, date(2022, 1, 10), ZoneInfo("Europe/Moscow"))

    assert [(p.start.strftime("%H:%M:%S"), p.title, p.line) for p in schedule.programmes] == [
        ("05:00:30", "Доброе утро", 2), ("05:15:30", "Новости", 3)]
