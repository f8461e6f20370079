"""What the probe engine takes and gives back: plain data, no Django models."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Check(StrEnum):
    """What was probed, cheapest first."""

    TCP = "tcp"
    RTSP = "rtsp"
    ONVIF = "onvif"
    SNAPSHOT = "snapshot"
    HTTP = "http"
    STREAM = "stream"


class Problem(StrEnum):
    """Machine codes of what a probe found wrong; `PROBLEM_TEXT` says it in Indonesian."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    AUTH_FAILED = "auth_failed"
    PROTOCOL_ERROR = "protocol_error"
    NO_STREAM = "no_stream"
    CLOCK_DRIFT = "clock_drift"
    FROZEN = "frozen"
    BLANK = "blank"
    NOT_AN_IMAGE = "not_an_image"
    TOO_LARGE = "too_large"
    LOW_FPS = "low_fps"
    HTTP_ERROR = "http_error"


PROBLEM_TEXT = {
    Problem.UNREACHABLE: _("Kamera tidak dapat dihubungi (koneksi ditolak atau tidak ada rute)."),
    Problem.TIMEOUT: _("Kamera menerima koneksi tetapi tidak menjawab tepat waktu."),
    Problem.AUTH_FAILED: _("Nama pengguna atau kata sandi kamera salah."),
    Problem.PROTOCOL_ERROR: _("Kamera menjawab dengan data yang tidak dapat dibaca."),
    Problem.NO_STREAM: _("Kamera tidak menyediakan siaran video pada alamat ini."),
    Problem.CLOCK_DRIFT: _("Jam kamera meleset lebih dari batas; cap waktu rekaman salah."),
    Problem.FROZEN: _("Gambar kamera membeku (sama persis dengan pemeriksaan sebelumnya)."),
    Problem.BLANK: _("Gambar kamera kosong atau hanya satu warna."),
    Problem.NOT_AN_IMAGE: _("Alamat snapshot tidak mengirim gambar."),
    Problem.TOO_LARGE: _("Snapshot kamera melebihi batas ukuran."),
    Problem.LOW_FPS: _("Laju gambar kamera terlalu rendah."),
    Problem.HTTP_ERROR: _("Alamat pemeriksaan menjawab dengan kesalahan HTTP."),
}

# Severity: which problems make a camera down, which only degraded.
DOWN_PROBLEMS = frozenset(
    {
        Problem.UNREACHABLE,
        Problem.TIMEOUT,
        Problem.PROTOCOL_ERROR,
        Problem.NO_STREAM,
        Problem.NOT_AN_IMAGE,
        Problem.TOO_LARGE,
    }
)
DEGRADED_PROBLEMS = frozenset(
    {
        Problem.AUTH_FAILED,
        Problem.CLOCK_DRIFT,
        Problem.FROZEN,
        Problem.BLANK,
        Problem.LOW_FPS,
        Problem.HTTP_ERROR,
    }
)


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 3.0
    rtsp_timeout: float = 4.0
    onvif_timeout: float = 4.0
    snapshot_timeout: float = 6.0
    max_snapshot_bytes: int = 5_000_000
    max_snapshot_pixels: int = 20_000_000
    max_clock_drift: float = 300.0  # seconds
    concurrency: int = 500
    # Seconds of RTSP video to sample for fps and bitrate; 0 = no sample (it
    # costs the camera's bandwidth, over village links, every round).
    stream_seconds: float = 0.0
    min_fps: float = 5.0


@dataclass(frozen=True)
class Target:
    """One camera (or service) to probe; `key` is opaque to the engine."""

    key: str
    host: str | None = None  # for the TCP check; from the first URL when None
    port: int | None = None
    rtsp_url: str | None = None  # without credentials
    onvif_url: str | None = None  # device service URL
    snapshot_url: str | None = None
    hls_url: str | None = None
    health_url: str | None = None
    # Decrypted, in memory only: never in repr, logs or detail.
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    previous_fingerprint: str | None = None


@dataclass
class Result:
    key: str
    checked_at: datetime  # aware UTC
    problems: list[Problem] = field(default_factory=list)  # empty = all good
    detail: str = ""  # short technical detail for staff, never credentials
    clock_drift: float | None = None  # seconds, camera minus now
    fingerprint: str | None = None  # pass back as Target.previous_fingerprint
    snapshot: bytes | None = field(default=None, repr=False)  # small re-encoded JPEG
    durations: dict[Check, float] = field(default_factory=dict)
    fps: float | None = None  # from a stream sample (Limits.stream_seconds)
    kbps: float | None = None

    @property
    def down(self) -> bool:
        return any(p in DOWN_PROBLEMS for p in self.problems)

    @property
    def degraded(self) -> bool:
        return not self.down and any(p in DEGRADED_PROBLEMS for p in self.problems)


DEFAULT_LIMITS = Limits()
