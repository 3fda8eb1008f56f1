"""One sender per route type; `SENDERS` maps a route's `type` to its sender class."""

from streams.delivery.senders.base import Attempted, Backoff, DeliveryConfigError, SendContext, Sender
from streams.delivery.senders.file import FileSender
from streams.delivery.senders.http import SlackSender, WebhookSender

__all__ = [
    "SENDERS",
    "Attempted",
    "Backoff",
    "DeliveryConfigError",
    "FileSender",
    "SendContext",
    "Sender",
    "SlackSender",
    "WebhookSender",
]

SENDERS: dict[str, type[Sender]] = {"webhook": WebhookSender, "slack": SlackSender, "file": FileSender}
