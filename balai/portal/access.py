"""Who may edit a village's public face: its own staff (the village roles)."""

from balai.accounts.access import get_for_user_or_404, require_role
from balai.portal.models import EDITORS, VillageProfile
from balai.regions.models import Village


def staff_profile_or_404(user, code: str) -> VillageProfile:
    """The profile of village `code` for one of its staff: 403 for other roles, 404 for others'.

    A village's profile row is made the first time its own staff open it.
    """
    require_role(user, *EDITORS)
    if code == user.village_id and Village.objects.in_regency().filter(code=code).exists():
        VillageProfile.objects.get_or_create(village_id=code)
    return get_for_user_or_404(
        VillageProfile.objects.select_related("village__district"), user, village_id=code
    )
