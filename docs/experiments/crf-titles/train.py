"""Leave-publisher-out CRF vs rules on docs/experiments/crf-titles/data.json (dev only).

  python (with python-crfsuite installed) docs/experiments/crf-titles/train.py   -> docs/experiments/crf-titles/results.json, docs/experiments/crf-titles/examples.txt
"""
from __future__ import annotations

import glob
import json
import re
import time
import tomllib
from collections import defaultdict
from pathlib import Path

import pycrfsuite

HERE = Path(__file__).resolve().parent  # outputs are written beside the scripts
DATA = json.loads((HERE / "data.json").read_text())
RECORDS = [r for r in DATA["records"] if r["status"] == "ok"]
FOLDS = 5
import os
C1, C2 = float(os.environ.get("C1", "0.05")), float(os.environ.get("C2", "4.0"))
BIO = os.environ.get("BIO", "1") == "1"


def bio(labels):
    out, prev = [], "O"
    for lab in labels:
        out.append("O" if lab == "O" else ("I-" if prev == lab else "B-") + lab)
        prev = lab
    return out


def unbio(labels):
    return [lab.split("-", 1)[-1] for lab in labels]

# --- lexicons: every word of every entry, by section -----------------------------------------------
TOK = re.compile(r"\d+|[^\W\d_]+(?:[-'’][^\W\d_]+)*|_|[^\w\s]")
LEX: dict[str, set[str]] = defaultdict(set)


def _walk(section: str, value) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(section, k)
            _walk(section, v)
    elif isinstance(value, list):
        for v in value:
            _walk(section, v)
    elif isinstance(value, str):
        for w in TOK.findall(value):
            if any(c.isalnum() for c in w):
                LEX[section].add(w.casefold())


for path in glob.glob(str(HERE.parents[2] / "epg" / "lexicon" / "*.toml")):
    with open(path, "rb") as fh:
        for section, value in tomllib.load(fh).items():
            _walk(section, value)
RATING = re.compile(r"^(\d{1,2}\+|TV-(Y7?|G|PG|14|MA)|PG|PG-13|NC-17|U|12A|R18|FSK)$", re.I)
QUOTES, OPEN, CLOSE = set("\"'«»“”„‘’‹›"), set("([{"), set(")]}")
DASHES = set("-–—")


def shape(w: str) -> str:
    if w == "¶":
        return "NL"
    if w.isdigit():
        return "d" * min(len(w), 4)
    if w in QUOTES:
        return "Q"
    if w in OPEN or w in CLOSE:
        return "B"
    if w in DASHES:
        return "D"
    if not any(c.isalnum() for c in w):
        return "P"
    if w.isupper():
        return "XX" if len(w) > 1 else "X"
    if w[0].isupper():
        return "Xx"
    if w.islower():
        return "x"
    return "mix"


def token_features(rec: dict) -> list[list[str]]:
    toks = [t[0] for t in rec["tokens"]]
    my = rec.get("my_tok")
    line0 = rec.get("line_tok", 0)
    shapes = [shape(w) for w in toks]
    # line index of each token (relative to the programme's own line) and position within its line
    rel_line, pos_in_line, cur, p = [], [], 0, 0
    for i, w in enumerate(toks):
        if w == "¶":
            cur += 1
            p = 0
        rel_line.append(cur)
        pos_in_line.append(p)
        p += 1
    own = rel_line[line0] if line0 < len(toks) else 0
    # quote depth
    depth, inq = [], 0
    for w in toks:
        if w in "«“„":
            inq += 1
        depth.append(inq > 0)
        if w in "»”" and inq:
            inq -= 1
    feats = []
    for i, w in enumerate(toks):
        lw = w.casefold()
        f = [f"w={lw}", f"sh={shapes[i]}", f"lang={rec['lang']}", f"len={min(len(w), 8)}",
             f"suf3={lw[-3:]}", f"line={max(-2, min(2, rel_line[i] - own))}", f"pil={min(pos_in_line[i], 6)}"]
        if my is None:
            f.append("notime")
        else:
            d = i - my if i < my else max(0, i - my - 2)  # 0 = the time itself, 1 = first token after it
            f.append(f"dt={max(-6, min(8, d))}")
            f.append("before" if d < 0 else "after")
            f.append(f"dt_lang={rec['lang']}_{'b' if d < 0 else 'a'}")
        if w in QUOTES:
            f.append("quote")
        if w in OPEN:
            f.append("open")
        if w in CLOSE:
            f.append("close")
        if w in DASHES:
            f.append("dash")
        if w == ":":
            f.append("colon")
        if w in ".,;!?":
            f.append("stop")
        if depth[i]:
            f.append("inquote")
        if RATING.match(w):
            f.append("rating")
        for section, words in LEX.items():
            if lw in words:
                f.append(f"lex={section}")
        for k in (-2, -1, 1, 2):
            j = i + k
            if 0 <= j < len(toks):
                f.append(f"{k}:w={toks[j].casefold()}")
                f.append(f"{k}:sh={shapes[j]}")
            else:
                f.append(f"{k}:edge")
        f.append(f"sh-1|sh={shapes[i-1] if i else 'BOS'}|{shapes[i]}")
        feats.append(f)
    return feats


