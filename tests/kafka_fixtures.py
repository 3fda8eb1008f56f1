"""Real-broker fixtures (a pytest plugin, loaded by tests/conftest.py) for the integration and fault tests.

`any_broker` is parametrized over the two brokers Stancewire supports: `embedded` (Tansu, started
once per session) and `apache` (Apache Kafka 4 from Maven Central, started once per session; skipped
with the reason when Java or Maven is missing, except under CI=true where that is a failure). Each
test gets its own topic prefix and consumer group, workers run as `stancewire run` subprocesses, and
every topic is read back with kafka-python: no mocks between the tests and the broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas import decode
from schemas.topics import record_for
from streams.broker.apache import ApacheKafka, ApacheKafkaCluster, java_available
from streams.broker.embedded import EmbeddedBroker, free_port
from streams.broker.reader import TopicReader
from streams.runtime.worker import prepare_topics, spawn_worker, stop_process
from streams.settings import Settings
from tests.broker.tls import Certificates, make_certificates, openssl_available

BROKERS = ["embedded", "apache"]


@dataclass
class Broker:
    """One running broker as the tests see it."""

    kind: str  # embedded | apache
    url: str
    server: EmbeddedBroker | ApacheKafka

    @property
    def bootstrap(self) -> str:
        return self.server.bootstrap


@pytest.fixture(scope="session")
def embedded_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    with EmbeddedBroker(log_path=tmp_path_factory.mktemp("tansu") / "tansu.log") as server:
        yield Broker("embedded", server.url, server)


def require_java() -> None:
    """Skip when Apache Kafka cannot run here (no Java 17+ or Maven), but fail under CI=true."""
    reason = java_available()
    if reason:
        # CI must run these: there a missing Java or Maven is a broken setup, not a reason to skip.
        if os.environ.get("CI") == "true":
            pytest.fail(f"Apache Kafka cannot run: {reason}")
        pytest.skip(f"Apache Kafka cannot run here: {reason}")


@pytest.fixture(scope="session")
def apache_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    require_java()
    server = ApacheKafka(tmp_path_factory.mktemp("apache-kafka"))
    server.start()
    try:
        yield Broker("apache", server.url, server)
    finally:
        server.stop()


#: Each node's JVM on this 2-core machine, three at once: small heaps (kafka.sh's default is -Xmx512m).
CLUSTER_JVM_OPTS = "-Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"


@pytest.fixture(scope="session")
def kafka_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApacheKafkaCluster]:
    """Three Apache Kafka nodes on 127.0.0.1 (kafka.sh cluster: replication factor 3, min.insync.replicas 2),
    started once per session; always stopped, and any JVM of its directory killed (nothing left behind)."""
    require_java()
    cluster = ApacheKafkaCluster(tmp_path_factory.mktemp("kafka-cluster"), nodes=3, jvm_opts=CLUSTER_JVM_OPTS)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        assert cluster.processes() == [], "a broker of the test cluster survived its stop"


SASL_USER = "stancewire"
SASL_PASSWORD = "wire-secret-7c1e9a4f"  # distinctive: the tests look for it in every output
PLAIN_USER, PLAIN_PASSWORD = "plain-user", "plain-secret-31b8d2"


@dataclass
class SecureBroker:
    """Apache Kafka with a SASL_SSL listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; client certificates
    required), beside the plaintext one its readiness probe and the SCRAM set-up use."""

    url: str  # kafka://127.0.0.1:PORT of the SASL_SSL listener
    plaintext: str  # host:port of the plaintext listener (never used by the code under test)
    certs: Certificates
    server: ApacheKafka

    def settings(self, tmp_path: Path, mechanism: str = "SCRAM-SHA-512", **changes: object) -> Settings:
        """Settings over SASL_SSL with mutual TLS; the password comes from a file unless given."""
        run = f"s{uuid.uuid4().hex[:8]}"
        values: dict[str, object] = dict(
            broker=self.url,
            partitions=2,
            topic_prefix=f"{run}.",
            app_id=run,
            data_dir=tmp_path / "state",
            store="memory",
            sasl_mechanism=mechanism,
            sasl_username=PLAIN_USER if mechanism == "PLAIN" else SASL_USER,
            ssl_cafile=self.certs.ca,
            ssl_certfile=self.certs.client_cert,
            ssl_keyfile=self.certs.client_key,
        )
        if "sasl_password" not in changes:
            secret = tmp_path / f"sasl-password-{run}"
            secret.write_text((PLAIN_PASSWORD if mechanism == "PLAIN" else SASL_PASSWORD) + "\n")
            values["sasl_password_file"] = secret
        values.update(changes)
        return Settings(**values)


def secure_properties(certs: Certificates, port: int, secure_port: int, controller_port: int) -> str:
    plain_jaas = (
        f'org.apache.kafka.common.security.plain.PlainLoginModule required user_{PLAIN_USER}="{PLAIN_PASSWORD}";'
    )
    scram_jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    listener = "listener.name.sasl_ssl."
    return "\n".join(
        [
            f"listeners=PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:{secure_port},"
            f"CONTROLLER://127.0.0.1:{controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:{secure_port}",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL",
            f"{listener}sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
            f"{listener}plain.sasl.jaas.config={plain_jaas}",
            f"{listener}scram-sha-256.sasl.jaas.config={scram_jaas}",
            f"{listener}scram-sha-512.sasl.jaas.config={scram_jaas}",
            f"{listener}ssl.keystore.type=PKCS12",
            f"{listener}ssl.keystore.location={certs.broker_keystore}",
            f"{listener}ssl.keystore.password={certs.keystore_password}",
            f"{listener}ssl.truststore.type=PEM",
            f"{listener}ssl.truststore.location={certs.ca}",
            f"{listener}ssl.client.auth=required",
        ]
    )


def add_scram_user(plaintext: str, user: str, password: str, timeout: float = 30.0) -> None:
    """SCRAM credentials for `user` (both mechanisms), through the plaintext listener; waits until they apply."""
    from kafka import KafkaAdminClient
    from kafka.admin import UserScramCredentialUpsertion

    admin = KafkaAdminClient(bootstrap_servers=plaintext, request_timeout_ms=10_000)
    try:
        for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):  # one request each: Kafka refuses two for one user
            errors = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(user, mechanism, password)])
            assert not any(errors.values()), errors
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            known = admin.describe_user_scram_credentials([user]).get(user) or {}
            if len(known.get("credential_infos") or ()) >= 2:
                return
            time.sleep(0.2)
        raise AssertionError(f"SCRAM credentials of {user} did not apply within {timeout:.0f}s")
    finally:
        admin.close()


@pytest.fixture(scope="session")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    """Apache Kafka with SASL_SSL (certificates made for this session), started once per session."""
    require_java()
    if not openssl_available():
        pytest.skip("openssl is needed to make the test certificates")
    folder = tmp_path_factory.mktemp("secure-kafka")
    certs = make_certificates(folder / "certs")
    port = free_port()
    secure_port = free_port()
    controller_port = free_port()
    while len({port, secure_port, controller_port}) < 3:
        secure_port, controller_port = free_port(), free_port()
    props = secure_properties(certs, port, secure_port, controller_port)
    server = ApacheKafka(folder / "kafka", port, extra_properties=props, controller_port=controller_port)
    server.start()
    try:
        add_scram_user(server.bootstrap, SASL_USER, SASL_PASSWORD)
        yield SecureBroker(f"kafka://127.0.0.1:{secure_port}", server.bootstrap, certs, server)
    finally:
        server.stop()


@pytest.fixture(params=BROKERS)
def any_broker(request: pytest.FixtureRequest) -> Broker:
    return request.getfixturevalue(f"{request.param}_broker")


@pytest.fixture
def settings(any_broker: Broker, tmp_path: Path) -> Settings:
    """Settings for one test: its own topic prefix and consumer group on the broker under test."""
    run = f"t{uuid.uuid4().hex[:8]}"
    settings = Settings(
        broker=any_broker.url, partitions=2, topic_prefix=f"{run}.", app_id=run, data_dir=tmp_path / "state"
    )
    return settings.on_embedded_broker(any_broker.url) if any_broker.kind == "embedded" else settings


class Worker:
    """A `stancewire run` child process; `restart()` starts a new one with the same (or new) settings."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings = settings
        self.log = log
        self.proc = spawn_worker(settings, log)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no final commit."""
        self.proc.kill()
        self.proc.wait(15)

    def stop(self) -> int:
        return stop_process(self.proc)

    def restart(self, **changes: object) -> None:
        if self.alive():
            self.stop()
        self.settings = self.settings.model_copy(update=changes)
        self.proc = spawn_worker(self.settings, self.log)

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@pytest.fixture
def start_worker(settings: Settings, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Factory: start a worker (topics created first); every worker started is stopped afterwards."""
    prepare_topics(settings)
    started: list[Worker] = []

    def start(name: str = "worker", **changes: object) -> Worker:
        worker = Worker(settings.model_copy(update=changes), tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        code = worker.stop()
        print(f"--- {worker.log.name} (exit {code}) ---\n{worker.log_tail()}")


@pytest.fixture
def worker(start_worker: Callable[..., Worker]) -> Worker:
    return start_worker()


def cli(
    *args: str, settings: Settings | None = None, stdin: bytes | None = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Run `stancewire ARGS` as a user would, in a child process."""
    env = {**os.environ, **(settings.to_env() if settings else {})}
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def collect(
    settings: Settings,
    topics: list[str],
    done: Callable[[dict[str, list]], bool],
    timeout: float = 90.0,
    isolation_level: str = "read_committed",
) -> dict[str, list]:
    """Read `topics` from the beginning until `done(records by topic)` or the timeout; values decoded.

    read_committed, as downstream consumers should: under exactly-once, aborted writes stay invisible.
    """
    found: dict[str, list] = {t: [] for t in topics}
    deadline = time.monotonic() + timeout
    with TopicReader(settings, topics, isolation_level=isolation_level) as reader:
        while time.monotonic() < deadline and not done(found):
            for record in reader.poll(0.3):
                found[record.topic].append(decode(record.value, record_for(record.topic, settings.topics.prefix)))
    return found


FIGURES: list[str] = []


@pytest.fixture
def report() -> Callable[[str], None]:
    """Record one figures line (`worker-kill apache exactly_once: fed=… missing=0 …`); printed at the end."""

    def add(line: str) -> None:
        FIGURES.append(line)
        print(line)

    return add


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    if FIGURES:
        terminalreporter.section("fault suite figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
