"""Topic administration with kafka-python: create every topic explicitly, with its partition count.

Auto-created topics on Tansu get a partition count Faust does not expect (PartitionsMismatch), and
on Apache Kafka they get the broker default; either way the worker must not depend on them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from kafka import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.broker.security import KafkaTarget, bootstrap_of, kafka_python_config

T = TypeVar("T")

__all__ = [
    "BrokerUnavailable",
    "TopicsMissing",
    "bootstrapped",
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
    """Keeps the authentication or TLS failure kafka-python logs (it raises only a bootstrap timeout).

    Apache Kafka answers a wrong SASL password after a delay and closes the connection at the same moment,
    so the answer is often lost: the client then logs only "socket disconnected". A connection dropped
    while our last SASL authenticate request waited for its answer therefore counts too, from the second
    time (once could be a restart); that needs kafka-python's request lines, logged at debug level.
    """

    SASL_DROPS = 2

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.failures: dict[str, str] = {}
        self.mechanism = "SASL"
        self.authenticating = False  # the last request sent was a SASL authenticate with no answer yet
        self.sasl_drops = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            self._follow_sasl(record)
            return
        message = record.getMessage()
        if self.authenticating and "socket disconnected" in message:
            self.authenticating = False
            self.sasl_drops += 1
            if self.sasl_drops >= self.SASL_DROPS:
                message = (
                    f"authentication failed: {self.mechanism} authentication was dropped by the broker "
                    f"{self.sasl_drops} times without an answer"
                )
        kind = _kind(message)
        if kind is not None and kind not in self.failures:
            reason = message.rsplit(">: ", 1)[-1].removeprefix("Connection lost: ")
            if reason.startswith("Abort (") and reason.endswith(")"):
                reason = reason[len("Abort (") : -1]
            self.failures[kind] = reason

    def _follow_sasl(self, record: logging.LogRecord) -> None:
        # kafka.net.connection: "%s Request %d: %s" (conn, id, request), "%s: Response %d (%s ms): %s"
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg == "%s Request %d: %s" and len(args) == 3:
            request = type(args[2]).__name__
            self.authenticating = request.startswith("SaslAuthenticate")
            if request.startswith("SaslHandshake"):
                self.mechanism = str(getattr(args[2], "mechanism", self.mechanism))
        elif isinstance(record.msg, str) and record.msg.startswith("%s: Response %d"):
            self.authenticating = False

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


_CONNECTING = threading.Lock()
_SAVED: list = []  # [(kafka's propagate, kafka.net.connection's level), None per client connecting]


@contextlib.contextmanager
def connection_errors() -> Iterator[_ConnectionErrors]:
    """While a kafka-python client connects: its log lines (with tracebacks) kept off the console, and the
    first authentication or TLS failure among them kept for `unavailable`."""
    logger = logging.getLogger("kafka")
    requests = logging.getLogger("kafka.net.connection")  # its request lines, for _ConnectionErrors
    handler = _ConnectionErrors()
    with _CONNECTING:  # clients may connect in several threads at once: the first in saves, the last out restores
        if not _SAVED:
            _SAVED.append((logger.propagate, requests.level))
            logger.propagate = False
            requests.setLevel(logging.DEBUG)
        _SAVED.append(None)
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        with _CONNECTING:
            logger.removeHandler(handler)
            _SAVED.pop()
            if len(_SAVED) == 1:
                propagate, level = _SAVED.pop()
                logger.propagate = propagate
                requests.setLevel(level)


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


def bootstrapped(target: KafkaTarget, make: Callable[[int], T], timeout: float) -> T:
    """`make(bootstrap_timeout_ms)`, a kafka-python client, retried in doubling slices until `timeout`.

    kafka-python retries a refused password or certificate until its whole bootstrap timeout and then
    raises only a timeout; slices (1 s, 2 s, 4 s...) let the first such refusal end the wait at once,
    while a slow broker still gets the whole `timeout`.
    """
    deadline = time.monotonic() + timeout
    slice_seconds = 1.0
    last: Exception | None = None
    with connection_errors() as seen:
        while True:
            try:
                return make(max(200, int(min(slice_seconds, remaining(deadline)) * 1000)))
            except (KafkaError, OSError) as exc:
                last = exc
            if seen.reason is not None or remaining(deadline) <= 0:
                break  # wrong credentials or certificates do not get better with retries
            time.sleep(min(0.2, remaining(deadline)))  # a client that fails at once (no such host)
            slice_seconds *= 2
    raise unavailable(target, last or TimeoutError("no answer"), timeout, seen.reason)


def connect_admin(target: KafkaTarget, timeout: float = 10.0) -> KafkaAdminClient:
    return bootstrapped(
        target,
        lambda bootstrap_ms: KafkaAdminClient(
            **kafka_python_config(target),
            client_id="stancewire-admin",
            request_timeout_ms=max(1000, int(timeout * 1000)),
            bootstrap_timeout_ms=bootstrap_ms,
        ),
        timeout,
    )


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
