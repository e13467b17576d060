"""M3U playlists as IPTV players parse them: a header naming the guide, EXTINF + URL pairs, ids that join the guide."""

from __future__ import annotations

import re

from epg.models import Channel
from feeds.m3u import write_m3u
from tests.sample_guide import BERLIN, MSK

# How players read an entry: attributes as key="value" pairs, the name after the last attribute's comma.
EXTINF = re.compile(r'^#EXTINF:-1((?: [a-z-]+="[^"]*")*),(.*)$')
ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def entries(data: bytes) -> list[tuple[dict[str, str], str, str]]:
    """(attributes, name, url) per entry, parsed the way players do; fails on anything else."""
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and lines[0].startswith("#EXTM3U")
    body = lines[1:-1]
    assert len(body) % 2 == 0, body
    result = []
    for info, url in zip(body[::2], body[1::2], strict=True):
        match = EXTINF.match(info)
        assert match, info
        assert url and not url.startswith("#"), url
        result.append((dict(ATTR.findall(match.group(1))), match.group(2), url))
    return result


STREAMS = {"bigasia.ru": "https://stream.example/bigasia/index.m3u8", "daserste.de": "http://10.0.0.1:8001/1:0:19"}


def test_header_names_the_guide_and_every_channel_has_its_stream() -> None:
    data = write_m3u([MSK, BERLIN], STREAMS, base_url="https://tv.example/")
    assert data.split(b"\n")[0] == (b'#EXTM3U url-tvg="https://tv.example/xmltv.xml.gz" '
                                    b'x-tvg-url="https://tv.example/xmltv.xml.gz"')
    assert entries(data) == [
        ({"tvg-id": "bigasia.ru", "tvg-name": "Большая Азия", "tvg-chno": "7"}, "Большая Азия",
         STREAMS["bigasia.ru"]),
        ({"tvg-id": "daserste.de", "tvg-name": "Das Erste", "tvg-logo": "https://example.org/logos/daserste.png",
          "tvg-chno": "1"}, "Das Erste", STREAMS["daserste.de"]),
    ]


def test_channels_without_a_stream_are_left_out() -> None:
    data = write_m3u([MSK, BERLIN], {"daserste.de": STREAMS["daserste.de"], "other.tv": "http://x"})
    assert [attrs["tvg-id"] for attrs, _, _ in entries(data)] == ["daserste.de"]
    assert write_m3u([MSK], {}) == b"#EXTM3U\n"


def test_without_a_base_url_the_header_is_bare() -> None:
    assert write_m3u([MSK], STREAMS).split(b"\n")[0] == b"#EXTM3U"


def test_quotes_and_line_breaks_cannot_break_an_entry() -> None:
    # The model refuses such an icon now; rows stored before it did are still written safely.
    hostile = Channel.model_construct(id="evil.tv", name='Say "hi",\nnow', tz="UTC", number='1"2',
                                      icon='http://x/a.png" tvg-id="other.tv')
    data = write_m3u([hostile], {"evil.tv": " http://x/stream "})
    [(attrs, name, url)] = entries(data)
    assert attrs == {"tvg-id": "evil.tv", "tvg-name": "Say 'hi', now", "tvg-logo": "http://x/a.png' tvg-id='other.tv",
                     "tvg-chno": "1'2"}
    assert name == 'Say "hi", now'
    assert url == "http://x/stream"


def test_a_stream_url_with_a_line_break_or_space_is_refused() -> None:
    evil = {"bigasia.ru": "http://x/stream\n#EXTINF:-1,fake\nhttp://evil", "daserste.de": "http://x/a b"}
    assert write_m3u([MSK, BERLIN], evil) == b"#EXTM3U\n"


def test_playlist_is_utf8_and_deterministic() -> None:
    first = write_m3u([MSK, BERLIN], STREAMS, base_url="https://tv.example")
    assert first == write_m3u([MSK.model_copy(), BERLIN.model_copy()], dict(STREAMS), base_url="https://tv.example")
    assert "Большая Азия".encode() in first