def decode(rec: dict, labels: list[str]) -> tuple[str | None, str | None]:
    """The title (and sub-title) text: the first run of TITLE (SUB) tokens at/after the time, else the first."""
    span, toks = rec["span"], rec["tokens"]
    out = []
    for lab in ("TITLE", "SUB"):
        runs, i = [], 0
        while i < len(labels):
            if labels[i] == lab:
                j = i
                while j + 1 < len(labels) and labels[j + 1] == lab:
                    j += 1
                runs.append((i, j))
                i = j + 1
            else:
                i += 1
        if not runs:
            out.append(None)
            continue
        my = rec.get("my_tok") or 0
        after = [r for r in runs if r[0] >= my]
        i, j = after[0] if after else runs[-1]
        out.append(re.sub(r"\s+", " ", span[toks[i][1]:toks[j][2]]))
    return out[0], out[1]


GROUP = os.environ.get("GROUP", "publisher")  # "listing" = ordinary CV (for reference only)
if GROUP == "listing":
    for _r in RECORDS:
        _r["publisher"] = _r["listing"]


def folds() -> list[set[str]]:
    """Publishers into FOLDS groups with about the same number of programmes (greedy, largest first)."""
    size = defaultdict(int)
    for r in RECORDS:
        size[r["publisher"]] += 1
    groups, load = [set() for _ in range(FOLDS)], [0] * FOLDS
    for pub in sorted(size, key=lambda p: (-size[p], p)):
        k = load.index(min(load))
        groups[k].add(pub)
        load[k] += size[pub]
    return groups


def doubtful(rec: dict) -> bool:
    """Signal that the rules' title is suspect, visible without the answer."""
    t = rec["rule_title"] or ""
    if not t.strip():
        return True
    if re.sub(r"\s+", " ", t) not in re.sub(r"\s+", " ", rec["span"]):  # rules rewrote or invented it
        return True
    if len(t) > 70 or len(t.split()) > 10:  # a sentence, not a title
        return True
    if re.search(r"\d{1,2}[:.]\d{2}", t):  # a clock time swallowed into the title
        return True
    return False


