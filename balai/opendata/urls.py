from django.urls import path

from balai.opendata import views

app_name = "opendata"
urlpatterns = [
    path("data/", views.dataset_list, name="list"),
    path("data/<slug:name>/", views.dataset_detail, name="detail"),
    path("data/<slug:name>.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("data/<slug:name>.json", views.download, {"fmt": "json"}, name="json"),
    path("catalog.ttl", views.catalogue, {"fmt": "ttl"}, name="catalog-ttl"),
    path("catalog.jsonld", views.catalogue, {"fmt": "jsonld"}, name="catalog-jsonld"),
    path("api/3/action/<str:name>", views.action, name="action"),
    # CKAN answers unversioned too, and ckanapi calls that address.
    path("api/action/<str:name>", views.action),
]
