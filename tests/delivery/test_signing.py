"""Signatures: what the sender computes, what `verify_signature` accepts and what it rejects."""

from __future__ import annotations

import time

from streams.delivery import sign, verify_signature

SECRET = "s3cret-key"
BODY = b'{"id":"abc","rule":"rev"}'


def test_a_fresh_signature_verifies() -> None:
    now = int(time.time())
    signature = sign(SECRET, now, BODY)
    assert signature.startswith("sha256=") and len(signature) == len("sha256=") + 64
    assert verify_signature(SECRET, str(now), BODY, signature)


def test_forgeries_and_replays_are_rejected() -> None:
    now = 1_757_000_000
    good = sign(SECRET, now, BODY)
    assert verify_signature(SECRET, now, BODY, good, tolerance=300, now=now + 299)
    assert not verify_signature(SECRET, now, BODY + b" ", good, now=now)  # tampered body
    assert not verify_signature(SECRET, now, BODY.replace(b"rev", b"REV"), good, now=now)
    assert not verify_signature("other-key", now, BODY, good, now=now)  # wrong key
    assert not verify_signature(SECRET, now + 1, BODY, good, now=now)  # timestamp swapped
    assert not verify_signature(SECRET, now, BODY, good, tolerance=300, now=now + 301)  # replayed later
    assert not verify_signature(SECRET, now, BODY, good, tolerance=300, now=now - 301)  # from the future
    assert not verify_signature(SECRET, None, BODY, good, now=now)
    assert not verify_signature(SECRET, now, BODY, None, now=now)
    assert not verify_signature(SECRET, "yesterday", BODY, good, now=now)
    assert not verify_signature(SECRET, now, BODY, good.removeprefix("sha256="), now=now)
