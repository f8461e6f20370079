"""Who may do what with the registry (the village scope itself lives in accounts.access)."""

from django.conf import settings

from balai.accounts.choices import VILLAGE_ROLES, Role

# Agency staff and the command center never see residents.
READERS = (*VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.REGENCY_ADMIN)
WRITERS = tuple(VILLAGE_ROLES)
EXPORTERS = (*VILLAGE_ROLES, Role.REGENCY_ADMIN)


def may_see_village(user, village) -> bool:
    if user.role in VILLAGE_ROLES:
        return user.village_id == village.pk
    if user.role == Role.DISTRICT_STAFF:
        return user.district_id == village.district_id
    if user.role == Role.REGENCY_ADMIN:
        return village.regency_id == settings.BALAI_REGENCY
    return False
