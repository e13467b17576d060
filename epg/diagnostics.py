"""How many diagnostics one upload may keep: a few hundred in full, the rest counted by kind.

A 2 MB upload of junk lines would otherwise answer, and store, a diagnostic
for each of its million lines. The first :data:`MAX_DIAGNOSTICS` are kept as
they are; every further one is counted under its kind (the message with
quoted text and numbers taken out), and each kind left out becomes one
diagnostic at the first line it was seen, saying how many it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from epg.models import Diagnostic, Severity

#: Diagnostics kept in full per upload, import or response; also the most kinds counted apart.
MAX_DIAGNOSTICS = 200

_PARTICULARS = re.compile(r"“[^”]*”|«[^»]*»|'[^']*'|\"[^\"]*\"|\d+")


def kind(diagnostic: Diagnostic) -> str:
    """What a diagnostic says with its particulars (quoted text, numbers) left out."""
    return _PARTICULARS.sub("…", diagnostic.message)


class Collector:
    """Diagnostics as they come: the first ``limit`` kept, the rest counted by kind in bounded memory."""

    def __init__(self, limit: int = MAX_DIAGNOSTICS) -> None:
        self.limit = limit
        self.kept: list[Diagnostic] = []
        self._left: dict[tuple[Severity, str], tuple[Diagnostic, int]] = {}

    def add(self, diagnostic: Diagnostic) -> None:
        if len(self.kept) < self.limit:
            self.kept.append(diagnostic)
            return
        key = (diagnostic.severity, kind(diagnostic))
        if key not in self._left and len(self._left) >= self.limit:
            # Junk made to differ in every line still ends in one count.
            key = ("info", "")
            diagnostic = Diagnostic(line=diagnostic.line, severity="info", message="diagnostics of other kinds")
        first, count = self._left.get(key, (diagnostic, 0))
        self._left[key] = (first, count + 1)

    def result(self) -> list[Diagnostic]:
        return self.kept + [Diagnostic(line=first.line, severity=first.severity,
                                       message=f"{count} more like this (not listed): {first.message}")
                            for first, count in self._left.values()]


def capped(diagnostics: Iterable[Diagnostic], limit: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """``diagnostics`` with at most ``limit`` kept in full and the rest counted by kind."""
    collector = Collector(limit)
    for diagnostic in diagnostics:
        collector.add(diagnostic)
    return collector.result()
