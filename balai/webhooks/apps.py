from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "balai.webhooks"
    verbose_name = _("Webhook")

    def ready(self) -> None:
        from balai.notifications import events
        from balai.webhooks.tasks import fan_out_soon

        events.on_published(fan_out_soon)
