"""Which events a client hears of: its service user's area and its scopes.

A village's client hears of its village's events, a district's of its
villages', an agency's of the events that name the agency (reports it
handles, cameras it owns), the regency's (admin, command center) of all.
Events naming neither a village nor an agency (a regency-wide service) are
everyone's. Each kind needs the scope that reads its subject through the
API: a client hears nothing its tokens could not read.
"""

from django.db.models import Q

from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role, Scope
from balai.accounts.models import ApiClient, ApiToken
from balai.notifications.events import KINDS
from balai.notifications.models import Event

KIND_SCOPES = {
    "complaint": Scope.COMPLAINTS_READ,
    "letter": Scope.LETTERS_READ,
    "camera": Scope.CCTV_READ,
    "service": None,  # the catalogue's services are public
}


def client_scopes(client: ApiClient) -> set[str]:
    """The client's own scopes and those of its usable tokens."""
    scopes = set(client.scopes)
    for token_scopes in (
        ApiToken.objects.usable().filter(user=client.user_id).values_list("scopes", flat=True)
    ):
        scopes.update(token_scopes)
    return scopes


def allowed_kinds(client: ApiClient, scopes: set[str] | None = None) -> set[str]:
    scopes = client_scopes(client) if scopes is None else scopes
    return {
        kind
        for kind in KINDS
        if KIND_SCOPES[kind.split(".")[0]] is None or KIND_SCOPES[kind.split(".")[0]] in scopes
    }


def reaches(user, event: Event) -> bool:
    if not user.is_active:
        return False
    if event.village_id is None and event.agency_id is None:
        return True
    if user.role in REGENCY_ROLES:
        return True
    if user.role in VILLAGE_ROLES:
        return event.village_id is not None and event.village_id == user.village_id
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return event.village_id is not None and event.village_id.startswith(f"{user.district_id}.")
    if user.role == Role.AGENCY_STAFF:
        return event.agency_id is not None and event.agency_id == user.agency_id
    return False


def reach_filter(user) -> Q:
    """`reaches` as a filter on Event, for the polling feed."""
    public = Q(village__isnull=True, agency__isnull=True)
    if not user.is_active:
        return Q(pk__in=[])
    if user.role in REGENCY_ROLES:
        return Q()
    if user.role in VILLAGE_ROLES and user.village_id:
        return public | Q(village_id=user.village_id)
    if user.role == Role.DISTRICT_STAFF and user.district_id:
        return public | Q(village__district_id=user.district_id)
    if user.role == Role.AGENCY_STAFF and user.agency_id:
        return public | Q(agency_id=user.agency_id)
    return public
