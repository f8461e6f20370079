from django.urls import path

from balai.core import views
from balai.portal import views as portal_views

app_name = "core"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("staf/", views.staff_home, name="staff-home"),
]
