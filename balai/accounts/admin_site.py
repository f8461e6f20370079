"""The Django admin, for regency admins only.

Regency admins (staff, past the TOTP step the middleware enforces) are the
only users of /admin/; anyone else, even with is_staff set by mistake, is
refused. Sign-in goes through Balai's own throttled login, never the admin's.
Model admins of village-owned data extend `ScopedModelAdmin` so even the
admin's querysets pass through `for_user`.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from balai.accounts.choices import Role


class BalaiAdminSite(admin.AdminSite):
    site_header = "Balai"
    site_title = "Balai"

    def has_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and user.role == Role.REGENCY_ADMIN
            and user.is_verified()
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_other_staff(request, *args, **kwargs):
            # Signed in, but not a regency admin: the admin is not theirs.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return refuse_other_staff

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect(f"{reverse('accounts:login')}?{query}")


class BalaiAdminConfig(AdminConfig):
    default_site = "balai.accounts.admin_site.BalaiAdminSite"


def _audit(action, obj, request, **detail):
    # Imported here: this module is loaded (by BalaiAdminConfig) before models are.
    from balai.accounts import audit

    audit.record(action, obj, user=request.user, detail={"repr": str(obj)[:200], **detail})


class AuditedModelAdmin(admin.ModelAdmin):
    """Every add, change and delete through the admin also goes to the audit log.

    Hooks the admin's own change logging, which runs inside the save's
    transaction (and before a deletion), so no write escapes it.
    """

    def log_addition(self, request, obj, message):
        _audit("admin_added", obj, request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        _audit("admin_changed", obj, request, changes=message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            _audit("admin_deleted", obj, request)
        return super().log_deletions(request, queryset)


class ScopedModelAdmin(AuditedModelAdmin):
    """A model admin whose rows are what `for_user` lets the signed-in user see."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
