"""How every Kafka client connects, from one Settings object: the only place that reads the security settings.

- `kafka_python_config(target)`: kwargs for kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient
  (feed, tail, topic admin, lag)
- `aiokafka_config(target)`: kwargs for aiokafka clients (the web server's live feed)
- `faust_credentials(settings)`: Faust's `broker_credentials` (the worker's own consumers and producers)

All three carry the same `ssl.SSLContext` (CA file, client certificate and key, hostname check), built by
`ssl_context`, and the same SASL mechanism and credentials. `target` is a Settings object, or a bare
`host:port[,host:port]` string for a plaintext broker (tests, the embedded broker).
"""

from __future__ import annotations

import ssl
from typing import Any

from streams.settings import Settings

__all__ = ["KafkaTarget", "aiokafka_config", "bootstrap_of", "faust_credentials", "kafka_python_config", "ssl_context"]

KafkaTarget = Settings | str


def bootstrap_of(target: KafkaTarget) -> str:
    """`host:port[,host:port]` of a target (what error messages name; never a credential)."""
    return target if isinstance(target, str) else target.bootstrap_servers()


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of every client, or None when the protocol has no TLS."""
    if not settings.kafka_security_protocol().endswith("SSL"):
        return None
    context = ssl.create_default_context(cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None)
    context.check_hostname = settings.ssl_check_hostname  # off: the chain is still verified, not the name
    if settings.ssl_certfile is not None:
        password = settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else None
        context.load_cert_chain(
            str(settings.ssl_certfile),
            str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
            password=password,
        )
    return context


def _sasl(settings: Settings) -> dict[str, Any]:
    if not settings.kafka_security_protocol().startswith("SASL_"):
        return {}
    assert settings.sasl_password is not None  # checked by Settings
    return {
        "sasl_mechanism": settings.sasl_mechanism,
        "sasl_plain_username": settings.sasl_username,
        "sasl_plain_password": settings.sasl_password.get_secret_value(),
    }


def kafka_python_config(target: KafkaTarget) -> dict[str, Any]:
    """`bootstrap_servers` and the security kwargs of a kafka-python client."""
    return _client_config(target)


def aiokafka_config(target: KafkaTarget) -> dict[str, Any]:
    """`bootstrap_servers` and the security kwargs of an aiokafka client (the same names as kafka-python's)."""
    return _client_config(target)


def _client_config(target: KafkaTarget) -> dict[str, Any]:
    if isinstance(target, str):
        return {"bootstrap_servers": target}
    config: dict[str, Any] = {
        "bootstrap_servers": target.bootstrap_servers(),
        "security_protocol": target.kafka_security_protocol(),
        **_sasl(target),
    }
    if (context := ssl_context(target)) is not None:
        config["ssl_context"] = context  # kafka-python then ignores its own ssl_cafile/certfile/keyfile options
    return config


def faust_credentials(settings: Settings) -> Any:
    """Faust's `broker_credentials`: SASL (over TLS or not), TLS alone, or None for plaintext."""
    import faust

    protocol = settings.kafka_security_protocol()
    context = ssl_context(settings)
    if protocol.startswith("SASL_"):
        assert settings.sasl_password is not None  # checked by Settings
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value(),
            ssl_context=context,  # SASL_SSL with a context, SASL_PLAINTEXT without
            mechanism=settings.sasl_mechanism,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None
