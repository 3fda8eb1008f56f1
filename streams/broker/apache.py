"""A real Apache Kafka broker (4.x, KRaft, one combined broker + controller node) for tests, and a
cluster of N such nodes on 127.0.0.1 (`ApacheKafkaCluster`, kafka.sh's cluster mode) for the fault
tests and the scale-out bench.

Tansu (embedded.py) is the default broker but has no transactions and keeps data in memory; tests
that need Kafka's own semantics or data that survives a broker restart use this one. The work is
done by deploy/apache-kafka/kafka.sh (jars from Maven Central into a git-ignored cache on first use,
then `java kafka.Kafka`), so a person can run the same broker from a shell.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from streams.broker.embedded import BrokerStartError, free_port, wait_for_port

__all__ = ["ApacheKafka", "ApacheKafkaCluster", "cluster_processes", "java_available", "kafka_script", "pid_alive"]


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


def pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def cluster_processes(directory: Path) -> list[int]:
    """Pids of the Kafka JVMs whose command line names `directory` (what `ps` shows), from /proc."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "kafka.Kafka" in cmdline and str(directory) in cmdline and pid_alive(int(proc.name)):
            pids.append(int(proc.name))
    return pids


class ApacheKafkaCluster:
    """N combined broker+controller nodes on 127.0.0.1 in `directory` (`kafka.sh cluster ...`).

    Node ids are 1..N. The replication factor and `min.insync.replicas` are the script's (3 and 2 for
    3 nodes) unless given; `jvm_opts` sets each node's heap (kafka.sh's default is -Xmx512m). `stop()`
    stops every node and then SIGKILLs whatever JVM of this directory would still run, so nothing is
    left behind even when the script fails.
    """

    def __init__(
        self,
        directory: Path,
        nodes: int = 3,
        replication_factor: int | None = None,
        min_insync_replicas: int | None = None,
        jvm_opts: str | None = None,
    ) -> None:
        self.directory = Path(directory).resolve()
        self.env = {"STANCEWIRE_KAFKA_BROKERS": str(nodes)}
        if replication_factor is not None:
            self.env["STANCEWIRE_KAFKA_REPLICATION_FACTOR"] = str(replication_factor)
        if min_insync_replicas is not None:
            self.env["STANCEWIRE_KAFKA_MIN_ISR"] = str(min_insync_replicas)
        if jvm_opts:
            self.env["STANCEWIRE_KAFKA_JVM_OPTS"] = jvm_opts
        self.bootstrap = ""

    @property
    def url(self) -> str:
        return f"kafka://{self.bootstrap}"

    def _cluster(self, *args: str, timeout: float) -> str:
        try:
            result = _run("cluster", *args, timeout=timeout, **self.env)
        except subprocess.TimeoutExpired as exc:
            raise BrokerStartError(f"kafka.sh cluster {' '.join(args)} did not return within {timeout:.0f}s") from exc
        if result.returncode != 0:
            raise BrokerStartError(f"kafka.sh cluster {' '.join(args)} failed:\n{result.stderr.strip()[-3000:]}")
        return result.stdout.strip()

    def start(self, timeout: float = 120.0, fetch_timeout: float = 600.0) -> ApacheKafkaCluster:
        """Fetch the jars if needed, start every node, wait until all are unfenced brokers."""
        fetched = _run("fetch", timeout=fetch_timeout)
        if fetched.returncode != 0:
            raise BrokerStartError(fetched.stderr.strip())
        self.env["STANCEWIRE_KAFKA_START_TIMEOUT"] = str(int(timeout))
        try:
            self.bootstrap = self._cluster("start", str(self.directory), timeout=timeout + 30).splitlines()[-1]
        except BrokerStartError:
            self.stop()  # a node that started may still run: leave nothing behind
            raise
        return self

    def kill_broker(self, node: int) -> None:
        """SIGKILL node `node` (no controlled shutdown) and wait until it is gone."""
        self._cluster("stop-broker", str(self.directory), str(node), "--kill", timeout=30)

    def stop_broker(self, node: int, timeout: float = 30.0) -> None:
        """SIGTERM (controlled shutdown: leadership moves first), SIGKILL after `timeout`."""
        self._cluster("stop-broker", str(self.directory), str(node), str(int(timeout)), timeout=timeout + 15)

    def start_broker(self, node: int, timeout: float = 90.0) -> None:
        """Start node `node` again (same id, ports and data) and wait until it serves."""
        self.env["STANCEWIRE_KAFKA_START_TIMEOUT"] = str(int(timeout))
        self._cluster("start-broker", str(self.directory), str(node), timeout=timeout + 30)

    def running(self) -> dict[int, bool]:
        """Node id → whether its process runs (`kafka.sh cluster status`)."""
        result = _run("cluster", "status", str(self.directory), timeout=30, **self.env)
        return {int(f[0]): f[3] == "running" for f in (line.split() for line in result.stdout.splitlines()) if f}

    def processes(self) -> list[int]:
        return cluster_processes(self.directory)

    def stop(self, timeout: float = 30.0) -> None:
        """Every node at once (SIGTERM, SIGKILL after `timeout`); then any JVM of this directory is killed."""
        try:
            _run("cluster", "stop", str(self.directory), str(int(timeout)), timeout=timeout + 60, **self.env)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            for pid in self.processes():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> ApacheKafkaCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
