"""The error family shared by every layer.

Each error carries a message for the person using Newsdesk (what went wrong and
what to do) and an HTTP status. Errors are turned into messages only at the edges
(CLI, web UI, HTTP).
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error a user can cause or fix."""

    status: int = 400

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def user_message(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InvalidInput(NewsdeskError):
    """A question, file or record that cannot be used as given."""

    status = 400


class TooLarge(InvalidInput):
    """An upload or request over a configured size or count."""

    status = 413


class NotFound(NewsdeskError):
    """An id or name (a story, a followed source) that nothing in the index has."""

    status = 404


class IndexMismatch(NewsdeskError):
    """The index on disk was built differently (e.g. with another embedding model)."""

    status = 409


class Unavailable(NewsdeskError):
    """A model, store or server Newsdesk needs is missing or down."""

    status = 503
