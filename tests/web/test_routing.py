"""Two workers in one group: a pair's request is answered by the worker that owns its partition, whichever
worker it is sent to, and the stance listing gathers both workers' tables. With a web token and advertised
URLs, the routing goes to the owner's advertised URL and carries the token; without it only /health answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from schemas.api import Health, StanceDetail, StancesResponse
from tests.kafka_fixtures import Worker, cli
from tests.web.helpers import DATA, free_port, get_json, wait_for

pytestmark = pytest.mark.kafka

PAIR = "/api/stances/HUN/sanctions-russia"
TOKEN = "route-token-51c0e7"


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
@pytest.mark.parametrize("secured", [False, True], ids=["open", "token-and-advertised-urls"])
def test_a_pair_is_served_by_its_owner_from_either_worker(
    start_worker: Callable[..., Worker],
    settings,  # noqa: ANN001
    tmp_path: Path,
    secured: bool,
) -> None:
    ports = [free_port(), free_port()]
    token = TOKEN if secured else None
    # secured: advertised as localhost (bound on 127.0.0.1), a URL no worker would make up by itself
    bases = [f"http://{'localhost' if secured else '127.0.0.1'}:{port}" for port in ports]
    extra = [dict(web_advertised_url=base, web_token=TOKEN) if secured else {} for base in bases]
    workers = [
        start_worker(f"worker-{i}", web_enabled=True, web_port=port, data_dir=tmp_path / f"state-{i}", **extra[i])
        for i, port in enumerate(ports)
    ]
    seen: dict[str, object] = {}

    def split_between_both() -> bool:
        """Each worker healthy with one of the two news.stance-candidates partitions (the group has settled)."""
        owned = []
        for base in bases:
            status, body = get_json(base + "/health")  # probes need no token
            seen[base] = (status, body)
            if status != 200:
                return False
            health = Health.model_validate(body)
            owned.append({p.partition for p in health.partitions if p.topic == settings.topics.stance_candidates})
        return len(owned[0]) == len(owned[1]) == 1 and owned[0] != owned[1]

    wait_for(split_between_both, 90, lambda: f"both workers to hold one partition each; last /health: {seen}")
    fed = cli("feed", str(DATA / "reversal.jsonl"), settings=settings)
    assert fed.returncode == 0, fed.stderr

    def answers() -> list[StanceDetail] | None:
        found = []
        for base in bases:
            status, body = get_json(base + PAIR, token=token)
            if status != 200:
                return None
            detail = StanceDetail.model_validate(body)
            if not any(c.kind == "reversal" for c in detail.history):
                return None
            found.append(detail)
        return found

    def describe() -> str:
        return f"the pair from both workers: {[get_json(b + PAIR, token=token) for b in bases]}"

    first, second = wait_for(answers, 90, describe)
    owner = first.served_by
    assert owner in bases and second.served_by == owner  # the other worker forwarded the request (with the token)
    assert first == second
    assert first.current.stance == "support" and [c.kind for c in first.history] == ["new", "reversal"]

    for base in bases:  # the listing fans out: every worker's pairs, from either worker
        status, body = get_json(base + "/api/stances", token=token)
        listing = StancesResponse.model_validate(body)
        assert status == 200 and sorted(listing.workers) == sorted(bases) and not listing.unreachable
        assert listing.served_by == base
        assert any((p.actor, p.topic, p.stance) == ("HUN", "sanctions-russia", "support") for p in listing.stances)
        if secured:
            assert get_json(base + PAIR)[0] == 401
            assert get_json(base + "/metrics", token="wrong")[0] == 401
    assert all(w.alive() for w in workers)
