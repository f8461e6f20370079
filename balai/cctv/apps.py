from django.apps import AppConfig


class CctvConfig(AppConfig):
    name = "balai.cctv"
    verbose_name = "CCTV"

    def ready(self) -> None:
        from balai.cctv import checks  # noqa: F401 - registers the system checks

    def health(self) -> dict:
        """The last probe round, for /readyz (balai.core.views)."""
        from balai.cctv.health import summary

        return summary()
