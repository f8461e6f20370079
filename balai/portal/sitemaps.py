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


class LetterServiceSitemap(Sitemap):
    """Each village's request page for each letter it offers online."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        from balai.letters.models import VillageLetterType

        return (
            VillageLetterType.objects.filter(
                enabled=True,
                letter_type__is_active=True,
                letter_type__online=True,
                village__in=Village.objects.active(),
            )
            .order_by("village_id", "letter_type__order", "letter_type__code")
            .values_list("village_id", "letter_type__code")
        )

    def location(self, item):
        village, letter_type = item
        return reverse("letters:request", kwargs={"village": village, "letter_type": letter_type})


SITEMAPS = {"home": HomeSitemap, "villages": VillageSitemap, "letters": LetterServiceSitemap}
