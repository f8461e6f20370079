"""`balai simulate-cameras`: the demo's simulated cameras on loopback, until Ctrl-C."""

from django.core.management.base import BaseCommand, CommandParser

from balai.cctv import simulator


class Command(BaseCommand):
    help = "Menjalankan kamera tiruan di loopback (127.0.0.1) untuk demo CCTV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-port",
            type=int,
            default=simulator.DEFAULT_BASE_PORT,
            help="Port HTTP (snapshot dan ONVIF); +1 diam, +2 menolak, +3 sampah.",
        )

    def handle(self, *args: object, base_port: int, **options: object) -> None:
        simulator.main(["--base-port", str(base_port)])
