from balai.portal import services


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


def test_the_home_shows_the_services_each_village_offers(client, cast, monkeypatch):
    monkeypatch.setattr(
        services,
        "services_by_village",
        lambda villages: {"35.08.01.2001": ["Surat Keterangan Domisili"]},
    )
    page = client.get("/").content.decode()
    assert "Surat Keterangan Domisili" in page


def test_the_home_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/")
