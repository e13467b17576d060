"""Classify CRF and rules title errors from docs/experiments/crf-titles/examples.json (written by train.py)."""
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent  # outputs are written beside the scripts


def kind(got, want, span):
    if not got:
        return "no title"
    if got == want:
        return "right"
    if want in got:
        return "too long (contains the title)"
    if got in want:
        return "too short (part of the title)"
    if got.casefold() == want.casefold():
        return "case"
    return "elsewhere (other words)"


ex = json.load(open(HERE / "examples.json"))
for who, i in (("crf", 0), ("rules", 0)):
    c = Counter(kind(e[who][0], e["want"][0], e["span"]) for e in ex)
    print(who, dict(c))
by_lang = Counter()
for e in ex:
    if e["crf"][0] != e["want"][0]:
        by_lang[e["listing"].split("-")[0]] += 1
print("crf title errors by language", by_lang.most_common())
