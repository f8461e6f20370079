from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from balai.regions.models import Village


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["core:home"]

    def location(self, item):
        return reverse(item)


class VillageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Village.objects.active().order_by("code")

    def location(self, item):
        return reverse("portal:village", args=[item.code])


SITEMAPS = {"home": HomeSitemap, "villages": VillageSitemap}
