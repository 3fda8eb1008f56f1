"""One typed settings object for the whole worker and CLI, read from `STANCEWIRE_*` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "TopicNames"]


class TopicNames:
    """The downstream topic of every stage, with the configured prefix applied."""

    def __init__(self, prefix: str = "") -> None:
        self.raw = f"{prefix}news.raw"
        self.statements = f"{prefix}news.statements"
        self.stances = f"{prefix}news.stances"
        self.changes = f"{prefix}stance.changes"
        self.alerts = f"{prefix}alerts"
        self.dlq = f"{prefix}news.dlq"
        self.alerts_dlq = f"{prefix}alerts.dlq"

    def all(self) -> list[str]:
        return [self.raw, self.statements, self.stances, self.changes, self.alerts, self.dlq, self.alerts_dlq]


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
    delivery_concurrency: int = Field(default=16, ge=1, description="Alert deliveries (HTTP requests) in flight.")
    web_enabled: bool = False
    web_port: int = 6066

    def commit_seconds(self) -> float:
        """`commit_interval`, or its default for the processing guarantee."""
        if self.commit_interval is not None:
            return self.commit_interval
        return 0.2 if self.processing_guarantee == "exactly_once" else 2.8

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
