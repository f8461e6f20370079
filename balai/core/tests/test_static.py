from django.core.management import call_command


def test_collected_static_files_are_served_with_hashed_names(client, db, settings, tmp_path):
    """What `make run` does: manifest storage over collected files, served by WhiteNoise."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    page = client.get("/")
    assert page.status_code == 200
    css = next(
        part.split('"')[0] for part in page.content.decode().split('href="') if ".css" in part[:80]
    )
    assert css.startswith("/static/balai/balai.") and css != "/static/balai/balai.css"
    assert (tmp_path / "static" / css.removeprefix("/static/")).is_file()
