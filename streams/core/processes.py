"""Child processes that end with the process that started them, even when it is killed with `kill -9`.

A process killed with SIGKILL runs no clean-up, so it cannot stop its children; they must notice
themselves. On Linux the kernel does it: `prctl(PR_SET_PDEATHSIG, SIGKILL)` in the child asks for
SIGKILL when its parent dies. Everywhere else (and as a second line on Linux) a Python child can
watch its parent (`die_with_parent`). Nothing here imports Faust, Kafka or the NLP core.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["PARENT_POLL_SECONDS", "ask_kernel_for_sigkill_at_parent_death", "die_with_parent", "killed_with_us"]

PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _prctl() -> Any | None:
    """libc's prctl on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def ask_kernel_for_sigkill_at_parent_death() -> None:
    """This process gets SIGKILL when the thread that started it ends (Linux; elsewhere nothing)."""
    prctl = _prctl()
    if prctl is not None:
        with contextlib.suppress(OSError):
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def die_with_parent(parent: int, kernel: bool = True) -> None:
    """End this (Python) process when `parent` ends, even by `kill -9`.

    On Linux the kernel sends SIGKILL at the parent's death (prctl PR_SET_PDEATHSIG); everywhere a
    daemon thread also checks every second that the parent is still ours (an orphan is adopted by
    another process), which covers the case where the thread that started us ended first. `kernel`
    False skips the first: the kernel signal follows the parent *thread*, and only the pool's are known
    to live as long as their process."""
    if kernel:
        ask_kernel_for_sigkill_at_parent_death()
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="stancewire-parent-watch", daemon=True).start()


def killed_with_us() -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess.Popen` that has the kernel SIGKILL the child (any program, such as
    the Tansu binary) when this process dies; None where there is no prctl (not Linux).

    PR_SET_PDEATHSIG follows the thread that forks, not its process, so it is only offered to the main
    thread (which lives as long as the process): from another thread, None. prctl is looked up here,
    in the parent, so the child between fork and exec only makes the call (and checks that its parent
    did not die before it)."""
    prctl = _prctl()
    if prctl is None or threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()

    def in_child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return in_child
