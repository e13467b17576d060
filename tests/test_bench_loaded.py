"""The reads-under-uploads benchmark sends what it says it sends, and reads wrk's report right.

The benchmark's figures are only worth what its upload is: text the parser
takes whole, every day it names, under the upload limit, and a new text for
each publish (the same file again publishes nothing).
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bench.http_load import parse_wrk
from bench.loaded import DAY, UPLOAD_LIMIT, classify, schedule_text
from epg.schedule import read_schedule

FIRST = date(2026, 12, 5)


def test_the_upload_is_whole_days_of_programmes_under_the_limit() -> None:
    text, days = schedule_text(FIRST)
    assert UPLOAD_LIMIT - 2500 < len(text) <= UPLOAD_LIMIT
    schedule = read_schedule(text, FIRST, ZoneInfo("Europe/Moscow"))
    assert len(schedule.by_day) == days
    assert all(len(programmes) == len(DAY) for programmes in schedule.by_day.values())
    assert not [d for d in schedule.diagnostics if d.severity == "error"]
    described = sum(1 for _, _, description in DAY if description)
    assert sum(1 for p in schedule.programmes if p.description) == described * days


def test_each_upload_differs_from_the_one_before_on_every_day() -> None:
    tz = ZoneInfo("Europe/Moscow")
    first, second = (read_schedule(schedule_text(FIRST, 40_000, variant)[0], FIRST, tz) for variant in (7, 8))
    assert first.by_day.keys() == second.by_day.keys()
    for day in first.by_day:
        assert [p.start for p in first.by_day[day]] != [p.start for p in second.by_day[day]]
    assert schedule_text(FIRST, 40_000, 3) == schedule_text(FIRST, 40_000, 13)


WRK = """Running 20s test @ http://127.0.0.1:40000/api/now
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.01ms   30.52ms 469.50ms   95.12%
    Req/Sec   132.40     40.11   210.00     70.00%
  Latency Distribution
     50%   49.90ms
     75%   80.00ms
     90%  170.80ms
     99%  317.40ms
  2644 requests in 20.01s, 12.10MB read
Requests/sec:    132.12
Transfer/sec:    619.23KB
"""


def test_wrk_output_gives_the_percentiles_and_the_max() -> None:
    result = parse_wrk("now", "http://127.0.0.1:40000/api/now", WRK)
    assert (result.requests, result.requests_per_s) == (2644, 132.12)
    assert (result.p50_ms, result.p90_ms, result.p99_ms, result.max_ms) == (49.9, 170.8, 317.4, 469.5)


def test_profile_samples_are_told_apart_by_what_the_thread_was_doing() -> None:
    upload = ("thread (1): AnyIO worker thread;WorkerThread.run (anyio/_backends/_asyncio.py:1124);"
              "put_day.<locals>.publish (api/routes/channels.py:157);Service.publish_text (epg/service.py:483)")
    assert classify(upload + ";read_schedule (epg/schedule.py:41)") == "upload: parsing (read_schedule)"
    assert classify(upload + ";Store.publish (epg/store.py:468);assign_ids (epg/identity.py:67)") == \
        "upload: identity matching"
    assert classify(upload + ";Service._unchanged (epg/service.py:524);Store.get_day (epg/store.py:745);"
                             "Connection.execute (sqlalchemy/engine/base.py:1494)") == "upload: Store.get_day"
    assert classify("thread (2): MainThread;BaseEventLoop.run_forever (asyncio/base_events.py:607)") == \
        "event loop thread (uvicorn, Starlette, asyncio)"
    assert classify("thread (3): AnyIO worker thread;now_next (api/routes/now.py:50)") == \
        "read handlers (thread pool)"
