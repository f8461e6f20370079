from django.contrib.sitemaps.views import sitemap
from django.urls import path

from balai.portal import views
from balai.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("desa/<str:code>/", views.village_page, name="village"),
    path("desa/<str:code>/sematan/", views.widget, name="widget"),
    path(
        "desa/<str:code>/pengumuman/<str:token>/foto",
        views.announcement_image,
        name="announcement-image",
    ),
    path("staf/desa/<str:code>/profil/", views.staff_profile, name="staff-profile"),
    path("staf/desa/<str:code>/pengumuman/", views.staff_announcements, name="staff-announcements"),
    path(
        "staf/desa/<str:code>/pengumuman/baru/",
        views.staff_announcement_new,
        name="staff-announcement-new",
    ),
    path(
        "staf/desa/<str:code>/pengumuman/<str:token>/",
        views.staff_announcement_edit,
        name="staff-announcement-edit",
    ),
    path(
        "staf/desa/<str:code>/pengumuman/<str:token>/hapus/",
        views.staff_announcement_delete,
        name="staff-announcement-delete",
    ),
    path("staf/desa/<str:code>/sematkan/", views.staff_embed, name="staff-embed"),
    path(
        "staf/desa/<str:code>/sematkan/<str:token>/hapus/",
        views.staff_origin_remove,
        name="staff-origin-remove",
    ),
    path("staf/portal/host/", views.staff_hosts, name="staff-hosts"),
    path("staf/portal/host/<str:host>/hapus/", views.staff_host_remove, name="staff-host-remove"),
]
