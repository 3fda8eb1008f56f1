"""Topic administration with kafka-python: create every topic explicitly, with its partition count.

Auto-created topics on Tansu get a partition count Faust does not expect (PartitionsMismatch), and
on Apache Kafka they get the broker default; either way the worker must not depend on them.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

from kafka import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.broker.security import KafkaTarget, bootstrap_of, kafka_python_config

__all__ = [
    "BrokerUnavailable",
    "TopicsMissing",
    "connect_admin",
    "connection_errors",
    "ensure_topics",
    "remaining",
    "unavailable",
]


class BrokerUnavailable(RuntimeError):
    """The broker did not answer within the allowed time, or refused our credentials."""


class TopicsMissing(ValueError):
    """Topics that should exist (when Stancewire does not create them) are missing or too small."""


class _ConnectionErrors(logging.Handler):
    """Keeps the authentication or TLS failure kafka-python logs (it raises only a bootstrap timeout)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.failures: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        kind = _kind(message)
        if kind is not None and kind not in self.failures:
            reason = message.rsplit(">: ", 1)[-1].removeprefix("Connection lost: ")
            if reason.startswith("Abort (") and reason.endswith(")"):
                reason = reason[len("Abort (") : -1]
            self.failures[kind] = reason

    @property
    def reason(self) -> str | None:
        """The authentication failure if there was one (it explains the disconnects after it), else TLS's."""
        return self.failures.get("auth") or self.failures.get("tls")


def _kind(text: str) -> str | None:
    lowered = text.lower()
    if "authenticationfailed" in lowered or "authentication failed" in lowered or "illegalsasl" in lowered:
        return "auth"
    if "certificate" in lowered or "[ssl" in lowered or "handshake failed" in lowered:
        return "tls"
    return None


@contextlib.contextmanager
def connection_errors() -> Iterator[_ConnectionErrors]:
    """While a kafka-python client connects: its log lines (with tracebacks) kept off the console, and the
    first authentication or TLS failure among them kept for `unavailable`."""
    logger = logging.getLogger("kafka")
    handler = _ConnectionErrors()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def unavailable(
    target: KafkaTarget, exc: BaseException, timeout: float | None = None, reason: str | None = None
) -> BrokerUnavailable:
    """One clear line for a broker that did not let us in: authentication, TLS, or no answer at all."""
    bootstrap = bootstrap_of(target)
    text = reason or f"{type(exc).__name__}: {exc}"
    kind = _kind(text)
    if kind == "auth":
        return BrokerUnavailable(f"Kafka at {bootstrap} refused the SASL credentials ({text})")
    if kind == "tls":
        return BrokerUnavailable(f"TLS with the Kafka broker at {bootstrap} failed ({text})")
    within = f" within {timeout:.0f}s" if timeout is not None else ""
    return BrokerUnavailable(f"no Kafka broker answered at {bootstrap}{within} ({text})")


def remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def connect_admin(target: KafkaTarget, timeout: float = 10.0) -> KafkaAdminClient:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    with connection_errors() as seen:
        while time.monotonic() < deadline:
            try:
                return KafkaAdminClient(
                    **kafka_python_config(target),
                    client_id="stancewire-admin",
                    request_timeout_ms=max(1000, int(timeout * 1000)),
                    bootstrap_timeout_ms=max(1000, int(remaining(deadline) * 1000)),
                )
            except (KafkaError, OSError) as exc:
                last = exc
                if seen.reason is not None:
                    break  # wrong credentials or certificates do not get better with retries
                time.sleep(0.2)
    raise unavailable(target, last or TimeoutError("no answer"), timeout, seen.reason)


def ensure_topics(
    target: KafkaTarget,
    topics: dict[str, int],
    replication_factor: int = -1,
    configs: dict[str, dict[str, str]] | None = None,
    timeout: float = 10.0,
    create: bool = True,
) -> list[str]:
    """Create the topics that do not exist yet (name → partitions); return the names created.

    `replication_factor` -1 leaves it to the broker (its default.replication.factor). An existing topic
    with fewer partitions than asked for is an error: Faust would fail later with a less helpful message.
    With `create` False nothing is created: a missing topic is an error too (TopicsMissing names them all).
    """
    admin = connect_admin(target, timeout)
    try:
        existing = _partition_counts(admin, list(topics))
        small = [
            f"{name} has {count} partition(s), {topics[name]} configured"
            for name, count in existing.items()
            if count < topics[name]
        ]
        if not create:
            missing = [
                f"{name} ({partitions} partition(s))" for name, partitions in topics.items() if name not in existing
            ]
            if missing or small:
                problems = ([f"missing: {', '.join(missing)}"] if missing else []) + small
                raise TopicsMissing(
                    f"topic creation is off (create_topics=false) and {len(missing) + len(small)} topic(s) are not "
                    f"ready on {bootstrap_of(target)}; " + "; ".join(problems)
                )
            return []
        if small:
            raise ValueError(f"topic {small[0]}; use a new topic prefix or lower --partitions")
        created = []
        for name, partitions in topics.items():
            if name in existing:
                continue
            spec = {
                "num_partitions": partitions,
                "replication_factor": replication_factor,
                "configs": (configs or {}).get(name, {}),
            }
            try:
                admin.create_topics({name: spec}, timeout_ms=int(timeout * 1000), wait_for_metadata=True)
                created.append(name)
            except TopicAlreadyExistsError:
                pass
        return created
    finally:
        admin.close()


def _partition_counts(admin: KafkaAdminClient, names: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for meta in admin.describe_topics(names):
        if meta.get("error_code", 0) == 0 and meta.get("partitions"):
            counts[meta["name"]] = len(meta["partitions"])
    return counts
