from django.urls import path

from balai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("verifikasi/", views.second_factor, name="second-factor"),
    path("log-audit/", views.audit_log, name="audit-log"),
    path("token-api/", views.api_tokens, name="api-tokens"),
    path("token-api/<int:pk>/cabut/", views.revoke_api_token, name="revoke-api-token"),
    path("token-api/<int:pk>/putar/", views.rotate_api_token, name="rotate-api-token"),
]
