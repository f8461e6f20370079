from django.urls import path

from balai.letters.views import public, staff

app_name = "letters"
urlpatterns = [
    path("", public.start, name="start"),
    path("ajukan/<str:village>/", public.types, name="types"),
    path("ajukan/<str:village>/<slug:letter_type>/", public.request_letter, name="request"),
    path("lacak/", public.track_lookup, name="track-lookup"),
    path("lacak/<str:code>/", public.track, name="track"),
    path("lacak/<str:code>/perbaiki/", public.correct, name="correct"),
    path("lacak/<str:code>/unduh/", public.download, name="download"),
    path("v/<str:public_id>/", public.verify, name="verify"),
    path("saya/", public.mine, name="mine"),
    path("saya/data/", public.my_data, name="my-data"),
    path("saya/masuk/", public.pin_login, name="pin-login"),
    path("saya/ganti-pin/", public.pin_change, name="pin-change"),
    path("saya/keluar/", public.pin_logout, name="pin-logout"),
    path("staf/", staff.queue, name="staff-queue"),
    path("staf/permohonan/<uuid:uuid>/", staff.detail, name="staff-detail"),
    path("staf/permohonan/<uuid:uuid>/<str:step>/", staff.step, name="staff-step"),
    path("staf/permohonan/<uuid:uuid>/pratinjau.pdf", staff.draft, name="staff-draft"),
    path(
        "staf/permohonan/<uuid:uuid>/dokumen/<uuid:document>/kecil.jpg",
        staff.document_thumbnail,
        name="staff-document-thumb",
    ),
    path(
        "staf/permohonan/<uuid:uuid>/dokumen/<uuid:document>/",
        staff.document,
        name="staff-document",
    ),
    path("staf/surat/<str:public_id>/pdf/", staff.letter_pdf, name="staff-pdf"),
    path("staf/surat/<str:public_id>/cabut/", staff.revoke, name="staff-revoke"),
    path("staf/pengaturan/", staff.village_settings, name="staff-settings"),
    path("staf/pin/", staff.issue_pin, name="staff-pin"),
    path("staf/jenis/", staff.type_list, name="type-list"),
    path("staf/logo-kabupaten/", staff.regency_logo, name="regency-logo"),
    path("staf/jenis/baru/", staff.type_edit, name="type-new"),
    path("staf/jenis/<slug:code>/", staff.type_edit, name="type-edit"),
]
