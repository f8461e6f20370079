from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RegionsConfig(AppConfig):
    name = "balai.regions"
    verbose_name = pgettext_lazy("admin section", "Wilayah")

    def ready(self) -> None:
        # Working days count the regency's own holidays; lib knows no app, so
        # regions hands them over.
        from balai.lib import workdays
        from balai.regions.models import local_holidays

        workdays.read_local_holidays_from(local_holidays)
