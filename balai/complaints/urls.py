from django.urls import path

from balai.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.public_list, name="public-list"),
    path("ekspor.csv", views.export_csv, name="export"),
    path("lapor/", views.report, name="report"),
    path("lapor/terkirim/", views.submitted, name="submitted"),
    path("lapor/serupa.json", views.similar_json, name="similar"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:key>/", views.tracked, name="tracked"),
    path("laporan/<str:public_id>/", views.public_detail, name="public-detail"),
    path("foto/<str:public_id>/", views.photo, name="photo"),
    path("peta/", views.public_map, name="map"),
    path("peta.geojson", views.map_geojson, name="map-geojson"),
    path("angka/", views.figures, name="figures"),
    path("siapa-menangani/", views.who_handles, name="who-handles"),
    path("staf/", views.queue, name="queue"),
    path("staf/<str:public_id>/", views.staff_detail, name="staff-detail"),
    path("staf/<str:public_id>/<slug:verb>/", views.staff_action, name="staff-action"),
]
