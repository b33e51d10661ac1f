"""The bounds of the review app's query and path parameters.

A value outside them (a page number past any real page, an id no database column can hold)
answers 400 with an error page (app.py's validation handler), never a database error.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_PAGE = 100_000
"""No listing has that many pages; the offset it gives stays far inside any integer column."""
MAX_ROW_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds on PostgreSQL (SQLite's are wider)."""
MAX_ZONES = 6

PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
MinZones = Annotated[int, Query(ge=0, le=MAX_ZONES)]
