"""How far a consumer group is behind: what `demo` and the tests wait on instead of sleeping."""

from __future__ import annotations

from kafka import KafkaConsumer, TopicPartition

from streams.broker.admin import connect_admin
from streams.broker.security import KafkaTarget, kafka_python_config

__all__ = ["group_lag"]


def group_lag(target: KafkaTarget, group: str, topics: list[str]) -> int | None:
    """Records in `topics` not yet committed by `group`; None while the group has committed nothing."""
    admin = connect_admin(target)
    consumer = KafkaConsumer(**kafka_python_config(target), group_id=None, client_id="stancewire-lag")
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        ends = consumer.end_offsets(partitions)
        committed = admin.list_group_offsets({group: partitions}).get(group, {})
        if not any(m is not None and m.offset >= 0 for m in committed.values()) and any(ends.values()):
            return None
        lag = 0
        for tp, end in ends.items():
            meta = committed.get(tp)
            done = meta.offset if meta is not None and meta.offset >= 0 else 0
            lag += max(0, end - done)
        return lag
    finally:
        consumer.close()
        admin.close()
