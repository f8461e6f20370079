def test_the_village_page_speaks_english_on_request(client, cast):
    page = client.get("/desa/35.08.01.2001/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Letter services" in page and "Announcements" in page


def test_the_english_and_indonesian_pages_are_cached_apart(client, cast):
    client.get("/desa/35.08.01.2001/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/desa/35.08.01.2001/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Layanan surat" in page and "Letter services" not in page
