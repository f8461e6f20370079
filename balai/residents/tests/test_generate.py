from django.core.management import call_command

from balai.residents.models import Family, Resident
from balai.residents.nik import is_temporary_nik, nik_errors, nik_mismatches


def test_generated_residents_have_valid_niks_matching_their_data(cast, capsys):
    call_command(
        "generate_residents", "--village", cast.village_a.code, "--count", "200", "--seed", "3"
    )
    residents = Resident.objects.filter(village=cast.village_a)
    assert residents.count() == 200
    assert Family.objects.filter(village=cast.village_a).count() > 30
    for r in residents:
        assert nik_errors(r.nik) == []
        assert not is_temporary_nik(r.nik) and r.nik.startswith("350801")
        assert nik_mismatches(r.nik, r.birth_date, r.sex) == []
    heads = residents.filter(relationship=1).count()
    assert heads == Family.objects.filter(village=cast.village_a).count()


def test_generating_again_adds_more_without_collisions(cast):
    call_command("generate_residents", "--village", cast.village_a.code, "--count", "50")
    call_command("generate_residents", "--village", cast.village_a.code, "--count", "50")
    assert Resident.objects.count() == 100
