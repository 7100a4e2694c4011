"""Publication dates as ``YYYY-MM-DD``, from whatever form a file gives them."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from typing import Any

log = logging.getLogger(__name__)


def normalise_date(value: Any) -> str | None:
    """Any parseable date or datetime as ``YYYY-MM-DD``; None if it cannot be read.

    A bad date is not worth losing an article over, so this never raises.
    Datetimes keep their own calendar day (no time-zone conversion). Numbers are
    Unix timestamps (seconds, or milliseconds when very large). Strings need a
    year, month and day: "March 2024" gives None rather than an invented day.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for parse in (dt.datetime.fromisoformat, email.utils.parsedate_to_datetime, _parse_loose):
        try:
            parsed = parse(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if parsed is not None:
            return parsed.date().isoformat()
    log.debug("unparseable date %r", value)
    return None


def _parse_loose(text: str) -> dt.datetime | None:
    """dateutil, accepted only when the string itself names year, month and day.

    dateutil fills missing parts from a default; parsing with two different
    defaults shows whether any part was filled in.
    """
    try:
        from dateutil import parser  # a dependency of trafilatura (via htmldate)
    except ImportError:  # pragma: no cover
        return None
    first = parser.parse(text, default=dt.datetime(2000, 1, 1))
    second = parser.parse(text, default=dt.datetime(2001, 2, 2))
    return first if first.date() == second.date() else None
