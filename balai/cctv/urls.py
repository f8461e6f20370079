from django.urls import path

from balai.cctv import views

app_name = "cctv"
urlpatterns = [
    path("", views.board, name="board"),
    path("papan.html", views.board_fragment, name="board-fragment"),
    path("kamera/", views.camera_list, name="cameras"),
    path("kamera/baru/", views.camera_form, name="camera-new"),
    path("kamera/<uuid:public_id>/", views.camera_detail, name="camera"),
    path("kamera/<uuid:public_id>/ubah/", views.camera_form, name="camera-edit"),
    path("kamera/<uuid:public_id>/gambar/", views.snapshot_request, name="snapshot-request"),
    path("gambar/<str:token>/", views.snapshot, name="snapshot"),
    path("situs/baru/", views.site_form, name="site-new"),
    path("pemeliharaan/", views.maintenance, name="maintenance"),
    path("pemeliharaan/<int:pk>/batal/", views.maintenance_cancel, name="maintenance-cancel"),
    path("impor/", views.import_page, name="import"),
    path("ekspor.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("ekspor.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("desa/<str:code>/", views.village_cameras, name="village"),
]
