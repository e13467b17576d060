"""Build token-labelled spans from the DEV corpus only (never holdout/).

Run with the project's interpreter:
  PYTHONPATH=. .venv/bin/python docs/experiments/crf-titles/extract.py
Writes docs/experiments/crf-titles/data.json: one record per expected programme matched (by start,
as bench.score does) to a parsed programme that carries a source line.
"""
from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.score import CORPUS, listing_sources, loose
from epg.decoding import decode
from epg.schedule import read_schedule
from feeds.jsonfeed import parse_output
HERE = Path(__file__).resolve().parent  # outputs are written beside the scripts

DEV = CORPUS / "dev"
assert DEV.name == "dev"
TOKEN = re.compile(r"\d+|[^\W\d_]+(?:[-'’][^\W\d_]+)*|_|[^\w\s]")
TIME = re.compile(r"^\d{1,2}$")
CONNECT = {"і", "и", "i", "y", "and", "et", "und", "e", "ve", "ir", "та", "ў", "у", "в", "a", "&", "-", "–", ",", "/"}


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def time_positions(toks):
    """Indices of tokens that begin an H:MM / HH.MM clock time."""
    out = []
    for i in range(len(toks) - 2):
        if TIME.match(toks[i][0]) and toks[i + 1][0] in (":", ".", "h") and re.fullmatch(r"\d{2}", toks[i + 2][0]) \
                and toks[i + 1][1] == toks[i][2] and toks[i + 2][1] == toks[i + 1][2]:
            out.append(i)
    return out


def segment(text: str, hhmm: tuple[int, int]):
    """Cut the line to this programme's part: from its time to the next time that has words in between."""
    toks = tokens(text)
    times = time_positions(toks)
    mine = [i for i in times if int(toks[i][0]) == hhmm[0] and int(toks[i + 2][0]) == hhmm[1]]
    if not mine:
        return 0, len(text), None
    me = mine[0]
    # earlier times joined to this one by connectors only ("11:00 і 20:30 – X"): keep the start at line start
    start_char = 0
    prev = [i for i in times if i < me]
    if prev:
        p = prev[-1]
        between = [t[0] for t in toks[p + 3:me]]
        if any(len(w) > 1 and w.lower() not in CONNECT and not w.isdigit() for w in between):
            start_char = toks[p + 3][1] if p + 3 < len(toks) else toks[me][1]
            # start at the end of previous programme is wrong; start at this time instead
            start_char = toks[me][1]
    end_char = len(text)
    for j in times:
        if j > me + 2:
            between = [t[0] for t in toks[me + 3:j]]
            if any(len(w) > 1 and w.lower() not in CONNECT and not w.isdigit() for w in between):
                end_char = toks[j][1]
                break
    return start_char, end_char, me


def align(span: str, want: str | None):
    """(first, last) token indices whose character range equals ``want`` exactly, else loosely; kind."""
    if not want:
        return None, "none"
    toks = tokens(span)
    w = want.strip()
    lw = loose(w)
    best_loose = None
    for i in range(len(toks)):
        for j in range(i, len(toks)):
            piece = span[toks[i][1]:toks[j][2]]
            if len(piece) > len(w) + 40:
                break
            if re.sub(r"\s+", " ", piece) == re.sub(r"\s+", " ", w):
                return (i, j), "exact"
            if best_loose is None and loose(piece) == lw:
                best_loose = (i, j)
    if best_loose is not None:
        return best_loose, "loose"
    return None, "fail"


def align_near(span: str, want: str | None, at: int):
    """Like align, but among several places prefer the first at/after ``at`` (this programme's time), then the last before."""
    if not want:
        return None, "none"
    toks = tokens(span)
    w = re.sub(r"\s+", " ", want.strip())
    lw = loose(w)
    exact, near = [], []
    for i in range(len(toks)):
        for j in range(i, len(toks)):
            piece = span[toks[i][1]:toks[j][2]]
            if len(piece) > len(w) + 40:
                break
            if re.sub(r"\s+", " ", piece) == w:
                exact.append((i, j))
            elif loose(piece) == lw:
                near.append((i, j))
    for found, kind in ((exact, "exact"), (near, "loose")):
        if found:
            after = [c for c in found if toks[c[0]][1] >= at]
            return (after[0] if after else found[-1]), kind
    return None, "fail"


