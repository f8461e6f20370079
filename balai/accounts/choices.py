from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_OPERATOR = "village_operator", _("Operator desa")
    VILLAGE_SECRETARY = "village_secretary", _("Sekretaris desa")
    VILLAGE_HEAD = "village_head", _("Kepala desa/lurah")
    DISTRICT_STAFF = "district_staff", _("Staf kecamatan")
    AGENCY_STAFF = "agency_staff", _("Staf OPD")
    REGENCY_ADMIN = "regency_admin", _("Admin kabupaten")
    COMMAND_CENTER = "command_center", _("Command center")


VILLAGE_ROLES = {Role.VILLAGE_OPERATOR, Role.VILLAGE_SECRETARY, Role.VILLAGE_HEAD}
REGENCY_ROLES = {Role.REGENCY_ADMIN, Role.COMMAND_CENTER}


class Unit(models.TextChoices):
    """Where a staff member works, and so whose queue is theirs (accounts.access.unit_of)."""

    AGENCY = "agency", _("OPD")
    VILLAGE = "village", _("Desa/kelurahan")
    COMMAND_CENTER = "command_center", _("Command center")


class Scope(models.TextChoices):
    """What an API token may do; each endpoint names the scope it needs."""

    RESIDENTS_READ = "residents:read", _("Baca data penduduk")
    LETTERS_READ = "letters:read", _("Baca permohonan surat")
    LETTERS_WRITE = "letters:write", _("Proses permohonan surat")
    COMPLAINTS_READ = "complaints:read", _("Baca aduan")
    COMPLAINTS_WRITE = "complaints:write", _("Proses aduan")
    OPEN311 = "open311", _("Open311 GeoReport v2")
    CATALOGUE_WRITE = "catalogue:write", _("Kelola katalog inovasi")
    CCTV_READ = "cctv:read", _("Baca data CCTV")
    CCTV_WRITE = "cctv:write", _("Kelola CCTV")
    WEBHOOKS = "webhooks", _("Kelola langganan peristiwa (webhook)")
