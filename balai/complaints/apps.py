from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "balai.complaints"

    def ready(self) -> None:
        from balai.accounts.access import hide_audit_rows_from_area
        from balai.complaints.models import audit_rows_hidden_from_area

        hide_audit_rows_from_area(audit_rows_hidden_from_area)
