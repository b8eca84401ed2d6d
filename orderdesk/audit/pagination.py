"""Keyset pagination over submissions, newest first, without counting the rows.

A page is found from the (created_at, id) of the row before it, so each page is one index range
scan of at most `size + 1` rows however many submissions exist. The cursor in the URL is that
pair, base64-encoded.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from orderdesk.charges.models import Submission

PAGE_SIZE = 50


class InvalidCursor(ValueError):
    """Raised when a page cursor from the URL cannot be decoded."""


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    pk: int

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        try:
            padded = value + "=" * (-len(value) % 4)
            raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
            created_at, pk = raw.split("|")
            moment = datetime.fromisoformat(created_at)
            pk = int(pk)
        except (UnicodeError, binascii.Error, ValueError) as error:
            raise InvalidCursor(value) from error
        # ids are positive 64-bit integers; a larger one would fail in the database.
        if moment.tzinfo is None or not 0 < pk < 2**63:
            raise InvalidCursor(value)
        return cls(created_at=moment, pk=pk)

    @classmethod
    def of(cls, submission: Submission) -> "Cursor":
        return cls(created_at=submission.created_at, pk=submission.pk)


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Submission]
    # Cursors of the neighbouring pages, or None at either end.
    next_cursor: str | None
    previous_cursor: str | None


def keyset_page(
    queryset: QuerySet[Submission],
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """Return the page of `queryset`, newest first, that follows `after` or precedes `before`.

    Without a cursor it is the newest page. One row beyond the page is read to learn whether
    another page exists, so no COUNT query is made.
    """
    if before is not None:
        return _page_before(queryset, before, size)

    if after is not None:
        # created_at <= t bounds the index range, and the OR drops the rows of that same
        # instant that the previous page already showed.
        queryset = queryset.filter(created_at__lte=after.created_at).filter(
            Q(created_at__lt=after.created_at) | Q(pk__lt=after.pk)
        )
    rows = list(queryset.order_by("-created_at", "-id")[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        next_cursor=Cursor.of(rows[-1]).encode() if has_next else None,
        previous_cursor=Cursor.of(rows[0]).encode() if after is not None and rows else None,
    )


def _page_before(queryset, before, size):
    queryset = queryset.filter(created_at__gte=before.created_at).filter(
        Q(created_at__gt=before.created_at) | Q(pk__gt=before.pk)
    )
    rows = list(queryset.order_by("created_at", "id")[: size + 1])
    has_previous = len(rows) > size
    rows = rows[:size]
    rows.reverse()
    return KeysetPage(
        rows=rows,
        next_cursor=Cursor.of(rows[-1]).encode() if rows else None,
        previous_cursor=Cursor.of(rows[0]).encode() if has_previous else None,
    )
