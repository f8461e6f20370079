"""Who may do what with the registry (the village scope itself lives in accounts.access)."""

from balai.accounts.choices import VILLAGE_ROLES, Role

# Agency staff and the command center never see residents.
READERS = (*VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.REGENCY_ADMIN)
WRITERS = tuple(VILLAGE_ROLES)
EXPORTERS = (*VILLAGE_ROLES, Role.REGENCY_ADMIN)
