"""Every change to the camera registry: one transaction, one audit row each.

Actions check who may act themselves (PermissionDenied), so no page, import
or API call can change a camera for someone who may not. Audit rows name the
fields changed, never a credential's value.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction

from balai.accounts import audit
from balai.accounts.choices import Role
from balai.cctv import crypto
from balai.cctv.models import Camera, MaintenanceWindow, Site, can_manage, can_view_snapshots

SNAPSHOT_SALT = "balai.cctv.snapshot"
SNAPSHOT_SECONDS = 300
SECRET_FIELDS = {"username", "password", "clear_credentials"}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _owner(user, data: dict) -> dict:
    """The owner unit follows the user: an agency's staff register their agency's cameras."""
    if user.role == Role.AGENCY_STAFF:
        return {**data, "owner_agency": user.agency}
    if user.role != Role.REGENCY_ADMIN:
        return {**data, "owner_agency": None}
    return data


def _start_probing() -> None:
    from balai.cctv import tasks

    transaction.on_commit(tasks.start)


@transaction.atomic
def create_camera(user, data: dict) -> Camera:
    """`data`: the registry fields, plus "username" and "password" to encrypt."""
    _require(can_manage(user, village=data.get("village")))
    fields = {k: v for k, v in _owner(user, data).items() if k not in SECRET_FIELDS}
    camera = Camera(**fields)
    camera.credentials = crypto.encrypt(data.get("username", ""), data.get("password", ""))
    camera.full_clean()
    camera.save()
    audit.record(
        "camera_created",
        camera,
        user=user,
        detail={"credentials": camera.has_credentials, "village": camera.village_id},
    )
    _start_probing()
    return camera


@transaction.atomic
def update_camera(user, camera: Camera, data: dict) -> Camera:
    _require(can_manage(user, camera))
    data = _owner(user, data)
    changed = []
    for name, value in data.items():
        if name not in SECRET_FIELDS and getattr(camera, name) != value:
            setattr(camera, name, value)
            changed.append(name)
    username, password = data.get("username", ""), data.get("password", "")
    if data.get("clear_credentials"):
        camera.credentials = ""
        changed.append("credentials")
    elif username or password:
        camera.credentials = crypto.encrypt(username, password)
        changed.append("credentials")
    if not changed:
        return camera
    if _reaches_differently(changed):
        # A new address or login: what was known of the old one no longer holds.
        camera.fingerprint = ""
    camera.full_clean()
    camera.save()
    audit.record("camera_updated", camera, user=user, detail={"fields": sorted(changed)})
    return camera


def _reaches_differently(changed: list[str]) -> bool:
    return bool({"rtsp_url", "onvif_url", "snapshot_url", "hls_url", "credentials"} & set(changed))


@transaction.atomic
def delete_camera(user, camera: Camera) -> None:
    _require(can_manage(user, camera))
    audit.record("camera_deleted", camera, user=user, detail={"name": camera.name})
    camera.delete()


@transaction.atomic
def create_site(user, data: dict) -> Site:
    _require(can_manage(user, village=data.get("village")))
    site = Site(**data)
    site.full_clean()
    site.save()
    audit.record("camera_site_created", site, user=user, detail={"name": site.name})
    return site


@transaction.atomic
def update_site(user, site: Site, data: dict) -> Site:
    _require(can_manage(user, village=site.village) and can_manage(user, village=data["village"]))
    for name, value in data.items():
        setattr(site, name, value)
    site.full_clean()
    site.save()
    audit.record("camera_site_updated", site, user=user, detail={"fields": sorted(data)})
    return site


def _may_plan(user, data: dict) -> bool:
    camera = data.get("camera")
    if camera is not None:
        return can_manage(user, camera)
    # A whole village or site: its own staff, or the regency admin.
    return user.role != Role.AGENCY_STAFF and can_manage(user, village=data.get("village"))


@transaction.atomic
def plan_maintenance(user, data: dict) -> MaintenanceWindow:
    _require(_may_plan(user, data))
    window = MaintenanceWindow(**data)
    window.full_clean()
    window.save()
    audit.record(
        "camera_maintenance_planned",
        window,
        user=user,
        village=window.village,
        detail={"reason": window.reason},
    )
    return window


@transaction.atomic
def cancel_maintenance(user, window: MaintenanceWindow) -> None:
    _require(_may_plan(user, {"village": window.village, "camera": window.camera}))
    audit.record("camera_maintenance_cancelled", window, user=user, village=window.village)
    window.delete()


def snapshot_link(user, camera: Camera, reason: str) -> str:
    """A signed token for one look at the camera's last snapshot; the look is audited."""
    _require(can_view_snapshots(user))
    audit.record(
        "camera_snapshot_viewed", camera, user=user, detail={"reason": reason.strip()[:200]}
    )
    return signing.TimestampSigner(salt=SNAPSHOT_SALT).sign_object(
        {"c": str(camera.public_id), "u": user.pk}
    )


def snapshot_from_link(user, token: str) -> str:
    """The camera's public id, if the link is fresh and was made for `user`."""
    try:
        data = signing.TimestampSigner(salt=SNAPSHOT_SALT).unsign_object(
            token, max_age=SNAPSHOT_SECONDS
        )
    except signing.BadSignature:
        raise PermissionDenied from None
    _require(data.get("u") == user.pk)
    return data["c"]
