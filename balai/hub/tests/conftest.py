import io

import pytest
from django.core.cache import cache


@pytest.fixture
def catalogue(cast):
    """The demo's catalogue: every agency, the complaint categories, the letter types
    (loaded by the letters migration) and the agencies' own services."""
    from balai.complaints.demo import seed_categories
    from balai.core.demo import seed_agencies
    from balai.hub import demo, search

    cache.clear()
    search.forget_synonyms()  # kept in the process; the database is new
    seed_agencies()
    seed_categories()
    demo.seed(io.StringIO())
    return cast
