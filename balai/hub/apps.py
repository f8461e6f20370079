from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "balai.hub"
    verbose_name = _("Katalog layanan")

    def ready(self) -> None:
        from balai.hub import signals  # noqa: F401 - keeps the catalogue and its index in step
