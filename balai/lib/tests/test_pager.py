"""The one pager: pages without counting, totals when asked, links that keep filters."""

import pytest
from django.http import QueryDict

from balai.lib import pager
from balai.regions.models import Province


@pytest.fixture
def provinces(db):
    Province.objects.bulk_create(Province(code=f"{n:02d}", name=f"P{n}") for n in range(10, 35))
    return Province.objects.order_by("code")


def test_a_page_knows_a_next_one_follows_without_counting(provinces, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = pager.paginate(provinces, QueryDict("hal=2&q=x"), 10)
    assert [p.code for p in page] == [f"{n}" for n in range(20, 30)]
    assert page.has_next and page.has_previous and page.number == 2
    assert page.total is None and page.num_pages is None
    assert page.query == "q=x"
    last = pager.paginate(provinces, QueryDict("hal=3"), 10)
    assert len(last) == 5 and not last.has_next


def test_a_counted_list_has_its_total_and_stops_at_its_last_page(provinces):
    page = pager.paginate(provinces, QueryDict("hal=99"), 10, count=True)
    assert (page.total, page.num_pages, page.number, len(page)) == (25, 3, 3, 5)


@pytest.mark.parametrize("raw", ["", "0", "-3", "abc", "1.5"])
def test_anything_but_a_positive_number_is_the_first_page(provinces, raw):
    assert pager.paginate(provinces, QueryDict(f"hal={raw}"), 10).number == 1


def test_pages_stop_at_the_deepest_page(provinces):
    assert pager.paginate(provinces, QueryDict("hal=100000"), 10).number == pager.MAX_PAGE
