"""What "today" is for a build, and when a record counts as stale.

`check` (the stale-record warning) and the case page (the stale notice) must
agree on both, so they read them from here: SOURCE_DATE_EPOCH, when set, makes
every date-dependent output of a build reproducible.
"""

from __future__ import annotations

import datetime as dt
import os

from .check.values import date_start

STALE_YEARS = 2
STALE_DAYS = 365 * STALE_YEARS  # a record last checked longer ago than this is stale


def build_date() -> dt.date:
    """The date a build is stamped with: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def is_stale(updated: str, today: dt.date) -> bool:
    """`updated` (YYYY, YYYY-MM or YYYY-MM-DD) read at its earliest, more than STALE_DAYS before today."""
    return (today - date_start(updated)).days > STALE_DAYS
