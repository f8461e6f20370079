from django.conf import settings
from django.core.checks import Tags, Warning, register


# A deployment check (`balai check --deploy`): the demo and tests run without keys.
@register(Tags.security, deploy=True)
def cctv_keys(app_configs, **kwargs):
    if settings.BALAI_CCTV_KEYS or settings.DEBUG:
        return []
    return [
        Warning(
            "BALAI_CCTV_KEYS is not set: camera credentials are encrypted with a key "
            "derived from SECRET_KEY.",
            hint="Set BALAI_CCTV_KEYS to a Fernet key (see docs/cctv.md).",
            id="cctv.W001",
        )
    ]
