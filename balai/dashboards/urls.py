from django.urls import path

from balai.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dasbor/", views.staff_home, name="staff-home"),
    path("dasbor/<str:code>/", views.staff, name="staff"),
    path("dasbor/<str:code>/ekspor/<slug:slug>.<str:fmt>", views.staff_export, name="staff-export"),
    path("dasbor/<str:code>/rincian/<slug:kind>/<slug:measure>/", views.rows, name="list"),
    path("angka/<str:code>/", views.public, name="public"),
    path(
        "angka/<str:code>/ekspor/<slug:slug>.<str:fmt>", views.public_export, name="public-export"
    ),
]
