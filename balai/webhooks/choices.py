from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Gagal (menyerah)")


class DisabledReason(models.TextChoices):
    GONE = "gone", _("Penerima menjawab 410 Gone")
    FAILING = "failing", _("Gagal terus-menerus")
    MANUAL = "manual", _("Dimatikan petugas")
