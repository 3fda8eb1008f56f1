"""The 3-node KRaft cluster of deploy/apache-kafka/kafka.sh (`kafka.sh cluster ...`), end to end.

One test drives the whole life of a cluster, because a start costs ~10-25 s on 2 cores: start three
combined broker+controller nodes in a temp dir, create a topic with replication factor 3, produce with
acks=all, SIGKILL the leader of partition 0, produce and consume again, restart the killed node and
wait until it is back in the ISR, stop the new leader with a controlled shutdown (SIGTERM), produce
again, then stop everything and check that no broker process is left; then start the whole cluster
again from its directory (same ports, same data), read every record once more and stop it. The script
is called as a user would call it, through bash; only kafka-python talks to the brokers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.broker.apache import cluster_processes, pid_alive

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "apache-kafka" / "kafka.sh"
TOPIC = "cluster-check"

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(420)]


def kafka_sh(*args: str, timeout: float = 150, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `kafka.sh ARGS` (bounded by `timeout`); its stdout is the answer, stderr the reason on failure."""
    result = subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "STANCEWIRE_PYTHON": sys.executable, **env},
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kafka.sh {' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def java_missing() -> str | None:
    try:
        result = kafka_sh("check", timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"kafka.sh check failed: {exc}"
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"kafka.sh check exited {result.returncode}"


@pytest.fixture(scope="module")
def java() -> None:
    reason = java_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Apache Kafka cannot run: {reason}")
        pytest.skip(f"Apache Kafka cannot run here: {reason}")


def brokers_of(cluster: Path) -> list[int]:
    """Pids of java processes whose command line names this cluster directory (what `ps` would show)."""
    return cluster_processes(cluster)


def status(cluster: Path) -> tuple[int, dict[int, dict[str, str]]]:
    result = kafka_sh("cluster", "status", str(cluster), check=False, timeout=30)
    nodes = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        nodes[int(fields[0])] = {
            "port": fields[1],
            "controller_port": fields[2],
            "state": fields[3],
            "pid": fields[4] if len(fields) > 4 else "",
        }
    return result.returncode, nodes


@pytest.fixture
def cluster_dir(java: None, tmp_path: Path) -> Iterator[Path]:
    """A cluster directory; whatever was started in it is stopped afterwards, by force if need be."""
    cluster = tmp_path / "cluster"
    try:
        yield cluster
    finally:
        try:
            kafka_sh("cluster", "stop", str(cluster), "30", timeout=90, check=False)
        finally:
            for pid in brokers_of(cluster):  # only if the script failed to stop them
                os.kill(pid, signal.SIGKILL)


def wait_for(what: str, probe, timeout: float, interval: float = 0.5):
    """Call probe() until it returns something truthy, at most `timeout` seconds; return that value."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - a broker in transition answers with errors for a while
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last error: {last_error!r})")


def partition0(admin) -> dict:
    [topic] = admin.describe_topics([TOPIC])
    assert topic["error_code"] == 0, topic
    return next(p for p in topic["partitions"] if p["partition_index"] == 0)


def produce(producer, values: list[bytes]) -> None:
    futures = [producer.send(TOPIC, value=v, partition=0) for v in values]
    for future in futures:
        future.get(timeout=60)


def read_all(bootstrap: list[str], expected: int, timeout: float = 60) -> list[bytes]:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=1000)
    try:
        tp = TopicPartition(TOPIC, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        values: list[bytes] = []
        deadline = time.monotonic() + timeout
        while len(values) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                values.extend(r.value for r in records)
        return values
    finally:
        consumer.close()


def test_three_node_cluster_survives_leader_kill_and_restart(cluster_dir: Path) -> None:
    from kafka import KafkaAdminClient, KafkaProducer
    from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

    timings: dict[str, float] = {}

    def timed(name: str, fn, *args, **kwargs):
        start = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            timings[name] = round(time.monotonic() - start, 1)

    result = timed("cluster start", kafka_sh, "cluster", "start", str(cluster_dir))
    bootstrap = result.stdout.strip().splitlines()[-1].split(",")
    assert len(bootstrap) == 3 and all(b.startswith("127.0.0.1:") for b in bootstrap), result.stdout
    code, nodes = status(cluster_dir)
    assert code == 0 and sorted(nodes) == [1, 2, 3] and all(n["state"] == "running" for n in nodes.values()), nodes
    pids = {i: int(n["pid"]) for i, n in nodes.items()}
    assert set(brokers_of(cluster_dir)) == set(pids.values())
    # every listener of every node is on 127.0.0.1
    for i in (1, 2, 3):
        props = (cluster_dir / f"node{i}" / "server.properties").read_text()
        listeners = next(line for line in props.splitlines() if line.startswith("listeners="))
        assert listeners.count("127.0.0.1:") == 2 and "0.0.0.0" not in props

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", request_timeout_ms=10000, linger_ms=5)
    try:
        configs = admin.describe_configs(
            [ConfigResource(ConfigResourceType.BROKER, "1", ["default.replication.factor", "min.insync.replicas"])],
            config_filter="all",
        )["broker"]["1"]
        assert configs["default.replication.factor"]["value"] == "3"
        assert configs["min.insync.replicas"]["value"] == "2"

        admin.create_topics([NewTopic(TOPIC, num_partitions=3, replication_factor=3)])
        first = wait_for("a leader and a full ISR for partition 0", lambda: _full_isr(admin), timeout=30)
        assert sorted(first["replica_nodes"]) == [1, 2, 3]

        batch1 = [f"a{i}".encode() for i in range(200)]
        timed("produce 200 (acks=all)", produce, producer, batch1)

        leader = first["leader_id"]
        timed("kill leader", kafka_sh, "cluster", "stop-broker", str(cluster_dir), str(leader), "--kill")
        code, nodes = status(cluster_dir)
        assert code == 3 and nodes[leader]["state"] == "stopped", nodes
        assert not pid_alive(pids[leader])

        batch2 = [f"b{i}".encode() for i in range(200)]
        timed("produce 200 after the kill", produce, producer, batch2)
        after_kill = partition0(admin)
        assert after_kill["leader_id"] not in (leader, -1), after_kill
        assert leader not in after_kill["isr_nodes"], after_kill

        values = timed("consume 400", read_all, bootstrap, 400)
        assert sorted(values) == sorted(batch1 + batch2), f"read {len(values)} records, expected 400"

        timed("restart the killed node", kafka_sh, "cluster", "start-broker", str(cluster_dir), str(leader))
        code, nodes = status(cluster_dir)
        assert code == 0, nodes
        timed(
            "killed node back in the ISR",
            wait_for,
            "the restarted node to rejoin the ISR",
            lambda: leader in partition0(admin)["isr_nodes"],
            timeout=60,
        )

        # A controlled shutdown (SIGTERM) of the current leader moves leadership before the node exits.
        second = partition0(admin)["leader_id"]
        timed("controlled stop of the new leader", kafka_sh, "cluster", "stop-broker", str(cluster_dir), str(second))
        batch3 = [f"c{i}".encode() for i in range(100)]
        timed("produce 100 after the controlled stop", produce, producer, batch3)
        assert partition0(admin)["leader_id"] not in (second, -1)
        timed("start it again", kafka_sh, "cluster", "start-broker", str(cluster_dir), str(second))

        values = timed("consume 500", read_all, bootstrap, 500)
        assert sorted(values) == sorted(batch1 + batch2 + batch3), f"read {len(values)} records, expected 500"
    finally:
        producer.close(timeout=10)
        admin.close()

    code, nodes = status(cluster_dir)
    all_pids = {int(n["pid"]) for n in nodes.values() if n["pid"]}
    timed("cluster stop", kafka_sh, "cluster", "stop", str(cluster_dir))
    code, nodes = status(cluster_dir)
    assert code == 1 and all(n["state"] == "stopped" for n in nodes.values()), nodes
    assert not [p for p in all_pids if pid_alive(p)]
    assert brokers_of(cluster_dir) == []
    assert not list(cluster_dir.glob("node*/kafka.pid"))

    # The whole cluster again from the same directory: same ports, and the records are still there.
    result = timed("cluster start again", kafka_sh, "cluster", "start", str(cluster_dir))
    assert result.stdout.strip().splitlines()[-1].split(",") == bootstrap
    values = timed("consume 500 after the restart", read_all, bootstrap, 500)
    assert sorted(values) == sorted(batch1 + batch2 + batch3), f"read {len(values)} records after the restart"
    timed("cluster stop again", kafka_sh, "cluster", "stop", str(cluster_dir))
    assert status(cluster_dir)[0] == 1 and brokers_of(cluster_dir) == []
    print("cluster timings (s):", timings)


def _full_isr(admin) -> dict | None:
    p = partition0(admin)
    return p if p["leader_id"] >= 0 and sorted(p["isr_nodes"]) == [1, 2, 3] else None


def test_cluster_rejects_impossible_replication(java: None, tmp_path: Path) -> None:
    """The replication settings are checked before any node starts, with the reason on stderr."""
    cluster = tmp_path / "bad"
    result = kafka_sh(
        "cluster", "start", str(cluster), check=False, timeout=60,
        STANCEWIRE_KAFKA_BROKERS="2", STANCEWIRE_KAFKA_REPLICATION_FACTOR="3",
    )  # fmt: skip
    assert result.returncode != 0 and "REPLICATION_FACTOR must be 1..2" in result.stderr
    result = kafka_sh(
        "cluster", "start", str(cluster), check=False, timeout=60,
        STANCEWIRE_KAFKA_REPLICATION_FACTOR="3", STANCEWIRE_KAFKA_MIN_ISR="4",
    )  # fmt: skip
    assert result.returncode != 0 and "MIN_ISR must be 1..3" in result.stderr
    assert not (cluster / "cluster.conf").exists() and brokers_of(cluster) == []
    # status of a directory that holds no cluster fails with the reason
    result = kafka_sh("cluster", "status", str(tmp_path), check=False, timeout=30)
    assert result.returncode != 0 and "not a cluster directory" in result.stderr
