"""Is a snapshot a real, living picture? Decode it (bounded), tell blank frames,
and fingerprint it so the next round can tell a frozen stream.

The fingerprint is a 32x24 grey thumbnail (1,031 characters): a camera
re-encoding the same frame changes a cell by a level or two, while a ticking
on-screen clock changes the cells under its digits by tens of levels. An exact
hash would call a re-encoded frozen frame "changed"; a perceptual hash
(dHash and kin) is built to ignore small changes such as a clock's.
"""

import base64
import io
from dataclasses import dataclass
from typing import cast

from PIL import Image, ImageChops, ImageStat, UnidentifiedImageError

from .results import Problem

PRINT_SIZE = (32, 24)
PRINT_PREFIX = "g32x24:"
FINGERPRINT_MAX_LENGTH = len(PRINT_PREFIX) + 4 * ((PRINT_SIZE[0] * PRINT_SIZE[1] + 2) // 3)
FROZEN_TOLERANCE = 4  # grey levels a cell may move and still be "the same frame"
BLANK_STDDEV = 3.0  # grey levels: below this the frame is one colour
MIN_SIDE = 32
THUMBNAIL_SIZE = (640, 360)
KEEP_AS_IS_BYTES = 100_000


class SnapshotError(Exception):
    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(problem, detail)
        self.problem, self.detail = problem, detail


@dataclass
class Inspected:
    fingerprint: str
    blank: bool
    thumbnail: bytes  # a small JPEG for staff


def inspect(data: bytes, max_pixels: int) -> Inspected:
    """Check a snapshot; the pixel count is checked from the header before decoding."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise SnapshotError(Problem.TOO_LARGE, "gambar terlalu besar") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise SnapshotError(Problem.NOT_AN_IMAGE, "bukan gambar") from None
    width, height = image.size
    if width * height > max_pixels:
        raise SnapshotError(Problem.TOO_LARGE, f"{width}x{height} piksel")
    if width < MIN_SIDE or height < MIN_SIDE:
        raise SnapshotError(Problem.NOT_AN_IMAGE, f"ukuran tidak wajar {width}x{height}")
    # A small JPEG is kept as it is for staff: decoding it at 1/8 scale still
    # reads (and so checks) all of it, at a fraction of the work.
    keep = image.format == "JPEG" and len(data) <= KEEP_AS_IS_BYTES and width <= 1280
    try:
        if keep:
            image.draft("L", (PRINT_SIZE[0] * 2, PRINT_SIZE[1] * 2))
        else:
            image.draft("RGB", THUMBNAIL_SIZE)
        image.load()
    except (OSError, ValueError, SyntaxError):
        raise SnapshotError(Problem.NOT_AN_IMAGE, "gambar rusak") from None
    grey = image.convert("L").resize(PRINT_SIZE, Image.Resampling.BOX)
    blank = ImageStat.Stat(grey).stddev[0] < BLANK_STDDEV
    if keep:
        thumbnail = data
    else:
        rgb = image.convert("RGB")
        rgb.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=70)
        thumbnail = out.getvalue()
    return Inspected(PRINT_PREFIX + base64.b64encode(grey.tobytes()).decode(), blank, thumbnail)


def same(fingerprint: str | None, previous: str | None) -> bool:
    """True when two fingerprints show the same frame (a frozen stream)."""
    if not fingerprint or not previous or not previous.startswith(PRINT_PREFIX):
        return False
    if fingerprint == previous:
        return True
    try:
        a = base64.b64decode(fingerprint.removeprefix(PRINT_PREFIX))
        b = base64.b64decode(previous.removeprefix(PRINT_PREFIX))
    except ValueError:
        return False
    if len(a) != len(b) or len(a) != PRINT_SIZE[0] * PRINT_SIZE[1]:
        return False
    difference = ImageChops.difference(
        Image.frombytes("L", PRINT_SIZE, a), Image.frombytes("L", PRINT_SIZE, b)
    )
    # An "L" image's extrema are one (lowest, highest) pair.
    _lowest, highest = cast(tuple[int, int], difference.getextrema())
    return highest <= FROZEN_TOLERANCE
