"""The worker's logging: text (as Faust prints it) or JSON lines, and Faust's own chatter kept down.

`STANCEWIRE_LOG_FORMAT=json` writes one JSON object per line to stderr: `time` (UTC ISO-8601), `level`,
`logger`, `message`, every extra field given to the call (`log.info("...", extra={"topic": t})`), and
`exc_info` with the traceback when there is one. The libraries under the worker (Faust, mode, aiokafka,
kafka-python, aiohttp) log at WARNING and above unless the level is debug; Stancewire's own loggers
(`stancewire.*`) log at the level asked for.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

__all__ = ["LIBRARY_LOGGERS", "JsonFormatter", "Redact", "logging_config"]

# Faust's services log under their module's name, so our subclasses of them (corrections/) count as Faust.
LIBRARY_LOGGERS = ("faust", "mode", "aiokafka", "kafka", "aiohttp", "asyncio", "streams.runtime.corrections")

# Attributes every LogRecord has: whatever else a record carries came from `extra=`.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=str).decode()


class Redact(logging.Filter):
    """Masks the configured secrets in every message: kafka-python logs its whole client configuration, the
    SASL password included, at debug level."""

    def __init__(self, secrets: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(secret in message for secret in self.secrets):
                for secret in self.secrets:
                    message = message.replace(secret, "**********")
                record.msg, record.args = message, None
        return True


def logging_config(level: str, fmt: str = "text", secrets: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """A `logging.config.dictConfig` mapping (what Faust's Worker takes as `logging_config`); `secrets` are
    masked wherever a message would show them."""
    level = level.upper()
    library_level = "DEBUG" if level == "DEBUG" else "WARNING"
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"redact": {"()": f"{__name__}.Redact", "secrets": list(secrets)}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["redact"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level, "handlers": ["default"]},
        "loggers": {
            "stancewire": {"level": level},
            **{name: {"level": library_level} for name in LIBRARY_LOGGERS},
        },
    }
