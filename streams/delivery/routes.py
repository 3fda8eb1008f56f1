"""Route settings of an alert rule (webhook, slack, file) and their throttle, as the rules file writes them.

Webhook and Slack URLs and signing keys are never written in the file: a route names the environment
variables that hold them (`url_env`, `secret_env`). Each route type has its sender in `senders/`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from streams.core.durations import Duration

__all__ = ["FileRoute", "Route", "SlackRoute", "Throttle", "WebhookRoute"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MIN_TIMEOUT = timedelta(seconds=0.1)  # aiohttp takes 0 as "no timeout": a hung receiver would hold a delivery
MAX_TIMEOUT = timedelta(minutes=5)
_SECRET_KEYS = ("url", "secret", "key", "token", "webhook_url", "signing_key")


def _env_name(value: object) -> object:
    if isinstance(value, str) and not _ENV_NAME.match(value):
        # the value is not echoed: it may be the very secret that was pasted here
        raise ValueError("must name an environment variable (like OPS_WEBHOOK_URL), not hold the URL or key itself")
    return value


EnvName = Annotated[str, BeforeValidator(_env_name)]


class Throttle(BaseModel):
    """At most `max` alerts per `window` on one route of one rule; the rest fold into one digest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max: int = Field(ge=1)
    window: Duration

    @model_validator(mode="after")
    def _positive_window(self) -> Throttle:
        if self.window <= timedelta(0):
            raise ValueError("throttle window must be positive")
        return self


class _RouteBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, min_length=1, description="Unique within the rule; derived when unset.")
    throttle: Throttle | None = Field(default=None, description="Overrides the rule's throttle for this route.")


class _HttpRoute(_RouteBase):
    url_env: EnvName = Field(description="The environment variable holding the URL.")
    timeout: Duration = Field(default=timedelta(seconds=5), description="Per request.")
    max_attempts: int = Field(default=5, ge=1, le=20, description="Attempts in all, the first included.")

    @field_validator("timeout")
    @classmethod
    def _bounded_timeout(cls, value: timedelta) -> timedelta:
        if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
            raise ValueError(
                f"timeout must be between {MIN_TIMEOUT.total_seconds():g}s and {MAX_TIMEOUT.total_seconds():g}s "
                f"(got {value.total_seconds():g}s; 0 would mean no timeout at all)"
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            literal = [key for key in _SECRET_KEYS if key in data]
            if literal:
                raise ValueError(
                    f"{data.get('type', 'http')} routes never hold a URL or key in the rules file ("
                    f"{', '.join(f'`{k}:`' for k in literal)} given): put it in an environment variable and "
                    "name the variable with `url_env:` (and `secret_env:` for a webhook signing key)"
                )
        return data

    @property
    def label(self) -> str:
        return self.name or f"{self.type}:{self.url_env}"  # type: ignore[attr-defined]


class WebhookRoute(_HttpRoute):
    """HTTP POST of the alert as JSON, signed with HMAC-SHA256 when `secret_env` is set."""

    type: Literal["webhook"]
    secret_env: EnvName | None = Field(default=None, description="The environment variable holding the HMAC key.")


class SlackRoute(_HttpRoute):
    """A Slack incoming webhook: a readable message (actor, topic, stance move, evidence, link)."""

    type: Literal["slack"]


class FileRoute(_RouteBase):
    """JSON lines appended to `path` (relative to the worker's working directory), for archiving."""

    type: Literal["file"]
    path: Path

    @property
    def label(self) -> str:
        return self.name or f"file:{self.path}"


Route = Annotated[WebhookRoute | SlackRoute | FileRoute, Field(discriminator="type")]
