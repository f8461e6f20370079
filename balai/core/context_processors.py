from django.conf import settings

from balai.regions.codes import regency_names


def balai(request):
    return {
        "regency_code": settings.BALAI_REGENCY,
        "regency_name": regency_names()[settings.BALAI_REGENCY],
    }
