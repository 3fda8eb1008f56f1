"""Responses of the worker's HTTP API (`streams/web`), documented in `schemas/openapi.json`.

The OpenAPI file is generated from these models and the route table in `schemas.openapi`
(`stancewire openapi`), and a test fails when it drifts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.records import Alert, StanceChange, StanceSnapshot, StanceValue, UtcDatetime

__all__ = [
    "AlertsResponse",
    "ApiError",
    "ArticleRef",
    "Health",
    "PartitionLag",
    "StageLag",
    "PairStance",
    "StanceDetail",
    "StancesResponse",
]


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PairStance(ApiModel):
    """The current stance of one actor on one topic (a row of the `stance-state` table)."""

    actor: str
    topic: str
    topic_label: str = Field(description="The taxonomy's label of the topic (its id when unknown).")
    stance: StanceValue
    score: float = Field(ge=-1.0, le=1.0)
    statement_id: str
    article_id: str
    published_at: UtcDatetime = Field(description="Publication time of the article the stance rests on.")
    evidence: str
    article_version: int | None = Field(default=None, ge=0, description="That article's version, when it has one.")


class ArticleRef(ApiModel):
    """What the live view shows of an article: from `news.raw`, as the worker's live feed last read it."""

    id: str
    headline: str
    source: str
    url: str | None = None
    published_at: UtcDatetime


class StancesResponse(ApiModel):
    """`GET /api/stances`: current stances, optionally filtered by actor and/or topic."""

    served_by: str = Field(description="Canonical URL of the worker that answered.")
    count: int
    stances: list[PairStance] = Field(description="Sorted by actor, then topic.")
    workers: list[str] = Field(description="Workers whose tables were read (every worker in the group).")
    unreachable: list[str] = Field(
        default_factory=list, description="Workers that did not answer: their pairs are missing (partial result)."
    )
    articles: dict[str, ArticleRef] = Field(
        default_factory=dict,
        description="The articles the stances rest on, by id, as far as the answering worker's live feed has read "
        "them (recent articles of news.raw).",
    )


class StanceDetail(ApiModel):
    """`GET /api/stances/{actor}/{topic}`: one pair's current stance and its recent changes."""

    served_by: str = Field(description="Canonical URL of the worker that owns the pair's partition.")
    actor: str
    topic: str
    topic_label: str
    current: StanceSnapshot
    history: list[StanceChange] = Field(description="The pair's most recent changes (up to 50), oldest first.")
    articles: dict[str, ArticleRef] = Field(
        default_factory=dict,
        description="The articles of the current stance and of the history, by id, as far as this worker's live "
        "feed has read them (recent articles of news.raw).",
    )


class AlertsResponse(ApiModel):
    """`GET /api/alerts`: recent alerts from every partition of the alerts topic, newest first."""

    served_by: str
    since: UtcDatetime | None = Field(default=None, description="Only alerts created after this instant.")
    count: int
    alerts: list[Alert]


class PartitionLag(ApiModel):
    topic: str
    partition: int
    end_offset: int = Field(description="The partition's high watermark.")
    committed: int | None = Field(description="The group's committed offset on this worker (next to read).")
    lag: int


class StageLag(ApiModel):
    """One stage of the pipeline for the whole consumer group: an agent's input topic, all partitions."""

    stage: str = Field(
        description="The agent: extract, track, alert-statements, alert-stances, alert-contested or deliver."
    )
    topic: str = Field(description="The stage's input topic.")
    partitions: int
    waiting: int = Field(description="Records on the topic the group has not committed yet.")
    consumed: bool = Field(description="Whether the group has committed anything on the topic yet.")
    drain_rate: float | None = Field(description="Records per second the group commits (null: not measured yet).")
    arrival_rate: float | None = Field(description="Records per second added to the topic.")
    eta_seconds: float | None = Field(
        description="Seconds until the stage has caught up at these rates: 0 when nothing waits, null when it is "
        "not catching up or not measured yet."
    )


class Health(ApiModel):
    """`GET /health`: 200 when the broker answers and this worker has partitions assigned, else 503."""

    status: Literal["ok", "unassigned", "broker_unreachable"]
    served_by: str
    broker_reachable: bool
    rebalancing: bool
    assigned_partitions: int = Field(description="Input-topic partitions assigned to this worker.")
    lag: int | None = Field(description="Total consumer lag over those partitions (null when not measurable).")
    partitions: list[PartitionLag]
    stages: list[StageLag] = Field(
        default_factory=list,
        description="Per stage, for the whole group: records waiting, drain rate and time to catch up "
        "(sampled every 5 s; empty until the first sample).",
    )
    error: str | None = None


class ApiError(ApiModel):
    """Any 4xx/5xx answer of the API."""

    error: str
