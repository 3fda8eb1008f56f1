"""Webhook signatures: HMAC-SHA256 over `f"{timestamp}.{body}"`, and the check receivers run.

A signed delivery carries two headers:

    X-Stancewire-Timestamp: 1757000000              (Unix seconds when it was sent)
    X-Stancewire-Signature: sha256=<hex digest>     (HMAC-SHA256, key = the route's secret)

The digest covers the timestamp and the exact body bytes, so a receiver that checks it with
`verify_signature` rejects a forged or altered body, and one that also bounds the timestamp's age
(`tolerance`) rejects a captured request replayed later. Receivers should verify against the raw
body bytes as received, before any JSON parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = [
    "ALERT_HEADER",
    "ATTEMPT_HEADER",
    "DELIVERY_HEADER",
    "KIND_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "sign",
    "verify_signature",
]

DELIVERY_HEADER = "X-Stancewire-Delivery"
ALERT_HEADER = "X-Stancewire-Alert"
KIND_HEADER = "X-Stancewire-Kind"
ATTEMPT_HEADER = "X-Stancewire-Attempt"
TIMESTAMP_HEADER = "X-Stancewire-Timestamp"
SIGNATURE_HEADER = "X-Stancewire-Signature"
_PREFIX = "sha256="


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def sign(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    """The `X-Stancewire-Signature` value: `sha256=` and the hex HMAC of `{timestamp}.{body}`."""
    message = f"{timestamp}.".encode() + body
    return _PREFIX + hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str | bytes,
    timestamp: str | int | None,
    body: bytes,
    signature: str | None,
    tolerance: float = 300.0,
    now: float | None = None,
) -> bool:
    """True only if `signature` is ours for this timestamp and body, and the timestamp is fresh.

    `timestamp` and `signature` are the `X-Stancewire-Timestamp` and `X-Stancewire-Signature` header
    values (None when absent: rejected); `body` the raw request bytes. A timestamp further than
    `tolerance` seconds from `now` (default: this machine's clock), in the past or the future, is a
    replay or a broken clock and is rejected. The comparison runs in constant time.

        from streams.delivery import verify_signature
        ok = verify_signature(os.environ["OPS_WEBHOOK_SECRET"], request.headers.get("X-Stancewire-Timestamp"),
                              raw_body, request.headers.get("X-Stancewire-Signature"), tolerance=300)
    """
    if timestamp is None or signature is None or not signature.startswith(_PREFIX):
        return False
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, str(timestamp), body), signature.strip())
