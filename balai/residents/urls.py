from django.urls import path

from balai.residents import views

app_name = "residents"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("ekspor.<fmt>", views.export, name="export"),
    path("impor/", views.import_page, name="import"),
    path("impor/contoh.<str:fmt>", views.import_template, name="import-template"),
    path("impor/<uuid:uuid>/", views.import_status, name="import-status"),
    path("impor/<uuid:uuid>/konflik/<int:index>/", views.decide_conflict, name="import-conflict"),
    path("impor/<uuid:uuid>/laporan.<str:fmt>", views.import_report, name="import-report"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<str:code>/", views.statistics, name="statistics-region"),
    path("keluarga/<uuid:uuid>/", views.family_detail, name="family"),
    path("keluarga/<uuid:uuid>/tambah/", views.add_member, name="add-member"),
    path("keluarga/<uuid:uuid>/ubah/", views.family_edit, name="family-edit"),
    path("keluarga/<uuid:uuid>/pisah/", views.family_split, name="family-split"),
    path("<uuid:uuid>/", views.resident_detail, name="detail"),
    path("<uuid:uuid>/ubah/", views.resident_edit, name="edit"),
    path("<uuid:uuid>/peristiwa/", views.record_event, name="record-event"),
    path("<uuid:uuid>/nik-berbeda/", views.accept_mismatch, name="accept-mismatch"),
    path("<uuid:uuid>/data-pribadi.xlsx", views.own_data, name="own-data"),
]
