"""A real Apache Kafka broker (4.x, KRaft, one combined broker + controller node) for tests.

Tansu (embedded.py) is the default broker but has no transactions and keeps data in memory; tests
that need Kafka's own semantics or data that survives a broker restart use this one. The work is
done by deploy/apache-kafka/kafka.sh (jars from Maven Central into a git-ignored cache on first use,
then `java kafka.Kafka`), so a person can run the same broker from a shell.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from streams.broker.embedded import BrokerStartError, free_port, wait_for_port

__all__ = ["ApacheKafka", "java_available", "kafka_script"]


def kafka_script() -> Path:
    return Path(__file__).resolve().parents[2] / "deploy" / "apache-kafka" / "kafka.sh"


def _env() -> dict[str, str]:
    # The script's readiness probe imports kafka-python: point it at this interpreter, which has it.
    return {**os.environ, "STANCEWIRE_PYTHON": os.environ.get("STANCEWIRE_PYTHON", sys.executable)}


def _run(*args: str, timeout: float, **env: str) -> subprocess.CompletedProcess[str]:
    """Run kafka.sh ARGS; stdout is the broker address for `start`, stderr the reason on failure."""
    return subprocess.run(
        ["bash", str(kafka_script()), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**_env(), **env},
        timeout=timeout,
    )


def java_available() -> str | None:
    """Why the Apache Kafka broker cannot run here (no Java 17+, or no Maven before the first fetch); None if it can."""
    script = kafka_script()
    if not script.exists():
        return f"{script} is missing"
    try:
        result = _run("check", timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"kafka.sh check failed: {exc}"
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()  # the script's reason is its last line
    return lines[-1].removeprefix("kafka.sh: ") if lines else f"kafka.sh check exited {result.returncode}"


class ApacheKafka:
    """An Apache Kafka broker keeping its data in `data_dir`; use as a context manager or start()/stop().

    The port is fixed for the object's lifetime, so restart() brings back the same bootstrap address
    with the same data. `extra_properties` are server.properties lines appended last (kafka.sh's
    STANCEWIRE_KAFKA_PROPS), e.g. another listener with SASL and TLS; they may name `controller_port`,
    which is then fixed too (`listeners=` must list the CONTROLLER listener on it).
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        extra_properties: str | None = None,
        controller_port: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.extra_properties = extra_properties
        self.controller_port = controller_port

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "logs" / "server.log"

    def running(self) -> bool:
        return _run("status", str(self.data_dir), timeout=10).returncode == 0

    def start(self, timeout: float = 60.0, fetch_timeout: float = 600.0) -> ApacheKafka:
        """Fetch the jars if needed (not counted in `timeout`), format once, start, wait until it answers."""
        fetched = _run("fetch", timeout=fetch_timeout)
        if fetched.returncode != 0:
            raise BrokerStartError(fetched.stderr.strip())
        try:
            extra = {"STANCEWIRE_KAFKA_PROPS": self.extra_properties} if self.extra_properties else {}
            result = _run(
                "start",
                str(self.data_dir),
                str(self.port),
                *([str(self.controller_port)] if self.controller_port else []),
                # the script's own wait is bounded by `timeout`; the extra is only a backstop
                timeout=timeout + 30,
                STANCEWIRE_KAFKA_START_TIMEOUT=str(int(timeout)),
                **extra,
            )
        except subprocess.TimeoutExpired as exc:
            self._stop_quietly()
            raise BrokerStartError(f"kafka.sh start did not return within {timeout + 30:.0f}s") from exc
        if result.returncode != 0:
            # a broker that never became ready may still be running: do not leave it behind
            self._stop_quietly()
            raise BrokerStartError(f"Apache Kafka did not start on {self.bootstrap}:\n{result.stderr.strip()}")
        # The script already waited for a metadata answer; this only guards against a crash just after.
        if not wait_for_port("127.0.0.1", self.port, 5.0):
            raise BrokerStartError(f"Apache Kafka stopped listening on {self.bootstrap} right after starting")
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Controlled shutdown (SIGTERM), SIGKILL after `timeout` seconds; a stopped broker is fine."""
        result = _run("stop", str(self.data_dir), str(int(timeout)), timeout=timeout + 15)
        if result.returncode != 0:
            raise BrokerStartError(f"stopping Apache Kafka failed:\n{result.stderr.strip()}")

    def _stop_quietly(self) -> None:
        with contextlib.suppress(BrokerStartError, OSError, subprocess.TimeoutExpired):
            self.stop()

    def restart(self, timeout: float = 60.0) -> ApacheKafka:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> ApacheKafka:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
