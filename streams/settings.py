"""One typed settings object for the whole worker and CLI, read from `STANCEWIRE_*` variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.topics import TOPICS, TopicNames

__all__ = ["Settings", "TopicNames"]  # TopicNames: re-exported from schemas.topics

_TOPIC_CHARS = re.compile(r"[^a-zA-Z0-9._-]")
MAX_TOPIC_NAME = 249  # Kafka's limit on a topic name
_LONGEST_TOPIC = max(len(spec.name) for spec in TOPICS)
_LONGEST_INTERNAL = len("-stance-history-changelog")  # app_id + this: the longest fixed changelog topic


def _topic_part(what: str, value: str, room: int, example: str) -> str:
    """`value` as part of Kafka topic names: only [a-zA-Z0-9._-], and short enough for the longest name."""
    if bad := sorted(set(_TOPIC_CHARS.findall(value))):
        shown = " ".join(repr(c) for c in bad[:5])
        raise ValueError(
            f"{what} may hold only ASCII letters, digits, '.', '_' and '-', as Kafka topic names do (found {shown})"
        )
    if len(value) > room:
        raise ValueError(
            f"{what} is {len(value)} characters; Kafka topic names are at most {MAX_TOPIC_NAME} and the longest "
            f"one, {example}, leaves it {room}"
        )
    return value


EMBEDDED_SESSION_TIMEOUT = 2.5
EMBEDDED_HEARTBEAT_INTERVAL = 0.5


class Settings(BaseSettings):
    """Every knob in one place; CLI options override the environment, which overrides defaults."""

    model_config = SettingsConfigDict(env_prefix="STANCEWIRE_", extra="ignore")

    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap URL such as kafka://host:9092; unset starts the embedded broker.",
    )
    app_id: str = "stancewire"
    topic_prefix: str = ""
    partitions: int = Field(default=4, ge=1, description="Partitions of every topic created at start-up.")
    replication_factor: int = Field(default=1, ge=1)
    processing_guarantee: Literal["at_least_once", "exactly_once"] = "at_least_once"
    store: Literal["auto", "rocksdb", "memory"] = Field(
        default="auto", description="Table store: rocksdb when rocksdict is installed (auto), or memory."
    )
    data_dir: Path = Path("var/stancewire")
    max_article_bytes: int = Field(default=1_000_000, ge=1024, description="Larger raw records are dead-lettered.")
    max_future_seconds: float = Field(
        default=86_400.0,
        ge=0.0,
        description="An article published further ahead of the worker's clock is dead-lettered (invalid_record).",
    )
    extractor: Literal["auto", "parsed", "fast"] = Field(
        default="auto", description="parsed (spaCy) when its model is installed (auto), or the fast rules."
    )
    extract_processes: int = Field(
        default=-1,
        ge=-1,
        description="Processes that run the extractor: 0 = a thread of the worker, N = a pool; -1 (auto) = 1 for "
        "the parsed extractor, 0 for the fast one.",
    )
    extract_batch: int = Field(default=16, ge=1, description="Articles extracted together (nlp.pipe batches).")
    extract_budget: float | None = Field(
        default=5.0,
        gt=0.0,
        description="Seconds one article may take in the extractor; past it the article is dead-lettered "
        "(over_budget) and the stream goes on. Unset: no budget.",
    )
    stance_budget: float | None = Field(
        default=2.0,
        gt=0.0,
        description="Seconds the stance step may take on one statement (it runs on the event loop); past it "
        "the statement is dead-lettered. Unset: no budget.",
    )
    taxonomy: Path | None = Field(default=None, description="Topic taxonomy YAML; the packaged default if unset.")
    rules: Path | None = Field(default=None, description="Alert rules YAML; the packaged default if unset.")
    shift_threshold: float = Field(default=0.5, gt=0.0, le=2.0, description="Score move that counts as a shift.")
    # Consumer-group timing. Tansu (embedded) holds a group join until the session timeout, so the
    # defaults are short; on Apache Kafka raise them if workers are slow to heartbeat.
    session_timeout: float = 10.0
    heartbeat_interval: float = 1.0
    rebalance_timeout: float = 10.0
    commit_interval: float | None = Field(
        default=None,
        gt=0.0,
        description="Seconds between offset commits; unset: 2.8 under at_least_once (Faust's), 0.2 under "
        "exactly_once, where an output is published only at its input's commit, so each hop waits up to one "
        "interval (Kafka Streams likewise commits every 100 ms under exactly-once).",
    )
    fetch_wait: float = Field(
        default=0.05,
        gt=0.0,
        le=5.0,
        description="Longest a consumer fetch waits for records, seconds. The embedded broker answers a fetch only "
        "when this wait expires (Faust's own is 1.5 s, per hop); Apache Kafka answers as soon as records arrive.",
    )
    delivery_concurrency: int = Field(default=16, ge=1, description="Alert deliveries (HTTP requests) in flight.")
    web_enabled: bool = False
    web_port: int = 6066
    web_max_event_streams: int = Field(
        default=100, ge=1, description="Live-view event streams (/api/events) served at once; more get 503."
    )

    @field_validator("topic_prefix")
    @classmethod
    def _valid_prefix(cls, value: str) -> str:
        longest = max((spec.name for spec in TOPICS), key=len)
        return _topic_part("topic_prefix", value, MAX_TOPIC_NAME - _LONGEST_TOPIC, f"the prefix + {longest!r}")

    @field_validator("app_id")
    @classmethod
    def _valid_app_id(cls, value: str) -> str:
        if not value:
            raise ValueError("app_id must not be empty")
        return _topic_part(
            "app_id", value, MAX_TOPIC_NAME - _LONGEST_INTERNAL, "the app id + '-stance-history-changelog'"
        )

    def on_embedded_broker(self, url: str) -> Settings:
        """These settings for the embedded broker at `url`, with its own defaults where none was given:

        - tables in memory: Tansu forgets every topic when it stops, and table state kept on disk from
          an earlier run would be ahead of its (now empty) changelog, which Faust refuses to start on;
        - a 2.5 s group session (0.5 s heartbeat): Tansu holds a consumer-group join until the session
          timeout, so a fresh worker's first output waits for it (10 s gave a first alert after ~9 s).
        """
        given = self.model_fields_set
        update: dict[str, object] = {"broker": url}
        if self.store == "auto":
            update["store"] = "memory"
        if "session_timeout" not in given:
            update["session_timeout"] = EMBEDDED_SESSION_TIMEOUT
        if "heartbeat_interval" not in given:
            update["heartbeat_interval"] = EMBEDDED_HEARTBEAT_INTERVAL
        return self.model_copy(update=update)

    def commit_seconds(self) -> float:
        """`commit_interval`, or its default for the processing guarantee."""
        if self.commit_interval is not None:
            return self.commit_interval
        return 0.2 if self.processing_guarantee == "exactly_once" else 2.8

    def max_message_bytes(self) -> int:
        """The producer's (and news.dlq's) record limit: an article at the limit, base64'd, in a dead letter."""
        return self.max_article_bytes * 4 // 3 + 64 * 1024

    def to_env(self) -> dict[str, str]:
        """These settings as STANCEWIRE_* variables, to hand them to a worker process."""
        data = self.model_dump(mode="json", exclude_none=True)
        return {f"STANCEWIRE_{key.upper()}": str(value) for key, value in data.items()}

    @property
    def topics(self) -> TopicNames:
        return TopicNames(self.topic_prefix)

    def bootstrap_servers(self) -> str:
        """`host:port[,host:port]` for kafka-python, from `kafka://host:port[;host:port]`."""
        if not self.broker:
            raise ValueError("no broker configured")
        url = self.broker.removeprefix("kafka://")
        return ",".join(part.strip() for part in url.replace(";", ",").split(",") if part.strip())

    def faust_broker_url(self) -> str:
        return "kafka://" + ";".join(self.bootstrap_servers().split(","))
