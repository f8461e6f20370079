import re


def test_the_village_page_has_title_description_and_open_graph(client, cast):
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "<title>Desa Tempursari · Kecamatan Tempursari · Kabupaten Lumajang</title>" in page
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert "Desa Tempursari" in description and "Tempursari" in description
    assert '<meta property="og:title" content="Desa Tempursari · Balai">' in page
    assert f'<meta property="og:description" content="{description}">' in page
    assert '<meta property="og:url" content="http://testserver/desa/35.08.01.2001/">' in page


def test_the_home_has_open_graph_tags(client, cast):
    page = client.get("/").content.decode()
    assert '<meta property="og:title" content="Kabupaten Lumajang">' in page


def test_the_sitemap_lists_the_home_and_onboarded_villages(client, cast):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/</loc>" in xml
    assert "<loc>http://testserver/desa/35.08.01.2001/</loc>" in xml
    assert "<loc>http://testserver/desa/35.08.02.2001/</loc>" in xml
    assert "35.08.01.2002" not in xml and "35.09.01.2001" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_staff_pages_out(client, cast):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /staf/" in text and "Disallow: /akun/" in text
    assert "Disallow: /surat/lacak/" in text  # tracking pages carry codes
    assert "Sitemap: http://testserver/sitemap.xml" in text