def main() -> None:
    for r in RECORDS:
        r["x"] = token_features(r)
    groups = folds()
    results, examples = [], []
    total = defaultdict(int)
    train_secs, tag_secs, tag_lines = 0.0, 0.0, 0
    for k, pubs in enumerate(groups):
        train = [r for r in RECORDS if r["publisher"] not in pubs]
        test = [r for r in RECORDS if r["publisher"] in pubs]
        trainer = pycrfsuite.Trainer(verbose=False)
        for r in train:
            trainer.append(r["x"], bio(r["labels"]) if BIO else r["labels"])
        trainer.set_params({"c1": C1, "c2": C2, "max_iterations": 200, "feature.possible_transitions": True})
        model = str(HERE / f"fold{k}.crfsuite")
        t0 = time.perf_counter()
        trainer.train(model)
        train_secs += time.perf_counter() - t0
        tagger = pycrfsuite.Tagger()
        tagger.open(model)
        c = defaultdict(int)
        for r in test:
            t0 = time.perf_counter()
            labels = tagger.tag(r["x"])
            prob = tagger.probability(labels)
            labels = unbio(labels)
            if "TITLE" not in labels:  # fall back to the most title-like run by marginals
                tl = [sum(tagger.marginal(l, i) for l in (("B-TITLE", "I-TITLE") if BIO else ("TITLE",)))
                      for i in range(len(labels))]
                best = max(range(len(tl)), key=tl.__getitem__)
                if tl[best] > 0.05:
                    i = j = best
                    while i > 0 and tl[i - 1] > tl[best] / 2 and labels[i - 1] == "O":
                        i -= 1
                    while j + 1 < len(tl) and tl[j + 1] > tl[best] / 2 and labels[j + 1] == "O":
                        j += 1
                    for q in range(i, j + 1):
                        labels[q] = "TITLE"
            tag_secs += time.perf_counter() - t0
            tag_lines += 1
            title, sub = decode(r, labels)
            want_t, want_s = r["want_title"], r["want_sub"]
            crf_t, crf_ts = title == want_t, title == want_t and sub == want_s
            rule_t = r["rule_title"] == want_t
            rule_ts = rule_t and r["rule_sub"] == want_s
            d = doubtful(r)
            hyb_t, hyb_ts = (crf_t, crf_ts) if d else (rule_t, rule_ts)
            conf = prob > 0.9 and (title != r["rule_title"])
            hyb2_t, hyb2_ts = (crf_t, crf_ts) if conf else (rule_t, rule_ts)
            for name, v in (("n", 1), ("crf_t", crf_t), ("crf_ts", crf_ts), ("rule_t", rule_t), ("rule_ts", rule_ts),
                            ("hyb_t", hyb_t), ("hyb_ts", hyb_ts), ("doubtful", d), ("hyb2_t", hyb2_t),
                            ("hyb2_ts", hyb2_ts), ("conf", conf), ("crf_sub", sub == want_s),
                            ("rule_sub", r["rule_sub"] == want_s), ("doubt_rule_ok", d and rule_t),
                            ("doubt_crf_ok", d and crf_t), ("oracle_t", crf_t or rule_t),
                            ("crf_only_t", crf_t and not rule_t), ("rule_only_t", rule_t and not crf_t)):
                c[name] += int(bool(v))
            if not (crf_t and rule_t):
                examples.append(dict(fold=k, listing=r["listing"], start=r["start"][11:16], span=r["span"][:160],
                                     want=[want_t, want_s], rules=[r["rule_title"], r["rule_sub"]], crf=[title, sub],
                                     prob=round(prob, 3), doubtful=d))
        c["publishers"] = len(pubs)
        c["listings"] = len({r["listing"] for r in test})
        c["train_n"] = len(train)
        results.append(dict(c))
        for key, v in c.items():
            total[key] += v
    out = dict(folds=results, total=dict(total), train_secs_total=train_secs,
               train_tokens=sum(len(r["tokens"]) for r in RECORDS) * (FOLDS - 1),
               tag_ms_per_window=1000 * tag_secs / max(tag_lines, 1), stats=DATA["stats"],
               aligned=len(RECORDS), fold_publishers=[sorted(g) for g in groups])
    (HERE / "results.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    (HERE / "examples.json").write_text(json.dumps(examples, ensure_ascii=False, indent=1))

    def pct(a, b):
        return f"{100 * a / b:5.1f}%" if b else "  —  "
    print("fold  n   pubs | title: rules  CRF   hybrid hyb2 | title+sub: rules  CRF   hybrid hyb2 | doubtful")
    for k, c in enumerate(results + [dict(total)]):
        n = c["n"]
        print(f"{k if k < FOLDS else 'all':>4} {n:4d} {c['publishers']:3d} | {pct(c['rule_t'], n)} {pct(c['crf_t'], n)} "
              f"{pct(c['hyb_t'], n)} {pct(c['hyb2_t'], n)} | {pct(c['rule_ts'], n)} {pct(c['crf_ts'], n)} "
              f"{pct(c['hyb_ts'], n)} {pct(c['hyb2_ts'], n)} | {c['doubtful']} (rules ok {c['doubt_rule_ok']}, "
              f"crf ok {c['doubt_crf_ok']})")
    print("oracle title (either right):", pct(total["oracle_t"], total["n"]), "; CRF right where rules wrong:",
          total["crf_only_t"], "; rules right where CRF wrong:", total["rule_only_t"])
    print(f"train {train_secs:.1f}s for {FOLDS} models; tag {out['tag_ms_per_window']:.2f} ms/window")


if __name__ == "__main__":
    main()
