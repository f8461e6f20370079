"""Changes to a village's public face: each one atomic and audited."""

from django.db import transaction

from balai.accounts import audit
from balai.portal import hosts, pages
from balai.portal.models import Announcement, EmbedOrigin, VillageHost, VillageProfile

PROFILE_FIELDS = [
    "head_name",
    "address",
    "office_hours",
    "phone",
    "whatsapp",
    "email",
    "latitude",
    "longitude",
    "about",
]
ANNOUNCEMENT_FIELDS = ["title", "body", "publish_at", "expires_at"]


def _stored(obj, fields) -> dict:
    """The values in the database (a bound ModelForm has already changed `obj`)."""
    if obj.pk is None:
        return {}
    return type(obj).objects.filter(pk=obj.pk).values(*fields).first() or {}


def _changed(before: dict, obj, fields) -> list[str]:
    return [f for f in fields if before.get(f) != getattr(obj, f)]


def save_profile(profile: VillageProfile, data: dict, *, by=None) -> VillageProfile:
    """Store the edited profile fields; the audit row names the fields that changed."""
    with transaction.atomic():
        before = _stored(profile, PROFILE_FIELDS)
        for field in PROFILE_FIELDS:
            if field in data:
                setattr(profile, field, data[field])
        profile.save()
        audit.record(
            "village_profile_updated",
            profile,
            user=by,
            village=profile.village_id,
            detail={"fields": _changed(before, profile, PROFILE_FIELDS)},
        )
    pages.forget(profile.village_id)
    return profile


def publish_announcement(village, data: dict, *, image=None, by=None) -> Announcement:
    with transaction.atomic():
        announcement = Announcement(village=village, created_by=by)
        for field in ANNOUNCEMENT_FIELDS:
            setattr(announcement, field, data.get(field))
        if image:
            announcement.image.save(image.name, image, save=False)
        announcement.save()
        audit.record(
            "announcement_created",
            announcement,
            user=by,
            detail={"title": announcement.title, "image": bool(image)},
        )
    pages.forget(village.pk)
    return announcement


def update_announcement(
    announcement: Announcement, data: dict, *, image=None, remove_image=False, by=None
) -> Announcement:
    with transaction.atomic():
        before = _stored(announcement, ANNOUNCEMENT_FIELDS)
        for field in ANNOUNCEMENT_FIELDS:
            if field in data:
                setattr(announcement, field, data[field])
        changed = _changed(before, announcement, ANNOUNCEMENT_FIELDS)
        old_image = announcement.image.name if announcement.image else ""
        if image:
            announcement.image.save(image.name, image, save=False)
            changed.append("image")
        elif remove_image and old_image:
            announcement.image = ""
            changed.append("image")
        announcement.save()
        audit.record("announcement_updated", announcement, user=by, detail={"fields": changed})
        if old_image and "image" in changed:
            storage = announcement.image.storage
            transaction.on_commit(lambda: storage.delete(old_image))
    pages.forget(announcement.village_id)
    return announcement


def delete_announcement(announcement: Announcement, *, by=None) -> None:
    with transaction.atomic():
        audit.record(
            "announcement_deleted", announcement, user=by, detail={"title": announcement.title}
        )
        image = announcement.image.name if announcement.image else ""
        storage = announcement.image.storage
        announcement.delete()
        if image:
            transaction.on_commit(lambda: storage.delete(image))
    pages.forget(announcement.village_id)


def map_host(host: str, village, *, by=None) -> VillageHost:
    """Serve `village`'s page as the home of `host` (already checked by the form)."""
    with transaction.atomic():
        mapping = VillageHost.objects.create(host=host, village=village)
        audit.record("village_host_mapped", mapping, user=by, detail={"host": host})
    transaction.on_commit(hosts.forget)
    hosts.forget()
    return mapping


def unmap_host(mapping: VillageHost, *, by=None) -> None:
    with transaction.atomic():
        audit.record("village_host_unmapped", mapping, user=by, detail={"host": mapping.host})
        mapping.delete()
    hosts.forget()


def allow_origin(village, origin: str, *, by=None) -> EmbedOrigin:
    """Let the web site at `origin` (normalised by the form) frame the village's widget."""
    with transaction.atomic():
        allowed = EmbedOrigin.objects.create(village=village, origin=origin)
        audit.record("embed_origin_added", allowed, user=by, detail={"origin": origin})
    return allowed


def remove_origin(allowed: EmbedOrigin, *, by=None) -> None:
    with transaction.atomic():
        audit.record("embed_origin_removed", allowed, user=by, detail={"origin": allowed.origin})
        allowed.delete()
