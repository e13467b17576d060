"""Split the real corpus once, at random and by publisher: ``python -m bench.corpus_split``.

New listings are gathered in ``tests/data/corpus/pool/`` (the listing, its
``.source.json`` and its ``.expected.json``). This moves each into ``dev/``
or ``holdout/``: a publisher seen before keeps its side (``split.json``
remembers every publisher's), and a new publisher is drawn at random with
probability :data:`HOLDOUT_SHARE` of going to ``holdout/``, so a
publisher's pages never sit on both sides. Run it after adding listings;
it never moves a listing that is already split.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
HOLDOUT_SHARE = 0.4
SEED = 20261203


def listing_files(folder: Path, name: str) -> list[Path]:
    """The listing ``name``'s files in ``folder``: its text or HTML, source and expected output."""
    return sorted(p for p in folder.glob(f"{name}.*") if p.name.split(".", 1)[0] == name)


def split(corpus: Path = CORPUS) -> dict[str, str]:
    pool = corpus / "pool"
    sides_file = corpus / "split.json"
    sides: dict[str, str] = json.loads(sides_file.read_text(encoding="utf-8")) if sides_file.exists() else {}
    names = sorted(p.name.removesuffix(".source.json") for p in pool.glob("*.source.json"))
    by_publisher: dict[str, list[str]] = {}
    for name in names:
        source = json.loads((pool / f"{name}.source.json").read_text(encoding="utf-8"))
        by_publisher.setdefault(source["publisher"].lower(), []).append(name)
    chance = random.Random(SEED + len(sides))
    for publisher in sorted(by_publisher):
        if publisher not in sides:
            sides[publisher] = "holdout" if chance.random() < HOLDOUT_SHARE else "dev"
        target = corpus / sides[publisher]
        target.mkdir(exist_ok=True)
        for name in by_publisher[publisher]:
            for path in listing_files(pool, name):
                path.rename(target / path.name)
    sides_file.write_text(json.dumps(dict(sorted(sides.items())), indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    return sides


def main() -> int:
    sides = split()
    for side in ("dev", "holdout"):
        publishers = sum(1 for s in sides.values() if s == side)
        listings = len(list((CORPUS / side).glob("*.source.json")))
        print(f"{side}: {listings} listings from {publishers} publishers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
