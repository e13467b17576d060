"""One exception hierarchy for the whole domain.

The HTTP layer maps these to status codes in one place, the CLI to exit
codes; every error names the field or line at fault so an operator can act
on it without reading a stack trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from epg.models import Diagnostic


class EpgError(Exception):
    """Base of every error epg raises on purpose."""

    #: Short machine-readable kind, used as the problem ``type`` suffix over HTTP.
    kind = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled whole (a worker process raises it for the server to answer): the default would call the
        # class with ``args`` alone and lose ``field``, ``diagnostics`` and the rest.
        return _restore, (type(self), self.args, self.__dict__)


def _restore(kind: type[EpgError], args: tuple[object, ...], state: dict[str, object]) -> EpgError:
    error = kind.__new__(kind, *args)
    error.__dict__.update(state)
    return error


class ValidationError(EpgError):
    """A value given by the caller is malformed (a date, a zone, an id)."""

    kind = "invalid"


class ParseError(EpgError):
    """Schedule text from which no programme could be read.

    ``diagnostics`` carries the per-line findings, each with its line number.
    """

    kind = "unparseable"

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])


class Rejected(ParseError):
    """Schedule text that was read but fails the channel's checks before publishing."""

    kind = "rejected"


class UnknownChannels(ValidationError):
    """A document naming channels epg does not know; ``names`` lists them as printed."""

    kind = "unknown-channels"

    def __init__(self, message: str, names: Sequence[str], *, field: str | None = "channel") -> None:
        super().__init__(message, field=field)
        self.names = list(names)


class NotText(EpgError):
    """An upload that is not text at all (an image, an archive, random bytes)."""

    kind = "not-text"


class DocumentRefused(NotText):
    """A document epg reads (XLSX, ODS, DOCX, PDF) that cannot or may not be read: encrypted, with macros,
    damaged, over the unpacking bounds, or a scan with no text. The message names the problem."""

    kind = "document-refused"


class NotFound(EpgError):
    """The channel, day or revision asked for does not exist."""

    kind = "not-found"


class AlreadyExists(EpgError):
    """Creating something whose id is taken."""

    kind = "exists"


class AuthError(EpgError):
    """No token, or a token that is unknown or revoked."""

    kind = "unauthorized"


class Forbidden(EpgError):
    """A valid token that may not write to this channel."""

    kind = "forbidden"


class Conflict(EpgError):
    """Someone else published in between (optimistic concurrency)."""

    kind = "conflict"


class TooLarge(EpgError):
    """An upload over the size limit."""

    kind = "too-large"


class StoreError(EpgError):
    """The database failed; nothing was changed."""

    kind = "store"
