"""Which stored channel a name printed in a document means.

Documents print channels as people write them: ``Россия-1``, ``РОССИЯ 1``,
``Первый канал``, ``Perviy.ru``. One folding rule decides when two spellings
are the same name — case, ``ё``/``е``, punctuation and spacing set aside —
and everything that compares channel names (a heading over a one-channel
upload, a several-channel import, the refusal of aliases that would make a
name ambiguous) goes through it. Pure: no I/O.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models use this module to check aliases
    from epg.models import Channel

#: Most aliases one channel may have, and the longest alias (a printed heading, not a paragraph).
MAX_ALIASES = 50
MAX_ALIAS_LENGTH = 200

_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"], strict=True))


def words(text: str) -> list[str]:
    """The words of a name: lower case, ``ё`` as ``е``, anything but letters and digits a separator."""
    folded = "".join(c if c.isalnum() else " " for c in text.casefold().replace("ё", "е"))
    return folded.split()


def name_key(text: str) -> str:
    """The form two spellings of one name share: ``Россия-1``, ``РОССИЯ 1`` and ``россия1`` are all ``россия1``."""
    return "".join(words(text))


def keys_of(channel: Channel) -> set[str]:
    """Every name ``channel`` answers to, folded: its id, its name and its aliases."""
    return {key for key in map(name_key, (channel.id, channel.name, *channel.aliases)) if key}


def names_channel(heading: str, channel: Channel) -> bool:
    """Whether a heading printed above programmes (``Stasera in tv su Rai Uno``) names ``channel``.

    It does when the channel's id, name or one of its aliases appears in it as
    whole words (see :func:`words`).
    """
    text = f" {' '.join(words(heading))} "
    for name in (channel.name, channel.id, *channel.aliases):
        wanted = " ".join(words(name))
        if wanted and f" {wanted} " in text:
            return True
    return False


def matching(name: str, channels: Iterable[Channel]) -> list[Channel]:
    """The channels whose id, name or an alias equals ``name`` once folded."""
    key = name_key(name)
    return [c for c in channels if key and key in keys_of(c)]


def clash(channel: Channel, others: Iterable[Channel]) -> tuple[Channel, str] | None:
    """Another channel that an alias of ``channel`` would make a printed name ambiguous with, and that alias.

    An alias may equal no other channel's id, name or alias. (Names are not
    aliases: two channels may share a name, as they could before aliases, and
    a document printing it is refused as ambiguous when it is read.)
    """
    own = {name_key(a): a for a in channel.aliases}
    for other in others:
        if other.id == channel.id:
            continue
        for key in keys_of(other):
            if key in own:
                return other, own[key]
    return None


def checked_aliases(aliases: Sequence[str], own: Iterable[str] = ()) -> list[str]:
    """``aliases`` stripped, each once (by folded form) and none equal to ``own`` names, or a ValueError
    naming the one at fault."""
    if len(aliases) > MAX_ALIASES:
        raise ValueError(f"{len(aliases)} aliases given; a channel has at most {MAX_ALIASES}")
    kept: dict[str, str] = {name_key(name): "" for name in own}
    for alias in aliases:
        text = alias.strip()
        if len(text) > MAX_ALIAS_LENGTH:
            raise ValueError(f"the alias {text[:40]!r}… is longer than {MAX_ALIAS_LENGTH} characters")
        if not all(c.isprintable() for c in text):
            raise ValueError(f"the alias {text[:40]!r} holds control characters")
        if not name_key(text):
            raise ValueError(f"the alias {text[:40]!r} has no letter or digit to match a printed name by")
        kept.setdefault(name_key(text), text)
    return [alias for alias in kept.values() if alias]


def suggested_ids(names: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """A DNS-like channel id for each printed name (``Россия-1`` → ``rossiya-1.tv``), none of them in
    ``taken`` and no two alike (linear: each slug counts its own suffixes)."""
    used = set(taken)
    counts: dict[str, int] = {}
    out = []
    for name in names:
        latin = "".join(_LATIN.get(c, c) for c in name.casefold())
        slug = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:50].strip("-") or "channel"
        candidate = f"{slug}.tv"
        while candidate in used:
            counts[slug] = counts.get(slug, 1) + 1
            candidate = f"{slug}-{counts[slug]}.tv"
        used.add(candidate)
        out.append(candidate)
    return out


def add_command(name: str, channel_id: str, tz: str) -> str:
    """The ``epg channels add`` command that makes ``name`` a known channel."""
    return f"epg channels add {channel_id} --name {shlex.quote(name)} --tz {tz}"


def alias_command(name: str) -> str:
    """The ``epg channels alias`` command that attaches ``name`` to an existing channel (ID to fill in)."""
    return f"epg channels alias ID {shlex.quote(name)}"


def index(channels: Iterable[Channel]) -> dict[str, list[Channel]]:
    """Folded name → the channels answering to it (more than one only for names two channels share)."""
    found: dict[str, list[Channel]] = {}
    for channel in channels:
        for key in keys_of(channel):
            found.setdefault(key, []).append(channel)
    return found
