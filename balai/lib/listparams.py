"""Bounded query parameters for every API list (django-ninja query schemas).

Each list endpoint takes one of these (or a subclass adding its filters), so
no list parameter reaches the database unbounded: an offset past 2**63 once
overflowed the database's integer and was a server error. balai.api turns a
parameter outside its bounds into a 400 problem document.
"""

from typing import Annotated

from ninja import Field, Schema

MAX_LIMIT = 200
MAX_OFFSET = 100_000  # deeper than this, filters find things faster than paging
MAX_PAGE = 10_000
MAX_TEXT = 200  # a filter's text (a code, a name, a status)

Text = Annotated[str, Field(max_length=MAX_TEXT)]


class LimitOffset(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PageNumber(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=100)
