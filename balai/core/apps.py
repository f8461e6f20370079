from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "balai.core"
    verbose_name = "Balai"

    def ready(self) -> None:
        from django_tasks.signals import task_started

        from balai.lib.tasks import forget_waiting

        task_started.connect(forget_waiting, dispatch_uid="balai-forget-waiting")
