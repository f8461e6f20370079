from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "balai.notifications"
    verbose_name = "Notifikasi"
