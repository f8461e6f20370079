import io

from balai.residents.demo import PER_VILLAGE, seed
from balai.residents.models import Resident


def test_the_demo_step_generates_residents_once_per_active_village(cast):
    seed(io.StringIO())
    villages = set(Resident.objects.values_list("village", flat=True))
    assert {cast.village_a.pk, cast.village_b.pk} <= villages
    assert cast.inactive_village.pk not in villages
    count = Resident.objects.count()
    assert count == PER_VILLAGE * len(villages)
    seed(io.StringIO())
    assert Resident.objects.count() == count
