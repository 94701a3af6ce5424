"""Background threads yield the CPU to drawing and interaction.

On a 2-core machine the browser's software WebGL and the kernel's computations share the cores:
a warm-up or quality job running beside a zoom made each frame ~2x slower. Linux schedules each
thread on its own, so a thread can lower its own priority (``nice``); it then runs at full speed
whenever the cores are otherwise idle. Elsewhere this is a no-op.
"""

from __future__ import annotations

import contextlib
import os
import threading

#: The nice value of background threads (0 is normal, 19 the lowest).
BACKGROUND_NICE = 10


def lower_priority() -> None:
    """Give the calling thread (and the threads it starts later) a lower CPU priority."""
    # not Linux, or not allowed: run at normal priority
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)


def niceness() -> int:
    """The calling thread's nice value (for tests)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
