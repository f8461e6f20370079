"""Django's own request size limit (WSGI: runserver, tests, other servers)."""


def test_an_over_limit_post_is_refused_with_the_indonesian_page(client, settings, db):
    settings.BALAI_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    response = client.post(
        "/aduan/lapor/", data=b"x" * (3 * 1024 * 1024), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    page = response.content.decode()
    assert "Permintaan terlalu besar" in page
    assert "batas 2 MB" in page


def test_a_post_under_the_limit_reaches_the_view(client, settings, db):
    settings.BALAI_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    response = client.post("/aduan/lapor/", data={"description": "x"})
    assert response.status_code != 413