def main() -> None:
    records = []
    stats = {"listings": 0, "expected": 0, "matched": 0, "no_line": 0, "aligned_exact": 0,
             "aligned_loose": 0, "align_fail": 0, "sub_fail": 0, "sub_loose": 0}
    for source, expected_path in listing_sources(DEV):
        stats["listings"] += 1
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        meta = json.loads((DEV / (source.stem + ".source.json")).read_text(encoding="utf-8"))
        data = source.read_bytes()
        decoded = decode(data)
        numbers = decoded.numbers or list(range(1, len(decoded.texts) + 1))
        by_number: dict[int, list[str]] = {}
        for n, t in zip(numbers, decoded.texts):
            by_number.setdefault(n, []).append(t)
        ordered = sorted(by_number)
        schedule = read_schedule(data, date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"]))
        found = json.loads(parse_output(schedule.programmes, schedule.diagnostics))["programmes"]
        unused = list(found)
        for want in expected["programmes"]:
            stats["expected"] += 1
            moment = datetime.fromisoformat(want["start"])
            same = [p for p in unused if datetime.fromisoformat(p["start"]) == moment]
            if not same:
                continue
            got = next((p for p in same if p["title"] == want["title"]), same[0])
            unused.remove(got)
            stats["matched"] += 1
            rec = {"listing": source.stem, "lang": source.stem.split("-")[0],
                   "publisher": meta.get("publisher") or source.stem.split("-")[1],
                   "start": want["start"], "want_title": want["title"], "want_sub": want["sub_title"],
                   "rule_title": got["title"], "rule_sub": got["sub_title"], "line": got.get("line")}
            line = got.get("line")
            if line is None or line not in by_number:
                stats["no_line"] += 1
                rec["status"] = "no_line"
                records.append(rec)
                continue
            text = " ".join(by_number[line])
            hhmm = (moment.hour, moment.minute)
            # the local clock time as written: use the listing's own tz
            local = moment.astimezone(ZoneInfo(expected["tz"]))
            s, e, me = segment(text, (local.hour, local.minute))
            idx = ordered.index(line)

            def lines_at(k):
                return " ".join(by_number[ordered[k]]).strip() if 0 <= k < len(ordered) else ""

            def clean(k):  # a neighbouring line with no clock time in it
                t = lines_at(k)
                return t if t and not time_positions(tokens(t)) else None

            def ok(sp):
                return align(sp, want["title"])[0] is not None and (
                    not want["sub_title"] or align(sp, want["sub_title"])[0] is not None)

            nexts, prevs = [], []
            k = idx + 1
            while len(nexts) < 2 and k < len(ordered) and k <= idx + 4:
                t = lines_at(k)
                if t:
                    if time_positions(tokens(t)):
                        break
                    nexts.append(t)
                k += 1
            k = idx - 1
            while len(prevs) < 2 and k >= 0 and k >= idx - 4:
                t = lines_at(k)
                if t:
                    if time_positions(tokens(t)):
                        break
                    prevs.insert(0, t)
                k -= 1
            # A FIXED window, chosen without looking at the answer: up to two clock-free lines above,
            # this line up to the next programme's time, up to two clock-free lines below.
            head = " ¶ ".join(prevs + [""]) if prevs else ""
            my_line = text[:e]
            span = head + my_line + (" ¶ " + " ¶ ".join(nexts) if nexts else "")
            line_start = len(head)
            my_char = line_start + (tokens(text)[me][1] if me is not None else 0)
            title_al, kind = align_near(span, want["title"], my_char)
            extra = "window"
            rec.update(span=span, has_time=me is not None, extra_lines=extra)
            if title_al is None:
                stats["align_fail"] += 1
                rec["status"] = "title_fail"
                records.append(rec)
                continue
            stats["aligned_" + kind] += 1
            sub_al, skind = align_near(span, want["sub_title"], my_char)
            if want["sub_title"] and sub_al is None:
                stats["sub_fail"] += 1
                rec["status"] = "sub_fail"
                records.append(rec)
                continue
            if skind == "loose":
                stats["sub_loose"] += 1
            toks = tokens(span)
            labels = ["O"] * len(toks)
            if sub_al:
                for k in range(sub_al[0], sub_al[1] + 1):
                    labels[k] = "SUB"
            for k in range(title_al[0], title_al[1] + 1):
                labels[k] = "TITLE"
            my_tok = next((i for i, t in enumerate(toks) if t[1] >= my_char), 0) if me is not None else None
            line_tok = next((i for i, t in enumerate(toks) if t[1] >= line_start), 0)
            rec.update(my_tok=my_tok, line_tok=line_tok)
            if sub_al and not (sub_al[1] < title_al[0] or sub_al[0] > title_al[1]):
                stats["overlap"] = stats.get("overlap", 0) + 1
                sub_al = None
            rec.update(status="ok", title_kind=kind, sub_kind=skind, tokens=toks, labels=labels)
            records.append(rec)
    (HERE / "data.json").write_text(json.dumps({"stats": stats, "records": records}, ensure_ascii=False))
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    sys.exit(main())
