from django.urls import path

from balai.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.index, name="index"),
    path("klien/", views.create_client, name="create-client"),
    path("langganan/", views.create_subscription, name="create-subscription"),
    path("langganan/<int:pk>/", views.subscription, name="subscription"),
    path(
        "langganan/<int:pk>/<str:verb>/",
        views.subscription_action,
        name="subscription-action",
    ),
    path("pengiriman/<int:pk>/ulang/", views.replay, name="replay"),
    path("panggilan/", views.calls, name="calls"),
]
