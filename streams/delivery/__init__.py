"""Alert delivery: webhook, Slack and file routes with signatures, retries, de-duplication and
throttling. No Faust here: `streams.runtime.agents.deliver` feeds a `Deliverer` from the `alerts` topic.
"""

from streams.delivery.deliverer import Backoff, Deliverer, DeliveryConfigError, DeliveryResult, Outcome
from streams.delivery.payloads import Digest, digest_json, slack_digest_payload, slack_payload, webhook_body
from streams.delivery.signing import (
    ALERT_HEADER,
    ATTEMPT_HEADER,
    DELIVERY_HEADER,
    KIND_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify_signature,
)
from streams.delivery.throttle import Throttler

__all__ = [
    "ALERT_HEADER",
    "ATTEMPT_HEADER",
    "DELIVERY_HEADER",
    "KIND_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Backoff",
    "Deliverer",
    "DeliveryConfigError",
    "DeliveryResult",
    "Digest",
    "Outcome",
    "Throttler",
    "digest_json",
    "sign",
    "slack_digest_payload",
    "slack_payload",
    "verify_signature",
    "webhook_body",
]
