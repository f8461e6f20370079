def test_the_home_lists_onboarded_villages_by_district_with_links(client, cast):
    page = client.get("/").content.decode()
    assert "Kecamatan Tempursari" in page and "Kecamatan Pronojiwo" in page
    assert 'href="/desa/35.08.01.2001/"' in page and 'href="/desa/35.08.02.2001/"' in page
    assert "Pundungsari" not in page and "Jombang" not in page


def test_the_home_searches_by_village_or_district(client, cast):
    page = client.get("/", {"q": "sidomu"}).content.decode()
    assert "Desa Sidomulyo" in page and "Desa Tempursari" not in page
    page = client.get("/", {"q": "tempursari"}).content.decode()
    assert "Desa Tempursari" in page and "Desa Sidomulyo" not in page
    page = client.get("/", {"q": "tidak ada"}).content.decode()
    assert "Tidak ada desa atau kecamatan dengan nama itu." in page


def test_the_home_shows_the_services_each_village_offers(client, cast):
    from balai.letters.actions import enable_types
    from balai.letters.models import LetterType

    enable_types(cast.village_a, ["domisili", "usaha"])
    LetterType.objects.filter(code="usaha").update(is_active=False)  # retired regency-wide
    page = client.get("/").content.decode()
    village_a = page[page.index('href="/desa/35.08.01.2001/"') :]
    village_a = village_a[: village_a.index("</li>")]
    assert "Surat Keterangan Domisili" in village_a
    assert LetterType.objects.get(code="usaha").name not in page
    village_b = page[page.index('href="/desa/35.08.02.2001/"') :]
    assert "Surat Keterangan Domisili" not in village_b[: village_b.index("</li>")]


def test_the_home_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/")
