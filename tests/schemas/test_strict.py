"""Strict types for what comes off a topic: ISO-8601 times only, no boolean for an int, no coercion."""

from __future__ import annotations

import orjson
import pytest

from schemas import DecodeError, RawArticle, StanceEvent, decode
from tests import factories


def raw(**changes: object) -> bytes:
    base = {"id": "a1", "headline": "H", "body": "B", "source": "wire", "published_at": "2025-09-04T10:00:00Z"}
    return orjson.dumps({**base, **changes})


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"published_at": 1_700_000_000}, "published_at", "ISO-8601"),
        ({"published_at": 1_700_000_000.5}, "published_at", "ISO-8601"),
        ({"published_at": "1700000000"}, "published_at", "ISO-8601"),
        ({"published_at": "2025-09-04"}, "published_at", "ISO-8601"),
        ({"published_at": "2025-09-04T10:00:00"}, "published_at", "timezone"),
        ({"published_at": True}, "published_at", "ISO-8601"),
        ({"published_at": "9999-12-31T23:00:00-14:00"}, "published_at", "out of range"),
        ({"published_at": "0001-01-01T00:00:00+14:00"}, "published_at", "out of range"),
        ({"schema_version": True}, "schema_version", "boolean"),
        ({"schema_version": 1.0}, "schema_version", "1"),
        ({"schema_version": "1"}, "schema_version", "1"),
        ({"version": True}, "version", "integer"),
        ({"version": "3"}, "version", "integer"),
        ({"id": 5}, "id", "string"),
        ({"url": 5}, "url", "string"),
        ({"headline": ["x"]}, "headline", "string"),
    ],
)
def test_wrong_types_are_refused_naming_the_field(changes: dict, field: str, says: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode(raw(**changes), RawArticle)
    assert err.value.reason == "invalid_record"
    assert str(err.value).startswith(f"{field}:") and says in str(err.value), str(err.value)


@pytest.mark.parametrize(
    "published_at",
    ["2025-09-04T10:00:00Z", "2025-09-04T12:00:00+02:00", "2025-09-04 10:00Z", "2025-09-04T10:00:00.123456+0000"],
)
def test_iso_times_with_a_zone_are_accepted(published_at: str) -> None:
    article = decode(raw(published_at=published_at), RawArticle)
    assert article.published_at.isoformat() == "2025-09-04T10:00:00+00:00" or article.published_at.microsecond


def test_records_built_in_process_still_validate() -> None:
    event = factories.stance_event()
    assert decode(orjson.dumps(event.model_dump(mode="json")), StanceEvent) == event
    # an int where a float is expected is still a number (JSON has one number type)
    assert decode(orjson.dumps({**event.model_dump(mode="json"), "score": 1}), StanceEvent).score == 1.0
