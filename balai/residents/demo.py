"""Demo residents: a few hundred synthetic residents in each onboarded demo village."""

from balai.regions.models import Village
from balai.residents.actions import import_residents
from balai.residents.generate import Generator, as_sheet
from balai.residents.models import Family, Resident

PER_VILLAGE = 200


def seed(stdout) -> None:
    """Idempotent: a village that already has residents is left alone."""
    villages = list(Village.objects.active().order_by("code"))
    taken = set(Resident.objects.values_list("nik", flat=True))
    taken |= set(Family.objects.values_list("no_kk", flat=True))
    made = 0
    for i, village in enumerate(villages):
        if Resident.objects.filter(village=village).exists():
            continue
        people = Generator(seed=1000 + i, taken=taken).residents(village.code, PER_VILLAGE)
        result = import_residents(None, village, sheets=[as_sheet(people, PER_VILLAGE)])
        made += result.created
    stdout.write(f"{made} demo residents generated in {len(villages)} villages")
