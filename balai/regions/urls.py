from django.urls import path

from balai.regions import views

app_name = "regions"

urlpatterns = [
    path("<str:code>/batas-desa.geojson", views.village_boundaries, name="village-boundaries"),
]
