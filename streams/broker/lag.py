"""How far the worker's consumer group is behind, per stage: `stancewire lag`, `/health`, the metrics, the demo.

A stage is an agent and its input topic (`stages_of`): `news.raw` (extract, which also finds the stance
candidates), `news.stance-candidates` (track, which passes each story's stance events on to `news.stances`
once and decides each change's alerts), and the alert agents the rules call for: `news.statements`
(statement rules), `news.stances` (spike rules counting stances), `stance.changes.by-topic` (contested
rules) and `alerts` (deliver, when a rule has routes). No agent of the group reads `stance.changes`.
Its *waiting* records are the topic's end offsets minus the group's committed offsets, summed over
partitions. Two samples some seconds apart give the rate the group drains the stage at (committed
offsets moving) and the rate records arrive (end offsets moving); the time to catch up is
waiting / (drain − arrival), when that is positive.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass

from kafka import KafkaConsumer, TopicPartition

from streams.broker.admin import connect_admin
from streams.broker.security import KafkaTarget, kafka_python_config
from streams.settings import Settings

__all__ = ["LagMonitor", "StageLag", "StageSample", "group_lag", "stage_lags", "stages_of"]


def stages_of(settings: Settings, deliver: bool = True) -> list[tuple[str, str]]:
    """(stage, topic name) of every agent the worker runs with its rules (`settings.rules`), in pipeline
    order, with the configured prefix; `deliver=False` leaves out the deliver stage even when a rule has
    routes (a worker started without delivery)."""
    from streams.core.alerting import AlertRules  # the rules decide which alert agents run

    rules = AlertRules.load(settings.rules)
    names = settings.topics
    wanted = [
        ("extract", names.raw, True),
        ("track", names.stance_candidates, True),
        ("alert-statements", names.statements, rules.reads_statements),
        ("alert-stances", names.stances, rules.reads_stances),
        ("alert-contested", names.topic_changes, bool(rules.contested_rules)),
        ("deliver", names.alerts, deliver and rules.routed),
    ]
    return [(stage, topic) for stage, topic, runs in wanted if runs]


@dataclass(frozen=True, slots=True)
class StageSample:
    """One stage at one instant: offsets summed over the topic's partitions."""

    stage: str
    topic: str
    partitions: int
    end: int
    committed: int | None  # None: the group has committed nothing on this topic yet
    at: float  # time.monotonic()

    @property
    def waiting(self) -> int:
        """Records not yet committed (every record, while the group has committed nothing)."""
        return max(0, self.end - (self.committed or 0))


@dataclass(frozen=True, slots=True)
class StageLag:
    stage: str
    topic: str
    partitions: int
    waiting: int
    consumed: bool  # the group has committed something on the topic
    drain_rate: float | None  # records/s the group commits (None: one sample only)
    arrival_rate: float | None  # records/s added to the topic
    eta_seconds: float | None  # time to catch up: 0 when nothing waits, None when not catching up or unknown

    def as_dict(self) -> dict:
        return asdict(self)


def stage_lags(now: list[StageSample], before: list[StageSample] | None = None) -> list[StageLag]:
    """Waiting records per stage, and with an earlier sample the rates and the time to catch up."""
    earlier = {s.stage: s for s in before or ()}
    lags = []
    for sample in now:
        prev = earlier.get(sample.stage)
        drain = arrival = eta = None
        if prev is not None and sample.at - prev.at > 0:
            seconds = sample.at - prev.at
            drain = max(0.0, ((sample.committed or 0) - (prev.committed or 0)) / seconds)
            arrival = max(0.0, (sample.end - prev.end) / seconds)
        if sample.waiting == 0:
            eta = 0.0
        elif drain is not None and arrival is not None and drain > arrival:
            eta = sample.waiting / (drain - arrival)
        lags.append(
            StageLag(
                stage=sample.stage,
                topic=sample.topic,
                partitions=sample.partitions,
                waiting=sample.waiting,
                consumed=sample.committed is not None,
                drain_rate=None if drain is None else round(drain, 2),
                arrival_rate=None if arrival is None else round(arrival, 2),
                eta_seconds=None if eta is None else round(eta, 1),
            )
        )
    return lags


class LagMonitor:
    """Samples a group's offsets on every stage with one admin client and one consumer (kafka-python).

    Thread-safe (a lock around the clients), so the worker samples it from a thread. Keeps the last
    minute of samples: `lags()` measures rates against the oldest one at least `min_interval` old.
    """

    def __init__(
        self, target: KafkaTarget, group: str, stages: list[tuple[str, str]], keep_seconds: float = 60.0
    ) -> None:
        self.bootstrap, self.group, self.stages = target, group, stages  # Settings (SASL/TLS) or host:port
        self.keep_seconds = keep_seconds
        self._lock = threading.Lock()
        self._admin = None
        self._consumer: KafkaConsumer | None = None
        self._history: deque[list[StageSample]] = deque()

    def _clients(self) -> tuple[object, KafkaConsumer]:
        if self._admin is None or self._consumer is None:
            self.close()
            self._admin = connect_admin(self.bootstrap)
            self._consumer = KafkaConsumer(
                **kafka_python_config(self.bootstrap), group_id=None, client_id="stancewire-lag"
            )
        return self._admin, self._consumer

    def sample(self) -> list[StageSample]:
        """Offsets of every stage now (and remembered for the rates); raises the client's error on failure."""
        with self._lock:
            try:
                admin, consumer = self._clients()
                by_topic = {
                    topic: [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
                    for _, topic in self.stages
                }
                partitions = [tp for tps in by_topic.values() for tp in tps]
                ends = consumer.end_offsets(partitions) if partitions else {}
                committed = admin.list_group_offsets({self.group: partitions}).get(self.group, {}) if partitions else {}
            except Exception:
                self.close()  # reconnect next time
                raise
            at = time.monotonic()
            samples = []
            for stage, topic in self.stages:
                tps = by_topic[topic]
                done = [committed.get(tp) for tp in tps]
                offsets = [m.offset for m in done if m is not None and m.offset is not None and m.offset >= 0]
                # a partition the group never committed counts from 0 (its every record is waiting)
                total = sum((m.offset if m is not None and m.offset is not None and m.offset >= 0 else 0) for m in done)
                samples.append(
                    StageSample(
                        stage=stage,
                        topic=topic,
                        partitions=len(tps),
                        end=sum(int(ends.get(tp) or 0) for tp in tps),
                        committed=total if offsets else None,
                        at=at,
                    )
                )
            self._history.append(samples)
            while self._history and at - self._history[0][0].at > self.keep_seconds:
                self._history.popleft()
            return samples

    def lags(self, min_interval: float = 2.0) -> list[StageLag]:
        """A new sample, with rates against the oldest remembered sample at least `min_interval` older."""
        now = self.sample()
        before = next(
            (old for old in self._history if old and now and now[0].at - old[0].at >= min_interval),
            None,
        )
        return stage_lags(now, before)

    def close(self) -> None:
        for client in (self._consumer, self._admin):
            if client is not None:
                with contextlib.suppress(Exception):  # closing a broken client
                    client.close()
        self._admin = self._consumer = None

    def __enter__(self) -> LagMonitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
