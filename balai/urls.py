from django.contrib import admin
from django.urls import include, path

from balai.api import api
from balai.core import views as core_views

handler404 = "balai.core.views.error_404"
handler403 = "balai.core.views.error_403"
handler500 = "balai.core.views.error_500"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("wilayah/", include("balai.regions.urls")),
    path("akun/", include("balai.accounts.urls")),
    path("admin/", admin.site.urls),
    path("penduduk/", include("balai.residents.urls")),
    path("surat/", include("balai.letters.urls")),
    path("aduan/", include("balai.complaints.urls")),
    path("open311/v2/", include("balai.complaints.open311")),
    path("cctv/", include("balai.cctv.urls")),
    path("katalog/", include("balai.hub.urls")),
    path("integrasi/", include("balai.webhooks.urls")),
    path("", include("balai.dashboards.urls")),
    path("", include("balai.opendata.urls")),
    path("", include("balai.portal.urls")),
    path("", include("balai.core.urls")),
]
