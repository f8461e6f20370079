"""A test-only pause point, so a fault test can kill a process in the middle of a step.

`pause_point("letters.sign.before-commit")` returns at once unless the
environment variable BALAI_PAUSE_AT names that step: only the fault tests set
it, on the processes they start (docs/faults.md). Then it writes its process
id to `$BALAI_PAUSE_DIR/<step>` and waits until the test removes that file,
or kills the process, which is the point. A deterministic middle, no sleeps.
"""

import os
import time
from pathlib import Path


def pause_point(step: str) -> None:
    if os.environ.get("BALAI_PAUSE_AT") != step:
        return
    marker = Path(os.environ["BALAI_PAUSE_DIR"]) / step
    marker.write_text(str(os.getpid()))
    while marker.exists():
        time.sleep(0.05)
