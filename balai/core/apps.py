from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "balai.core"
    verbose_name = "Balai"

    def ready(self) -> None:
        from django.core.signals import got_request_exception
        from django_tasks.signals import task_finished, task_started

        from balai.core import observability
        from balai.lib.tasks import forget_waiting

        task_started.connect(forget_waiting, dispatch_uid="balai-forget-waiting")
        got_request_exception.connect(observability.count_request_exception)
        task_started.connect(observability.task_started)
        task_finished.connect(observability.task_finished)
