from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "balai.complaints"
    verbose_name = _("Aduan")

    def ready(self) -> None:
        from balai.accounts.access import hide_audit_rows_from_area
        from balai.complaints.models import audit_rows_hidden_from_area

        hide_audit_rows_from_area(audit_rows_hidden_from_area)
