"""Alert delivery: webhook, Slack and file routes with signatures, retries, de-duplication and
throttling. No Faust here: `streams.runtime.agents.deliver` feeds a `Deliverer` from the `alerts` topic.
"""

from importlib import import_module
from typing import Any

# Re-exported lazily (PEP 562): `streams.core.alerting` imports `streams.delivery.routes`, and
# importing this package must not pull in aiohttp and the deliverer for that.
_FROM = {
    "streams.delivery.deliverer": ("Backoff", "Deliverer", "DeliveryConfigError", "DeliveryResult", "Outcome"),
    "streams.delivery.payloads": ("Digest", "digest_json", "slack_digest_payload", "slack_payload", "webhook_body"),
    "streams.delivery.signing": (
        "ALERT_HEADER",
        "ATTEMPT_HEADER",
        "DELIVERY_HEADER",
        "KIND_HEADER",
        "SIGNATURE_HEADER",
        "TIMESTAMP_HEADER",
        "sign",
        "verify_signature",
    ),
    "streams.delivery.throttle": ("Throttler",),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_MODULE_OF[name]), name)


__all__ = sorted(_MODULE_OF)  # the names above, each imported on first use
