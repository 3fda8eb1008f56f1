"""Dead letters always fit the producer's limit, and articles from too far in the future are refused."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import orjson
import pytest

from schemas import DeadLetter, decode, encode, utc_now
from streams.core.pipeline import DEAD_LETTER_KEY_BYTES, Origin, Pipeline, dead_letter, dead_letter_key
from streams.nlp.extract import FastExtractor
from streams.settings import Settings
from tests import factories

LIMIT = Settings().max_message_bytes()


def wire_size(letter: DeadLetter, key: bytes | None) -> int:
    return len(encode(letter)) + len(key or b"")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (b"x" * 3_000_000, b"k"),  # a 3 MB value
        (b"{bad", b"k" * 900_000),  # a 900 KB key with a bad value
        (b"y" * 50_000_000, None),  # what a small gzip bomb inflates to
        (bytes(range(256)) * 8000, b"\x00" * 2000),
    ],
)
def test_a_dead_letter_too_big_to_send_keeps_a_prefix_with_size_and_digest(value: bytes, key: bytes | None) -> None:
    letter = dead_letter(value, Origin("news.raw", 0, 7, key), "too_large", "big", max_bytes=LIMIT)
    kafka_key = dead_letter_key(key)
    assert wire_size(letter, kafka_key) <= LIMIT - 16 * 1024
    assert letter.truncated
    kept = base64.b64decode(letter.value_b64)
    assert value.startswith(kept) and len(kept) >= min(len(value), LIMIT // 2)
    assert letter.value_size == len(value) and letter.value_sha256 == hashlib.sha256(value).hexdigest()
    if key is not None:
        assert kafka_key == key[:DEAD_LETTER_KEY_BYTES]
        assert base64.b64decode(letter.key_b64 or "") == kafka_key
        assert letter.key_size == len(key) and letter.key_sha256 == hashlib.sha256(key).hexdigest()
    assert decode(encode(letter), DeadLetter) == letter


def test_a_dead_letter_that_fits_is_kept_whole() -> None:
    letter = dead_letter(b"{bad", Origin("news.raw", 1, 2, b"key"), "invalid_json", "no", max_bytes=LIMIT)
    assert not letter.truncated
    assert base64.b64decode(letter.value_b64) == b"{bad" and base64.b64decode(letter.key_b64 or "") == b"key"
    assert letter.value_size == 4 and letter.key_size == 3


def test_an_error_full_of_escapes_still_fits() -> None:
    origin = Origin("t", key=b"k" * 5000)
    letter = dead_letter(b"v" * 5_000_000, origin, "processing_error", "\x00" * 5000, max_bytes=LIMIT)
    assert wire_size(letter, dead_letter_key(b"k" * 5000)) <= LIMIT


def pipeline(**settings: object) -> Pipeline:
    return Pipeline(Settings(**settings), extractor=FastExtractor())


@pytest.mark.parametrize("value_size", [3_000_000, 50_000_000])
def test_an_oversized_record_is_a_bounded_too_large_dead_letter(value_size: int) -> None:
    p = pipeline()
    (outcome,) = p.extract_batch([(b"z" * value_size, Origin("news.raw", 0, 1, b"k"))])
    letter = outcome.dead_letter
    assert letter is not None and letter.reason == "too_large" and letter.truncated
    assert f"{value_size} bytes" in letter.error and letter.value_size == value_size
    assert wire_size(letter, b"k") <= p.settings.max_message_bytes()


def test_a_huge_key_with_a_bad_value_and_a_good_article_in_one_batch() -> None:
    p = pipeline()
    good = factories.article("Russia's foreign minister said the sanctions must end.", id="good")
    outcomes = p.extract_batch(
        [(b"{bad", Origin("news.raw", 0, 1, b"k" * 900_000)), (encode(good), Origin("news.raw", 0, 2, b"good"))]
    )
    assert outcomes[0].dead_letter is not None and outcomes[0].dead_letter.reason == "invalid_json"
    assert outcomes[0].dead_letter.truncated and outcomes[0].dead_letter.key_size == 900_000
    # read through streams.formats, the article says which format it came in
    assert outcomes[1].dead_letter is None and outcomes[1].article == good.model_copy(update={"format": "jsonl"})


def article_at(published_at: str) -> bytes:
    return orjson.dumps({**factories.article().model_dump(mode="json"), "published_at": published_at})


def test_an_article_from_too_far_in_the_future_is_an_invalid_record_naming_the_field() -> None:
    p = pipeline()
    (outcome,) = p.extract_batch([(article_at("9999-12-31T00:00:00Z"), Origin("news.raw"))])
    letter = outcome.dead_letter
    assert letter is not None and letter.reason == "invalid_record"
    assert letter.error.startswith("published_at:") and "max_future_seconds" in letter.error


def test_the_future_bound_is_a_setting() -> None:
    soon = (utc_now() + timedelta(hours=2)).isoformat()
    (outcome,) = pipeline().extract_batch([(article_at(soon), Origin("news.raw"))])
    assert outcome.dead_letter is None  # within the default day
    (outcome,) = pipeline(max_future_seconds=3600).extract_batch([(article_at(soon), Origin("news.raw"))])
    assert outcome.dead_letter is not None and outcome.dead_letter.reason == "invalid_record"
