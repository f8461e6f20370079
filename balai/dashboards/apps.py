from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "balai.dashboards"
    verbose_name = "Dasbor"
