"""Two workers with a web token and advertised URLs: the API's routing goes to the owner's advertised URL
and carries the token, the fan-out too; without the token only /health answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.api import Health, StanceDetail, StancesResponse
from tests.kafka_fixtures import Worker, cli
from tests.web.helpers import DATA, free_port, wait_for

pytestmark = pytest.mark.kafka

PAIR = "/api/stances/HUN/sanctions-russia"
TOKEN = "route-token-51c0e7"


def get_json(url: str, token: str | None = TOKEN) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
def test_routing_uses_the_advertised_urls_and_the_token(
    start_worker: Callable[..., Worker],
    settings,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    ports = [free_port(), free_port()]
    # advertised as localhost (bound on 127.0.0.1): a URL no worker would make up by itself
    advertised = [f"http://localhost:{port}" for port in ports]
    workers = [
        start_worker(
            f"worker-{i}",
            web_enabled=True,
            web_port=port,
            web_advertised_url=advertised[i],
            web_token=TOKEN,
            data_dir=tmp_path / f"state-{i}",
        )
        for i, port in enumerate(ports)
    ]

    def split_between_both() -> bool:
        owned = []
        for base in advertised:
            status, body = get_json(base + "/health", token=None)  # probes need no token
            if status != 200:
                return False
            health = Health.model_validate(body)
            owned.append({p.partition for p in health.partitions if p.topic == settings.topics.stance_candidates})
        return len(owned[0]) == len(owned[1]) == 1 and owned[0] != owned[1]

    wait_for(split_between_both, 90, "both workers to hold one partition each")
    fed = cli("feed", str(DATA / "reversal.jsonl"), settings=settings)
    assert fed.returncode == 0, fed.stderr

    def answers() -> list[StanceDetail] | None:
        found = []
        for base in advertised:
            status, body = get_json(base + PAIR)
            if status != 200:
                return None
            detail = StanceDetail.model_validate(body)
            if not any(c.kind == "reversal" for c in detail.history):
                return None
            found.append(detail)
        return found

    first, second = wait_for(
        answers, 90, lambda: f"the pair from both workers: {[get_json(b + PAIR) for b in advertised]}"
    )
    assert first.served_by in advertised and second.served_by == first.served_by  # forwarded, with the token
    for base in advertised:
        status, body = get_json(base + "/api/stances")
        listing = StancesResponse.model_validate(body)
        assert status == 200 and sorted(listing.workers) == sorted(advertised) and not listing.unreachable
        assert get_json(base + PAIR, token=None)[0] == 401
        assert get_json(base + "/metrics", token="wrong")[0] == 401
    assert all(w.alive() for w in workers)
