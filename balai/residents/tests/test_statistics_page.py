from django.urls import reverse


def test_statistics_pages_are_public_with_a_pyramid(registry, client):
    for url in [
        reverse("residents:statistics"),
        reverse("residents:statistics-region", args=[registry.village_a.district_id]),
        reverse("residents:statistics-region", args=[registry.village_a.code]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<svg" in body and "Piramida penduduk" in body and "\u2013" in body


def test_inactive_and_foreign_villages_have_no_statistics(registry, client):
    for code in [registry.inactive_village.code, registry.foreign_village.code, "35.09"]:
        response = client.get(reverse("residents:statistics-region", args=[code]))
        assert response.status_code == 404


def _one_village_counts(village, rows):
    from balai.residents.models import PopulationCount

    PopulationCount.objects.filter(village=village).delete()
    PopulationCount.objects.bulk_create(
        PopulationCount(village=village, dimension=d, key=k, count=n) for d, k, n in rows
    )


def test_hidden_small_counts_cannot_be_worked_out_from_the_shown_ones(cast):
    """Total 102, Islam 99: a hidden Kristen count would be 102 - 99 = 3; an age group's
    hidden 2 men would be its count minus its women, or the men's total minus the rest."""
    import time_machine

    from balai.residents import stats

    _one_village_counts(
        cast.village_a,
        [
            ("sex", "1", 52),
            ("sex", "2", 50),
            ("religion", "1", 99),
            ("religion", "2", 3),
            ("birth_year", "1940-1", 2),
            ("birth_year", "1940-2", 10),
            ("birth_year", "2000-1", 50),
            ("birth_year", "2000-2", 40),
        ],
    )
    with time_machine.travel("2026-11-28 09:00 +07:00", tick=False):
        data = stats.population(cast.village_a.code)
    assert data["total"] == 102
    religion = {i["label"]: i["count"] for i in data["religion"]}
    assert religion["Kristen"] is None
    assert religion["Islam"] is None  # else 102 - 99 tells the hidden 3
    old = next(g for g in data["age_groups"] if g["label"] == "75+")
    assert old["male"] is None
    assert old["count"] is None or old["female"] is None  # else count - women tells the men
    for column, known in (("male", 52), ("female", 50), ("count", 102)):
        hidden = [g for g in data["age_groups"] if g[column] is None]
        shown = sum(g[column] for g in data["age_groups"] if g[column] is not None)
        # One hidden cell would be the column's known total minus the shown ones.
        assert len(hidden) != 1, (column, known - shown)
