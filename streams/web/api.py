"""The JSON API: current stances (fanned out over the group), one pair (routed to its owner), alerts.

Routing: a pair's state lives in the `stance-state` (and `stance-history`) changelog partition that
its `actor|topic` key hashes to on `news.stance-candidates`, the track agent's input (murmur2 of the
raw key, as every producer does).
A request for a pair goes to the worker the partition assignor gave that partition, as Faust's
`@app.table_route` does; we look the owner up by the raw key ourselves because the tables encode
their keys as JSON, so Faust's router would hash `"actor|topic"` with its quotes.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import aiohttp
import faust
import orjson
from aiokafka.partitioner import DefaultPartitioner
from faust.web import Request, Response, View
from pydantic import BaseModel, ValidationError
from yarl import URL

from schemas import StanceChange, StanceSnapshot
from schemas.api import AlertsResponse, ApiError, PairStance, StanceDetail, StancesResponse
from streams.core.history import ChangeHistory
from streams.runtime.topics import HISTORY_TABLE, STANCE_TABLE
from streams.settings import Settings
from streams.web.auth import auth_headers
from streams.web.feed import LiveFeed

__all__ = ["json_response", "owner_of", "register"]

ROUTED_HEADER = "X-Stancewire-Routed"  # set on a request forwarded to the owner, so it is never forwarded again
FAN_OUT_TIMEOUT = 5.0


def json_response(view: View, model: BaseModel, status: int = 200) -> Response:
    return view.bytes(orjson.dumps(model.model_dump(mode="json")), content_type="application/json", status=status)


def error(view: View, status: int, message: str) -> Response:
    return json_response(view, ApiError(error=message), status)


def same_url(a: str | URL, b: str | URL) -> bool:
    a, b = URL(str(a)), URL(str(b))
    return (a.host, a.port) == (b.host, b.port)


def changelog_topic(settings: Settings, table: str) -> str:
    return f"{settings.app_id}-{table}-changelog"


def owner_of(app: faust.App, settings: Settings, key: str) -> str | None:
    """URL of the worker holding `key` of the stance tables (None while no assignment is known)."""
    partition = DefaultPartitioner()(key.encode(), list(range(settings.partitions)), [])
    topic = changelog_topic(settings, STANCE_TABLE)
    for url, topics in app.router.table_metadata(STANCE_TABLE).items():
        if partition in topics.get(topic, ()):
            return str(url)
    return None


def register(app: faust.App, settings: Settings, feed: LiveFeed, label: Any) -> None:
    """`label(topic_id) -> str` names topics (the taxonomy's labels)."""
    state = app.tables[STANCE_TABLE]
    history = ChangeHistory(app.tables[HISTORY_TABLE])
    # every worker of the group has the same token: requests to the others carry it
    token_headers = auth_headers(settings.web_token.get_secret_value() if settings.web_token else None)

    def me() -> str:
        return str(app.conf.canonical_url)

    def local_stances(actor: str | None, topic: str | None) -> list[PairStance]:
        found = []
        for key, value in list(state.items()):
            pair_actor, _, pair_topic = str(key).partition("|")
            if (actor and pair_actor != actor) or (topic and pair_topic != topic):
                continue
            snap = StanceSnapshot.model_validate(value)
            found.append(
                PairStance(actor=pair_actor, topic=pair_topic, topic_label=label(pair_topic), **snap.model_dump())
            )
        return found

    async def from_worker(url: str, query: dict[str, str]) -> list[PairStance]:
        async with app.http_client.get(
            URL(url).with_path("/api/stances").with_query({**query, "local": "1"}),
            headers=token_headers,
            timeout=aiohttp.ClientTimeout(total=FAN_OUT_TIMEOUT),
        ) as response:
            response.raise_for_status()
            return StancesResponse.model_validate_json(await response.read()).stances

    @app.page("/api/stances", name="stances")
    class Stances(View):
        """Current stances. `?local=1` answers from this worker's table only (what the fan-out asks)."""

        async def get(self, request: Request) -> Response:
            actor, topic = request.query.get("actor") or None, request.query.get("topic") or None
            pairs = {(p.actor, p.topic): p for p in local_stances(actor, topic)}
            workers, unreachable = [me()], []
            if not request.query.get("local"):
                others = [str(u) for u in app.router.table_metadata(STANCE_TABLE) if not same_url(u, me())]
                query = {k: v for k, v in (("actor", actor), ("topic", topic)) if v}
                answers = await asyncio.gather(*(from_worker(u, query) for u in others), return_exceptions=True)
                for url, answer in zip(others, answers, strict=True):
                    if isinstance(answer, BaseException):
                        unreachable.append(url)
                        continue
                    workers.append(url)
                    for pair in answer:  # a standby copy may lag its owner: keep the newest
                        held = pairs.get((pair.actor, pair.topic))
                        if held is None or pair.published_at > held.published_at:
                            pairs[(pair.actor, pair.topic)] = pair
            stances = sorted(pairs.values(), key=lambda p: (p.actor, p.topic))
            articles = {p.article_id: ref for p in stances if (ref := feed.article(p.article_id)) is not None}
            body = StancesResponse(
                served_by=me(),
                count=len(stances),
                stances=stances,
                workers=workers,
                unreachable=unreachable,
                articles={} if request.query.get("local") else articles,
            )
            return json_response(self, body)

    @app.page("/api/stances/{actor}/{topic}", name="stance")
    class Stance(View):
        """One pair, answered by the worker that owns its partition (forwarded there if need be)."""

        async def get(self, request: Request, actor: str, topic: str) -> Response:
            key = f"{actor}|{topic}"
            owner = owner_of(app, settings, key)
            if owner is not None and not same_url(owner, me()) and not request.headers.get(ROUTED_HEADER):
                return await forward(self, request, owner)
            stored = state.get(key)
            if stored is None:
                return error(self, 404, f"no stance of {actor} on {topic}")
            current = StanceSnapshot.model_validate(stored)
            changes = [StanceChange.model_validate(c) for c in history.changes(key)]
            ids = {current.article_id, *(c.current.article_id for c in changes)}
            ids |= {c.previous.article_id for c in changes if c.previous}
            body = StanceDetail(
                served_by=me(),
                actor=actor,
                topic=topic,
                topic_label=label(topic),
                current=current,
                history=changes,
                articles={i: ref for i in sorted(ids) if (ref := feed.article(i)) is not None},
            )
            return json_response(self, body)

    async def forward(view: View, request: Request, owner: str) -> Response:
        url = URL(owner).with_path(request.path).with_query(request.query)
        try:
            async with app.http_client.get(
                url,
                headers={ROUTED_HEADER: me(), **token_headers},
                timeout=aiohttp.ClientTimeout(total=FAN_OUT_TIMEOUT),
            ) as response:
                return view.bytes(await response.read(), content_type="application/json", status=response.status)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return error(view, 503, f"owner {owner} did not answer: {type(exc).__name__}")

    @app.page("/api/alerts", name="alerts")
    class Alerts(View):
        """Recent alerts from every partition (see `streams.web.feed`), newest first."""

        async def get(self, request: Request) -> Response:
            try:
                since = datetime.fromisoformat(request.query["since"]) if request.query.get("since") else None
                limit = int(request.query.get("limit", "100"))
                body = AlertsResponse(served_by=me(), since=since, count=0, alerts=[])
            except (ValueError, ValidationError):
                return error(self, 400, "since must be an ISO-8601 time with a timezone; limit an integer")
            alerts = feed.recent_alerts(body.since, max(1, min(limit, feed.size)))
            return json_response(self, body.model_copy(update={"count": len(alerts), "alerts": alerts}))
