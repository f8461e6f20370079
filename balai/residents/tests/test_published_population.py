"""The published population figures are suppressed once per registry state and
stored (PublishedPopulation): a page reads its region's row, a registry change
queues their publication, and the next reader of a changed registry never gets
the old figures."""

import datetime as dt

import pytest
from django.core.cache import cache

from balai.residents import actions, stats
from balai.residents.models import PublishedPopulation, Resident

pytestmark = pytest.mark.django_db


def test_figures_are_suppressed_once_per_state_and_read_back(registry, monkeypatch):
    code = registry.village_a.code
    first = stats.population(code)
    assert PublishedPopulation.objects.filter(region=code).count() == 1
    assert PublishedPopulation.objects.filter(region="35.08").count() == 1

    def refused(*args, **kwargs):
        raise AssertionError("suppressed again for an unchanged registry")

    monkeypatch.setattr(stats, "suppress", refused)
    cache.clear()  # no cache in between: the stored rows are read
    assert stats.population(code) == first
    assert stats.published_counts() == stats.published_counts()  # the whole regency too

    monkeypatch.undo()
    resident = Resident.objects.filter(village=registry.village_a, status=1).first()
    actions.record_event(resident, "death", dt.date(2026, 3, 1))
    after = stats.population(code)
    assert after["total"] == first["total"] - 1  # 30 living residents: shown, not hidden


def test_the_whole_regency_and_one_region_read_the_same_figures(registry):
    values, hidden = stats.published_counts()
    for code in ("35.08", registry.village_a.district_id, registry.village_b.code):
        mine = stats.published_counts(region=code)
        assert mine == (
            {c: n for c, n in values.items() if c[0] == code},
            {c for c in hidden if c[0] == code},
        )


def test_onboarding_a_village_publishes_its_figures(registry):
    from balai.residents.models import PopulationCount

    inactive = registry.inactive_village
    PopulationCount.objects.bulk_create(
        PopulationCount(village=inactive, dimension="sex", key=k, count=n)
        for k, n in (("1", 20), ("2", 22))
    )
    before = stats.population("35.08")["total"]
    inactive.is_active = True
    inactive.save(update_fields=["is_active"])
    assert stats.population("35.08")["total"] == before + 42
    assert stats.population(inactive.code)["total"] == 42


def test_a_registry_change_queues_the_publication(
    registry, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from balai.residents.tasks import publish_population

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    resident = Resident.objects.filter(village=registry.village_b, status=1).first()
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_event(resident, "move_out", dt.date(2026, 3, 1))
    queued = DBTaskResult.objects.filter(task_path=publish_population.module_path)
    assert queued.count() == 1
    assert not PublishedPopulation.objects.exists()
    publish_population.call()  # what the worker runs
    assert PublishedPopulation.objects.filter(region=registry.village_b.code).exists()
    stored = PublishedPopulation.objects.count()
    stats.population(registry.village_b.code)  # the page finds it published
    assert PublishedPopulation.objects.count() == stored
