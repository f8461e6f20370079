"""API errors that carry more than a title (RFC 9457 problem documents).

An app's API raises `Problem`; the API root (balai/api.py) renders it, with
its extra members, as application/problem+json. Apps need not know the root.
"""

from typing import Any

from ninja.errors import HttpError


class Problem(HttpError):
    def __init__(self, status: int, title: str, **extra: Any) -> None:
        super().__init__(status, title)
        self.extra = extra
