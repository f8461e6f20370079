"""The registry's resident form counts a NIK's digits as the letter form does."""

from balai.residents.forms import ResidentForm


def test_the_registry_form_says_how_many_digits_a_nik_had(cast):
    form = ResidentForm({"nik": "350801420761000", "name": "Siti"}, village=cast.village_a)
    assert form.errors["nik"] == ["NIK terdiri dari 16 angka; Anda mengetik 15."]
    form = ResidentForm({"nik": "3508 0142 0761 0001", "name": "Siti"}, village=cast.village_a)
    form.is_valid()
    assert "nik" not in form.errors or "16 angka" not in form.errors["nik"][0]
