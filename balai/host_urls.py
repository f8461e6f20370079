"""URLs for a host mapped to a village: its page at `/`, everything else as usual."""

from django.urls import path

from balai.portal import views
from balai.urls import handler403, handler404, handler500
from balai.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [path("", views.village_home, name="village-home"), *site_urlpatterns]
