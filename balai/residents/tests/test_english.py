from django.urls import reverse
from django.utils import translation

from balai.residents.choices import Occupation


def test_code_lists_and_pages_have_english_labels(registry, client, login_as):
    with translation.override("en"):
        assert str(Occupation.FARMER.label) == "Farmer"
    login_as(registry.operator_a)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("residents:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Residents" in body and "30 residents" in body
