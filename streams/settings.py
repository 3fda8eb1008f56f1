"""One typed settings object for the whole worker and CLI, read from `STANCEWIRE_*` variables."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from pydantic import BeforeValidator, Field, SecretStr, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.topics import TOPICS, TopicNames
from streams.core.durations import Duration

__all__ = [
    "SECRETS",
    "Settings",
    "TopicNames",
    "settings_error",
]  # TopicNames: re-exported from schemas.topics


# Secret settings and the setting naming a file that holds each (read at start, never logged).
SECRETS = {
    "sasl_password": "sasl_password_file",
    "ssl_key_password": "ssl_key_password_file",
    "web_token": "web_token_file",
}


def _retention_ms(value: Any) -> Any:
    """retention.ms from milliseconds or a duration ('7d', '12h'); -1 keeps records forever."""
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        return int(TypeAdapter(Duration).validate_python(value).total_seconds() * 1000)
    return value


class ChildEnv(dict[str, str]):
    """Environment variables for a child worker: printing the mapping never shows a secret."""

    def __repr__(self) -> str:
        hidden = {f"STANCEWIRE_{name.upper()}" for name in SECRETS}
        return repr({k: "**********" if k in hidden else v for k, v in self.items()})

    __str__ = __repr__


_TOPIC_CHARS = re.compile(r"[^a-zA-Z0-9._-]")
MAX_TOPIC_NAME = 249  # Kafka's limit on a topic name
_LONGEST_TOPIC = max(len(spec.name) for spec in TOPICS)
_LONGEST_INTERNAL = len("-alert-last-fired-changelog")  # app_id + this: the longest fixed changelog topic


def _topic_part(what: str, value: str, room: int, example: str) -> str:
    """`value` as part of Kafka topic names: only [a-zA-Z0-9._-], and short enough for the longest name."""
    if bad := sorted(set(_TOPIC_CHARS.findall(value))):
        shown = " ".join(repr(c) for c in bad[:5])
        raise ValueError(
            f"{what} may hold only ASCII letters, digits, '.', '_' and '-', as Kafka topic names do (found {shown})"
        )
    if len(value) > room:
        raise ValueError(
            f"{what} is {len(value)} characters; Kafka topic names are at most {MAX_TOPIC_NAME} and the longest "
            f"one, {example}, leaves it {room}"
        )
    return value


# Tansu holds a group join for half the session timeout, rounded up to a whole second (measured:
# 2.0 s -> 1 s, 2.1-2.5 s -> 2 s, 6 s -> 3 s), and a fresh worker's first output waits for its join.
EMBEDDED_SESSION_TIMEOUT = 2.0
EMBEDDED_HEARTBEAT_INTERVAL = 0.5


class Settings(BaseSettings):
    """Every knob in one place; CLI options override the environment, which overrides defaults."""

    # "null" reads as None, so a child process can be handed a setting turned off (`to_env`)
    model_config = SettingsConfigDict(env_prefix="STANCEWIRE_", extra="ignore", env_parse_none_str="null")

    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap URL such as kafka://host:9092; unset starts the embedded broker.",
    )
    app_id: str = "stancewire"
    topic_prefix: str = ""
    partitions: int = Field(default=4, ge=1, description="Partitions of every topic created at start-up.")
    processing_guarantee: Literal["at_least_once", "exactly_once"] = "at_least_once"
    store: Literal["auto", "rocksdb", "memory"] = Field(
        default="auto", description="Table store: rocksdb when rocksdict is installed (auto), or memory."
    )
    data_dir: Path = Path("var/stancewire")
    max_article_bytes: int = Field(default=1_000_000, ge=1024, description="Larger raw records are dead-lettered.")
    max_future_seconds: float = Field(
        default=86_400.0,
        ge=0.0,
        description="An article published further ahead of the worker's clock is dead-lettered (invalid_record).",
    )
    extractor: Literal["auto", "parsed", "fast"] = Field(
        default="auto", description="parsed (spaCy) when its model is installed (auto), or the fast rules."
    )
    extract_processes: int = Field(
        default=-1,
        ge=-1,
        description="Processes that run the extractor: 0 = a thread of the worker, N = a pool; -1 (auto) = 1 for "
        "the parsed extractor, and for the fast one 1 on two cores or more, 0 (a thread) on one.",
    )
    extract_batch: int = Field(default=16, ge=1, description="Articles extracted together (nlp.pipe batches).")
    extract_budget: float | None = Field(
        default=5.0,
        gt=0.0,
        description="Seconds one article may take in the extractor; past it the article is dead-lettered "
        "(over_budget) and the stream goes on. Unset: no budget.",
    )
    stance_budget: float | None = Field(
        default=2.0,
        gt=0.0,
        description="Seconds the stance step may take on one statement (it runs on the event loop); past it "
        "the statement is dead-lettered. Unset: no budget.",
    )
    parsed_reload_words: int = Field(
        default=500_000,
        ge=0,
        description="The parsed extractor loads its spaCy pipeline again after this many new words (each batch's "
        "words are freed, but spaCy's hash tables keep their room); 0: never.",
    )
    taxonomy: Path | None = Field(default=None, description="Topic taxonomy YAML; the packaged default if unset.")
    rules: Path | None = Field(default=None, description="Alert rules YAML; the packaged default if unset.")
    shift_threshold: float = Field(default=0.5, gt=0.0, le=2.0, description="Score move that counts as a shift.")
    # Consumer-group timing. Tansu (embedded) holds a group join until the session timeout, so the
    # defaults are short; on Apache Kafka raise them if workers are slow to heartbeat.
    session_timeout: float = 10.0
    heartbeat_interval: float = 1.0
    rebalance_timeout: float = 10.0
    commit_interval: float | None = Field(
        default=None,
        gt=0.0,
        description="Seconds between offset commits; unset: 2.8 under at_least_once (Faust's), 0.2 under "
        "exactly_once, where an output is published only at its input's commit, so each hop waits up to one "
        "interval (Kafka Streams likewise commits every 100 ms under exactly-once).",
    )
    fetch_wait: float = Field(
        default=0.05,
        gt=0.0,
        le=5.0,
        description="Longest a consumer fetch waits for records, seconds. The embedded broker answers a fetch only "
        "when this wait expires (Faust's own is 1.5 s, per hop); Apache Kafka answers as soon as records arrive.",
    )
    produce_linger: float = Field(
        default=0.1,  # Kafka Streams' own linger.ms; a lone record waits produce_idle, not this
        ge=0.0,
        le=1.0,
        description="Most seconds the worker's producer holds a batch open for more records to the same partition "
        "while records keep coming (Kafka's linger.ms; Faust's default is 0). Fewer produce requests (the broker's "
        "CPU is per request) and fewer, larger record batches to decode downstream.",
    )
    produce_idle: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="Seconds without a new record after which the worker's producer sends its open batches without "
        "waiting out the linger (0: off): what a record waits when the worker has nothing more to send.",
    )
    delivery_concurrency: int = Field(default=16, ge=1, description="Alert deliveries (HTTP requests) in flight.")
    web_enabled: bool = False
    web_port: int = 6066
    web_max_event_streams: int = Field(
        default=100, ge=1, description="Live-view event streams (/api/events) served at once; more get 503."
    )

    @field_validator("topic_prefix")
    @classmethod
    def _valid_prefix(cls, value: str) -> str:
        longest = max((spec.name for spec in TOPICS), key=len)
        return _topic_part("topic_prefix", value, MAX_TOPIC_NAME - _LONGEST_TOPIC, f"the prefix + {longest!r}")

    @field_validator("app_id")
    @classmethod
    def _valid_app_id(cls, value: str) -> str:
        if not value:
            raise ValueError("app_id must not be empty")
        return _topic_part(
            "app_id", value, MAX_TOPIC_NAME - _LONGEST_INTERNAL, "the app id + '-stance-history-changelog'"
        )

    # --- running on a real cluster: security, web exposure, topic settings, logs (docs/operations.md) ---
    # Kafka client security, for every client (Faust/aiokafka, kafka-python): streams/broker/security.py.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] | None = Field(
        default=None,
        description="Unset: SASL_* when a SASL mechanism is set, *_SSL when a CA, certificate or key file is set.",
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = Field(default=None, description="Or sasl_password_file (never logged).")
    sasl_password_file: Path | None = None
    ssl_cafile: Path | None = Field(default=None, description="CA bundle (PEM) to verify brokers; unset: system CAs.")
    ssl_certfile: Path | None = Field(default=None, description="Client certificate (PEM), for mutual TLS.")
    ssl_keyfile: Path | None = Field(default=None, description="The client certificate's private key (PEM).")
    ssl_key_password: SecretStr | None = Field(default=None, description="Or ssl_key_password_file.")
    ssl_key_password_file: Path | None = None
    ssl_check_hostname: bool = Field(default=True, description="Check that the broker's certificate names its host.")
    # The worker's web server. Bound beyond loopback it needs a token (all but /health ask for it).
    web_bind: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    web_advertised_url: str | None = Field(
        default=None,
        description="URL other workers reach this one at (API routing); unset: http://<bind or 127.0.0.1>:<port>.",
    )
    web_token: SecretStr | None = Field(default=None, description="Bearer token of the API, metrics and live view.")
    web_token_file: Path | None = None
    # Topics (created at start with these, or only checked): streams/runtime/topics.py.
    replication_factor: int = Field(default=-1, ge=-1, description="-1: the broker's default.replication.factor.")
    min_insync_replicas: int | None = Field(default=None, ge=1, description="min.insync.replicas of every topic.")
    retention_ms: dict[str, Annotated[int, BeforeValidator(_retention_ms)]] = Field(
        default_factory=dict,
        description='retention.ms per topic (unprefixed name → ms or a duration such as "7d"; -1 keeps forever), '
        'e.g. {"news.raw": "3d", "alerts": "90d"}.',
    )
    create_topics: bool = Field(default=True, description="False: only check that every topic exists.")
    log_format: Literal["text", "json"] = Field(default="text", description="json: one JSON object per line.")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:  # its text and errors() quote every input value, a password too
            raise _without_inputs(exc) from None

    @model_validator(mode="after")
    def _production(self) -> Settings:
        for secret, path in SECRETS.items():
            file = getattr(self, path)
            if file is None:
                continue
            if getattr(self, secret) is not None:
                raise ValueError(f"set {secret} or {path}, not both")
            try:
                setattr(self, secret, SecretStr(Path(file).read_text("utf-8").rstrip("\r\n")))
            except OSError as exc:
                raise ValueError(f"{path}: cannot read {file}: {exc.strerror}") from None
        protocol = self.kafka_security_protocol()
        if protocol.startswith("SASL_"):
            if self.sasl_mechanism is None:
                raise ValueError(f"security_protocol {protocol} needs sasl_mechanism (PLAIN, SCRAM-SHA-256/512)")
            if not self.sasl_username or self.sasl_password is None:
                raise ValueError(f"sasl_mechanism {self.sasl_mechanism} needs sasl_username and sasl_password")
        elif self.sasl_mechanism is not None:
            raise ValueError(f"sasl_mechanism is set but security_protocol is {protocol}")
        if self.ssl_keyfile is not None and self.ssl_certfile is None:
            raise ValueError("ssl_keyfile needs ssl_certfile")
        for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            file = getattr(self, name)
            if file is not None and not Path(file).is_file():
                raise ValueError(f"{name}: no such file: {file}")
        if self.replication_factor == 0:
            raise ValueError("replication_factor must be -1 (the broker's default) or at least 1")
        if (
            self.min_insync_replicas
            and self.replication_factor > 0
            and self.min_insync_replicas > self.replication_factor
        ):
            raise ValueError("min_insync_replicas cannot exceed replication_factor")
        known = {spec.name for spec in TOPICS}
        if unknown := sorted(set(self.retention_ms) - known):
            raise ValueError(f"retention_ms: unknown topic(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if self.web_advertised_url and not self.web_advertised_url.startswith(("http://", "https://")):
            raise ValueError("web_advertised_url must be an http:// or https:// URL")
        if self.web_enabled and not self.web_loopback() and self.web_token is None:
            raise ValueError(
                f"web_bind {self.web_bind} reaches beyond this machine: set web_token (or web_token_file), "
                "which the API, metrics and live view then require"
            )
        return self

    def secret_values(self) -> list[str]:
        """The values of the secrets that are set (for the log filter that masks them)."""
        values = [getattr(self, name) for name in SECRETS]
        return [v.get_secret_value() if isinstance(v, SecretStr) else str(v) for v in values if v is not None]

    def kafka_security_protocol(self) -> str:
        """`security_protocol`, or the one the SASL and TLS settings imply."""
        if self.security_protocol is not None:
            return self.security_protocol
        tls = any(f is not None for f in (self.ssl_cafile, self.ssl_certfile, self.ssl_keyfile))
        if self.sasl_mechanism is not None:
            return "SASL_SSL" if tls else "SASL_PLAINTEXT"
        return "SSL" if tls else "PLAINTEXT"

    def web_loopback(self) -> bool:
        """Whether the web server listens on this machine only."""
        if self.web_bind == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.web_bind).is_loopback
        except ValueError:
            return False  # a host name: it may resolve to anything

    def web_url(self) -> str:
        """The URL other workers forward requests to (Faust's canonical URL)."""
        if self.web_advertised_url:
            return self.web_advertised_url.rstrip("/")
        host = self.web_bind
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.web_port}"

    def on_embedded_broker(self, url: str) -> Settings:
        """These settings for the embedded broker at `url`, with its own defaults where none was given:

        - tables in memory: Tansu forgets every topic when it stops, and table state kept on disk from
          an earlier run would be ahead of its (now empty) changelog, which Faust refuses to start on;
        - a 2.5 s group session (0.5 s heartbeat): Tansu holds a consumer-group join until the session
          timeout, so a fresh worker's first output waits for it (10 s gave a first alert after ~9 s).
        """
        given = self.model_fields_set
        update: dict[str, object] = {"broker": url}
        if self.store == "auto":
            update["store"] = "memory"
        if "session_timeout" not in given:
            update["session_timeout"] = EMBEDDED_SESSION_TIMEOUT
        if "heartbeat_interval" not in given:
            update["heartbeat_interval"] = EMBEDDED_HEARTBEAT_INTERVAL
        return self.model_copy(update=update)

    def commit_seconds(self) -> float:
        """`commit_interval`, or its default for the processing guarantee."""
        if self.commit_interval is not None:
            return self.commit_interval
        return 0.2 if self.processing_guarantee == "exactly_once" else 2.8

    def max_message_bytes(self) -> int:
        """The producer's (and news.dlq's) record limit: an article at the limit, base64'd, in a dead letter."""
        return self.max_article_bytes * 4 // 3 + 64 * 1024

    def to_env(self) -> ChildEnv:
        """These settings as STANCEWIRE_* variables, to hand them to a worker process.

        A secret read from a file travels as its file name; one given directly travels as itself (the
        child's environment is readable only by its user). The mapping's repr masks secrets.
        """
        data = self.model_dump(mode="json", exclude_none=True, exclude=set(SECRETS))
        env = ChildEnv(
            {
                f"STANCEWIRE_{key.upper()}": orjson.dumps(value).decode()
                if isinstance(value, dict | list)
                else str(value)
                for key, value in data.items()
            }
        )
        for name, info in type(self).model_fields.items():  # turned off here, on by default (a budget)
            if getattr(self, name) is None and info.default is not None and name not in SECRETS:
                env[f"STANCEWIRE_{name.upper()}"] = "null"
        for secret, path in SECRETS.items():
            value = getattr(self, secret)
            if value is not None and getattr(self, path) is None:
                # a str when set by model_copy(update=...), which does not validate
                env[f"STANCEWIRE_{secret.upper()}"] = (
                    value.get_secret_value() if isinstance(value, SecretStr) else value
                )
        return env

    @property
    def topics(self) -> TopicNames:
        return TopicNames(self.topic_prefix)

    def bootstrap_servers(self) -> str:
        """`host:port[,host:port]` for kafka-python, from `kafka://host:port[;host:port]`."""
        if not self.broker:
            raise ValueError("no broker configured")
        url = self.broker.removeprefix("kafka://")
        return ",".join(part.strip() for part in url.replace(";", ",").split(",") if part.strip())

    def faust_broker_url(self) -> str:
        return "kafka://" + ";".join(self.bootstrap_servers().split(","))


def _problems(exc: ValidationError) -> list[tuple[tuple[str | int, ...], str]]:
    return [
        (tuple(problem.get("loc", ())), str(problem.get("msg", "")).removeprefix("Value error, "))
        for problem in exc.errors(include_input=False, include_url=False)
    ]


def _without_inputs(exc: ValidationError) -> ValidationError:
    """The same ValidationError (the same places and messages) with no input value in it anywhere."""
    return ValidationError.from_exception_data(
        exc.title,
        [
            {
                "type": PydanticCustomError("invalid_setting", "{message}", {"message": message}),
                "loc": loc,
                "input": None,
            }
            for loc, message in _problems(exc)
        ],
        hide_input=True,
    )


def settings_error(exc: ValidationError) -> str:
    """A ValidationError as one line per problem, without the input values (which may hold secrets)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in loc)}: {message}" if loc else message for loc, message in _problems(exc)
    )
