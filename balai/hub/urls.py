from django.urls import path

from balai.hub import views

app_name = "hub"
urlpatterns = [
    path("", views.index, name="index"),
    path("cari/", views.search_page, name="search"),
    path("layanan/<slug:slug>/", views.service, name="service"),
    path("tema/<slug:slug>/", views.theme, name="theme"),
    path("opd/<slug:slug>/", views.agency, name="agency"),
    path("staf/", views.staff_list, name="staff-list"),
    path("staf/baru/", views.staff_edit, name="staff-new"),
    path("staf/<slug:slug>/", views.staff_edit, name="staff-edit"),
]
