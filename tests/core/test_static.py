import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_collectstatic_manifest_renders_pages(client, tmp_path, manager_user):
    """Every {% static %} path used by the pages exists once collected for production."""
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)

        login_page = client.get(reverse("login"))
        client.force_login(manager_user)
        home_page = client.get(reverse("home"))

    assert login_page.status_code == 200
    assert home_page.status_code == 200
    body = login_page.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min." in body
    assert "/static/vendor/htmx/htmx.min." in body
    assert (tmp_path / "staticfiles.json").exists()


def test_vendored_files_carry_licences():
    from django.conf import settings

    vendor = settings.BASE_DIR / "static" / "vendor"

    assert (vendor / "bootstrap" / "LICENSE").exists()
    assert (vendor / "htmx" / "LICENSE").exists()
