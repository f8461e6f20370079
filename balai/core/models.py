"""Task workers that are running, so that one can tell another's work from a dead one's."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    """A `balai worker` process: registered at start, its heartbeat renewed while it
    runs, removed when it stops (balai/core/worker.py)."""

    # What it writes into the task results it claims (DBTaskResult.worker_ids).
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)  # the heartbeat

    class Meta:
        verbose_name = _("pekerja tugas")
        verbose_name_plural = _("pekerja tugas")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"
