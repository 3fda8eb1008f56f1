"""Topic administration with kafka-python: create every topic explicitly, with its partition count.

Auto-created topics on Tansu get a partition count Faust does not expect (PartitionsMismatch), and
on Apache Kafka they get the broker default; either way the worker must not depend on them.
"""

from __future__ import annotations

import time

from kafka import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError

__all__ = ["BrokerUnavailable", "connect_admin", "ensure_topics", "remaining"]


class BrokerUnavailable(RuntimeError):
    """The broker did not answer within the allowed time."""


def remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def connect_admin(bootstrap: str, timeout: float = 10.0) -> KafkaAdminClient:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            return KafkaAdminClient(
                bootstrap_servers=bootstrap,
                client_id="stancewire-admin",
                request_timeout_ms=max(1000, int(timeout * 1000)),
                bootstrap_timeout_ms=max(1000, int(remaining(deadline) * 1000)),
            )
        except (KafkaError, OSError) as exc:
            last = exc
            time.sleep(0.2)
    raise BrokerUnavailable(f"no Kafka broker answered at {bootstrap} within {timeout:.0f}s ({last})")


def ensure_topics(
    bootstrap: str,
    topics: dict[str, int],
    replication_factor: int = 1,
    configs: dict[str, dict[str, str]] | None = None,
    timeout: float = 10.0,
) -> list[str]:
    """Create the topics that do not exist yet (name → partitions); return the names created.

    An existing topic with fewer partitions than asked for is an error: Faust would fail later with
    a less helpful message.
    """
    admin = connect_admin(bootstrap, timeout)
    try:
        existing = _partition_counts(admin, list(topics))
        for name, count in existing.items():
            if count < topics[name]:
                raise ValueError(
                    f"topic {name!r} exists with {count} partitions, but {topics[name]} are configured; "
                    "use a new topic prefix or lower --partitions"
                )
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
