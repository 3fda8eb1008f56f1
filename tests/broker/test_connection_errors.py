"""How a refused password or certificate is recognised from kafka-python's log lines (streams.broker.admin).

The lines are logged through kafka-python's own loggers, with its own format strings and request classes,
in the order a real connection logs them (seen at debug level against Apache Kafka 4.3 over SASL_SSL).
"""

from __future__ import annotations

import logging

import pytest
from kafka.errors import KafkaTimeoutError
from kafka.protocol.sasl import SaslAuthenticateRequest, SaslHandshakeRequest

from streams.broker.admin import BrokerUnavailable, bootstrapped, connection_errors

CONN = "<KafkaConnection node_id=bootstrap-0 host=[127.0.0.1:9093<-41140] broker_version=(4, 3) (initializing)>"
TRANSPORT = "<KafkaSSLTransport [127.0.0.1:9093<-41140]>"
connection_log = logging.getLogger("kafka.net.connection")
transport_log = logging.getLogger("kafka.net.transport")


def authenticate_without_answer(mechanism: str = "SCRAM-SHA-256") -> None:
    """One connection: handshake answered, the client's first SCRAM message answered, the final one
    sent, then the broker closes the socket (its error answer lost)."""
    connection_log.debug("%s Request %d: %s", CONN, 2, SaslHandshakeRequest(mechanism=mechanism))
    connection_log.debug("%s: Response %d (%s ms): %s", CONN, 2, 1.7, "SaslHandshakeResponse(error_code=0)")
    connection_log.debug("%s Request %d: %s", CONN, 3, SaslAuthenticateRequest(auth_bytes=b"n,,n=user"))
    connection_log.debug("%s: Response %d (%s ms): %s", CONN, 3, 3.5, "SaslAuthenticateResponse(error_code=0)")
    connection_log.debug("%s Request %d: %s", CONN, 4, SaslAuthenticateRequest(auth_bytes=b"c=biws"))
    transport_log.error("%s: socket disconnected", TRANSPORT)
    transport_log.error("%s: Abort (%s)", TRANSPORT, "KafkaConnectionError: socket disconnected")


def test_the_error_answer_names_the_refusal() -> None:
    with connection_errors() as seen:
        transport_log.error(
            "%s: Abort (%s)",
            TRANSPORT,
            "[Error 58] SaslAuthenticationFailedError: Authentication failed during authentication due to "
            "invalid credentials with SASL mechanism SCRAM-SHA-256",
        )
    assert seen.reason is not None and seen.reason.startswith("[Error 58]") and "SCRAM-SHA-256" in seen.reason


def test_authentication_dropped_twice_without_an_answer_is_a_refusal() -> None:
    with connection_errors() as seen:
        authenticate_without_answer()
        assert seen.reason is None  # once could be a broker restart
        authenticate_without_answer()
    assert seen.reason is not None and "SCRAM-SHA-256" in seen.reason and "2 times" in seen.reason


def test_a_drop_after_authentication_was_answered_is_not_a_refusal() -> None:
    with connection_errors() as seen:
        for _ in range(3):
            connection_log.debug("%s Request %d: %s", CONN, 4, SaslAuthenticateRequest(auth_bytes=b"c=biws"))
            connection_log.debug("%s: Response %d (%s ms): %s", CONN, 4, 2.0, "SaslAuthenticateResponse(error_code=0)")
            connection_log.debug("%s Request %d: %s", CONN, 5, "MetadataRequest(topics=[])")
            transport_log.error("%s: socket disconnected", TRANSPORT)
    assert seen.reason is None


def test_the_request_lines_are_at_debug_only_while_connecting() -> None:
    level, propagate = connection_log.level, logging.getLogger("kafka").propagate
    outer = connection_errors()
    outer.__enter__()
    with connection_errors():  # a second client connecting meanwhile (another thread) and done first
        assert connection_log.isEnabledFor(logging.DEBUG)
    assert connection_log.isEnabledFor(logging.DEBUG)  # the first is still connecting
    outer.__exit__(None, None, None)
    assert connection_log.level == level and logging.getLogger("kafka").propagate == propagate


def test_a_refusal_ends_the_bootstrap_retries_at_once() -> None:
    slices: list[int] = []

    def refused(bootstrap_ms: int) -> None:
        slices.append(bootstrap_ms)
        authenticate_without_answer()
        authenticate_without_answer()
        raise KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:9093")

    with pytest.raises(BrokerUnavailable, match="refused the SASL credentials"):
        bootstrapped("127.0.0.1:9093", refused, timeout=30)
    assert slices == [1000]


def test_no_answer_is_retried_with_growing_slices_until_the_timeout() -> None:
    slices: list[int] = []

    def silent(bootstrap_ms: int) -> None:
        slices.append(bootstrap_ms)
        raise KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:9093")

    with pytest.raises(BrokerUnavailable, match="no Kafka broker answered at 127.0.0.1:9093 within 1s"):
        bootstrapped("127.0.0.1:9093", silent, timeout=0.9)
    # it fails at once, so each slice is what is left of the 0.9 s (never below 200 ms), with a pause between
    assert len(slices) >= 2 and slices == sorted(slices, reverse=True) and 200 <= slices[-1] <= slices[0] <= 900
