from django.core.management.base import BaseCommand, CommandError

from balai.regions.models import Village
from balai.residents.actions import import_residents
from balai.residents.generate import Generator, as_sheet
from balai.residents.models import Family, Resident


class Command(BaseCommand):
    help = (
        "Add synthetic residents to a village: whole families with Indonesian names "
        "(Faker id_ID) and valid NIKs matching birth date, sex and district. "
        "For tests, the demo and benchmarks; never on a real registry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--village", required=True, help="village code, e.g. 35.08.01.2001")
        parser.add_argument("--count", type=int, required=True, help="number of residents")
        parser.add_argument(
            "--seed", type=int, default=0, help="random seed (same seed, same people)"
        )

    def handle(self, *args, **options):
        village = Village.objects.in_regency().filter(code=options["village"]).first()
        if village is None:
            raise CommandError(f"no village {options['village']} in this regency")
        if options["count"] < 1:
            raise CommandError("--count must be at least 1")
        district = village.code.replace(".", "")[:6]
        taken = set(Resident.objects.filter(nik__startswith=district).values_list("nik", flat=True))
        taken.update(
            Family.objects.filter(no_kk__startswith=district).values_list("no_kk", flat=True)
        )
        generator = Generator(seed=options["seed"], taken=taken)
        people = generator.residents(village.code, options["count"])
        result = import_residents(None, village, sheets=[as_sheet(people, options["count"])])
        if not result.ok:
            raise CommandError(f"generated rows were refused: {result.problems[:3]}")
        self.stdout.write(
            f"{result.created} residents created, {result.unchanged} already there "
            f"({result.families_created} families) in {village}"
        )
