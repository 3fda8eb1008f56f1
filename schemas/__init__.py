"""Stancewire's topic contract: pydantic v2 records and their orjson wire codec."""

from schemas.codec import DecodeError, decode, describe_validation_error, encode
from schemas.records import (
    Alert,
    DeadLetter,
    DeliveryFailure,
    RawArticle,
    Record,
    Speaker,
    StanceChange,
    StanceEvent,
    StanceSnapshot,
    Statement,
    utc_now,
)

__all__ = [
    "Alert",
    "DeadLetter",
    "DecodeError",
    "DeliveryFailure",
    "RawArticle",
    "Record",
    "Speaker",
    "StanceChange",
    "StanceEvent",
    "StanceSnapshot",
    "Statement",
    "decode",
    "describe_validation_error",
    "encode",
    "utc_now",
]
