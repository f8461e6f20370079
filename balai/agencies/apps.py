from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "balai.agencies"
    verbose_name = "OPD"
