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
