"""orjson wire codec for the topic records, with failures sorted into dead-letter reasons."""

from __future__ import annotations

from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

__all__ = ["DecodeError", "decode", "describe_validation_error", "encode"]

M = TypeVar("M", bound=BaseModel)


class DecodeError(ValueError):
    """Bytes that are not a valid record; `reason` is one of DeadLetter's reasons."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def encode(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(mode="python"))


def decode(data: bytes | None, model: type[M]) -> M:
    """Parse and validate one record; raise DecodeError naming what is wrong, never anything else."""
    if data is None:
        raise DecodeError("invalid_json", "empty message (no value)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError("invalid_utf8", f"value is not UTF-8: {exc}") from None
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DecodeError("invalid_json", f"value is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise DecodeError("invalid_record", f"expected a JSON object, got {type(obj).__name__}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise DecodeError("invalid_record", describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, 'field: message', short enough for a log line or a dead letter."""
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "(record)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)
