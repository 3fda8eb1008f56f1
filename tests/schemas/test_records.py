"""The topic records and their orjson codec: round trips, UTC times, and every dead-letter reason."""

from datetime import UTC, datetime

import pytest

from schemas import DecodeError, RawArticle, StanceEvent, decode, encode
from schemas.jsonschema import schema_files


def article(**changes: object) -> dict:
    base = {
        "id": "a1",
        "headline": "H",
        "body": "B",
        "source": "wire",
        "published_at": "2025-09-04T10:00:00+02:00",
    }
    return {**base, **changes}


def test_round_trip_keeps_every_field_and_normalises_time_to_utc() -> None:
    raw = RawArticle.model_validate(article(url="https://example.org/a1", language="en"))
    again = decode(encode(raw), RawArticle)
    assert again == raw
    assert again.published_at == datetime(2025, 9, 4, 8, 0, tzinfo=UTC)
    assert again.published_at.utcoffset().total_seconds() == 0
    assert b'"schema_version":1' in encode(raw)


@pytest.mark.parametrize(
    ("data", "reason", "mentions"),
    [
        (b"\xff\xfe not utf-8", "invalid_utf8", "UTF-8"),
        (b'{"id": "a1", "headline": ', "invalid_json", "JSON"),
        (b"[1, 2, 3]", "invalid_record", "JSON object"),
        (b'{"id": "a1"}', "invalid_record", "headline"),
        (
            b'{"id": "a1", "headline": "h", "body": 5, "source": "s", "published_at": "2025-09-04T10:00:00Z"}',
            "invalid_record",
            "body",
        ),
        (
            b'{"id": "a1", "headline": "h", "body": "b", "source": "s", "published_at": "2025-09-04T10:00:00"}',
            "invalid_record",
            "timezone",
        ),
        (None, "invalid_json", "empty"),
    ],
)
def test_bad_bytes_raise_decode_error_with_reason(data: bytes | None, reason: str, mentions: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data, RawArticle)
    assert info.value.reason == reason
    assert mentions.lower() in str(info.value).lower()


def test_unknown_fields_are_rejected_not_dropped() -> None:
    with pytest.raises(DecodeError, match="surprise: Extra inputs"):
        decode(encode(RawArticle.model_validate(article()))[:-1] + b',"surprise":1}', RawArticle)


def test_stance_score_is_bounded() -> None:
    with pytest.raises(ValueError):
        StanceEvent(
            id="x",
            actor="RUS",
            topic="t",
            topic_label="T",
            stance="oppose",
            score=-1.5,
            statement_id="s",
            article_id="a",
            published_at=datetime.now(UTC),
            evidence="e",
        )


def test_json_schema_files_match_the_models(repo_root) -> None:  # noqa: ANN001
    for name, text in schema_files().items():
        path = repo_root / "schemas" / "json" / name
        assert path.exists(), f"{path} missing: run `stancewire schemas`"
        assert path.read_text("utf-8") == text, f"{path} is stale: run `stancewire schemas`"


def _stance(**changes: object) -> dict:
    base = {
        "id": "e1",
        "actor": "CHN",
        "topic": "peace-talks",
        "topic_label": "Peace talks and ceasefire",
        "stance": "oppose",
        "score": -0.8,
        "statement_id": "s1",
        "article_id": "a1",
        "published_at": "2025-09-04T10:00:00Z",
        "evidence": "We reject it.",
    }
    return {**base, **changes}


def test_stance_events_are_version_2_and_say_where_their_topic_came_from() -> None:
    event = StanceEvent.model_validate(_stance(topic="~arms-sale@TWN-USA", topic_source="open"))
    assert b'"schema_version":2' in encode(event) and b'"topic_source":"open"' in encode(event)
    assert decode(encode(event), StanceEvent) == event


def test_a_version_1_stance_event_still_decodes_as_a_taxonomy_topic() -> None:
    old = decode(orjson_bytes(_stance(schema_version=1)), StanceEvent)
    assert old.schema_version == 1 and old.topic_source == "taxonomy"
    with pytest.raises(DecodeError):
        decode(orjson_bytes(_stance(schema_version=3)), StanceEvent)


def orjson_bytes(data: dict) -> bytes:
    import orjson

    return orjson.dumps(data)
