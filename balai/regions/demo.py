"""Which villages the demo onboards: the first of each of the regency's first twenty
districts. Every domain's demo (core, letters, portal, ...) fills these."""

from balai.regions.models import District, Village

ONBOARDED = 20


def demo_villages() -> list[Village]:
    """The first village of each of the regency's first twenty districts."""
    villages = []
    for district in District.objects.in_regency().order_by("code")[:ONBOARDED]:
        first = district.villages.order_by("code").first()
        if first:
            villages.append(first)
    return villages
