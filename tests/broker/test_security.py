"""No broker: the security settings, the one helper that turns them into each library's kwargs, and
that secrets never show in a repr, an error message, the CLI's output or a log line."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

import faust
import orjson
import pytest
from pydantic import ValidationError

from streams.broker.security import aiokafka_config, faust_credentials, kafka_python_config, ssl_context
from streams.runtime.logs import LIBRARY_LOGGERS, JsonFormatter, logging_config
from streams.runtime.worker import describe
from streams.settings import Settings
from tests.kafka_fixtures import cli

SECRET = "hunter2-ba5e11"
BROKER = "kafka://127.0.0.1:9"


@pytest.fixture
def ca(tmp_path: Path) -> Path:
    """Any readable PEM CA: the system's bundle, copied (ssl_context loads it)."""
    bundle = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
    if not bundle.exists():
        pytest.skip("no system CA bundle to stand in for a CA file")
    path = tmp_path / "ca.pem"
    path.write_bytes(bundle.read_bytes())
    return path


def sasl(**changes: object) -> Settings:
    return Settings(
        broker=BROKER, sasl_mechanism="SCRAM-SHA-256", sasl_username="wire", sasl_password=SECRET, **changes
    )


def test_plaintext_is_the_default_and_adds_nothing() -> None:
    settings = Settings(broker=BROKER)
    assert settings.kafka_security_protocol() == "PLAINTEXT"
    assert kafka_python_config(settings) == {"bootstrap_servers": "127.0.0.1:9", "security_protocol": "PLAINTEXT"}
    assert aiokafka_config(settings) == {"bootstrap_servers": "127.0.0.1:9", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(settings) is None
    assert kafka_python_config("127.0.0.1:9") == {"bootstrap_servers": "127.0.0.1:9"}  # a bare address: tests


def test_sasl_over_tls_reaches_every_library_with_one_context(ca: Path) -> None:
    settings = sasl(ssl_cafile=ca, ssl_check_hostname=False)
    assert settings.kafka_security_protocol() == "SASL_SSL"  # implied by the mechanism and the CA file
    for config in (kafka_python_config(settings), aiokafka_config(settings)):
        assert config["security_protocol"] == "SASL_SSL" and config["sasl_mechanism"] == "SCRAM-SHA-256"
        assert config["sasl_plain_username"] == "wire" and config["sasl_plain_password"] == SECRET
        assert isinstance(config["ssl_context"], ssl.SSLContext) and not config["ssl_context"].check_hostname
        assert config["ssl_context"].verify_mode == ssl.CERT_REQUIRED  # the chain is still verified
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.protocol.value == "SASL_SSL" and credentials.mechanism.value == "SCRAM-SHA-256"
    assert credentials.password == SECRET and SECRET not in repr(credentials)
    assert isinstance(faust_credentials(Settings(broker=BROKER, ssl_cafile=ca)), faust.SSLCredentials)
    plain = Settings(broker=BROKER, sasl_mechanism="PLAIN", sasl_username="u", sasl_password=SECRET)
    assert faust_credentials(plain).protocol.value == "SASL_PLAINTEXT" and ssl_context(plain) is None


def test_the_faust_app_gets_the_credentials_and_acks_all(ca: Path, tmp_path: Path) -> None:
    from streams.runtime.app import create_app

    app = create_app(sasl(ssl_cafile=ca, data_dir=tmp_path, store="memory"))
    assert isinstance(app.conf.broker_credentials, faust.SASLCredentials)
    assert app.conf.producer_acks == -1


def test_a_secret_comes_from_its_file_and_travels_to_children_as_the_file(tmp_path: Path) -> None:
    path = tmp_path / "password"
    path.write_text(SECRET + "\n")
    settings = Settings(broker=BROKER, sasl_mechanism="PLAIN", sasl_username="u", sasl_password_file=path)
    assert settings.sasl_password.get_secret_value() == SECRET  # the trailing newline is not part of it
    env = settings.to_env()
    assert env["STANCEWIRE_SASL_PASSWORD_FILE"] == str(path) and "STANCEWIRE_SASL_PASSWORD" not in env
    given = sasl(web_token="t0ken-77")
    env = given.to_env()
    assert env["STANCEWIRE_SASL_PASSWORD"] == SECRET and env["STANCEWIRE_WEB_TOKEN"] == "t0ken-77"
    for text in (repr(env), str(env), repr(given), str(given), describe(given)):
        assert SECRET not in text and "t0ken-77" not in text
    with pytest.raises(ValidationError, match="not both"):
        Settings(broker=BROKER, sasl_password=SECRET, sasl_password_file=path)
    with pytest.raises(ValidationError, match="cannot read"):
        Settings(broker=BROKER, web_token_file=tmp_path / "missing")


def test_setting_errors_never_quote_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_SASL_PASSWORD", SECRET)
    monkeypatch.setenv("STANCEWIRE_SASL_MECHANISM", "PLAIN")  # and no username: invalid
    with pytest.raises(ValidationError) as raised:
        Settings(broker=BROKER)
    assert "sasl_username" in str(raised.value) and SECRET not in str(raised.value)
    assert SECRET not in repr(raised.value.errors()) and SECRET not in raised.value.json()
    result = cli("feed", "-", "--broker", BROKER, stdin=b"")
    assert result.returncode == 2 and "sasl_username" in result.stderr
    assert SECRET not in result.stderr + result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"security_protocol": "SASL_SSL"}, "needs sasl_mechanism"),
        ({"sasl_mechanism": "PLAIN", "sasl_username": "u", "sasl_password": "p", "security_protocol": "SSL"}, "is SSL"),
        ({"ssl_keyfile": "/etc/hostname"}, "needs ssl_certfile"),
        ({"ssl_cafile": "/nonexistent/ca.pem"}, "no such file"),
        ({"replication_factor": 0}, "-1"),
        ({"replication_factor": 1, "min_insync_replicas": 2}, "cannot exceed"),
        ({"retention_ms": {"news.rawr": 1}}, "unknown topic"),
        ({"web_bind": "0.0.0.0", "web_enabled": True}, "web_token"),
        ({"web_advertised_url": "worker-1:6066"}, "http://"),
    ],
)
def test_inconsistent_settings_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(broker=BROKER, **changes)


def test_the_embedded_broker_is_refused_with_security_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STANCEWIRE_BROKER", raising=False)
    monkeypatch.setenv("STANCEWIRE_SECURITY_PROTOCOL", "SSL")
    result = cli("run")
    assert result.returncode == 2 and "needs --broker" in result.stderr and "Traceback" not in result.stderr


def test_json_log_lines_carry_time_level_logger_message_and_extras() -> None:
    record = logging.LogRecord("stancewire.web", logging.WARNING, __file__, 1, "live feed: %s", ("gone",), None)
    record.topic = "alerts"
    line = orjson.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "stancewire.web" and line["message"] == "live feed: gone"
    assert line["topic"] == "alerts" and line["time"].endswith("+00:00")
    config = logging_config("info", "json")
    assert config["loggers"]["faust"]["level"] == "WARNING" and config["loggers"]["aiokafka"]["level"] == "WARNING"
    assert config["loggers"]["stancewire"]["level"] == "INFO"
    assert logging_config("debug")["loggers"]["faust"]["level"] == "DEBUG"


def test_a_secret_in_a_log_message_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    import logging.config

    settings = sasl(web_token="t0ken-77")
    root = logging.getLogger()
    names = ["stancewire", *LIBRARY_LOGGERS]
    saved = (list(root.handlers), root.level, {n: logging.getLogger(n).level for n in names})
    logging.config.dictConfig(logging_config("debug", "json", settings.secret_values()))
    try:  # what kafka-python does at debug level
        logging.getLogger("kafka.admin.client").debug("configuration: %s", {"sasl_plain_password": SECRET})
        logging.getLogger("stancewire").info("token %s", "t0ken-77")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
    text = capsys.readouterr().err
    assert "sasl_plain_password" in text and "**********" in text
    assert SECRET not in text and "t0ken-77" not in text


def test_topic_and_web_settings_survive_the_trip_to_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    given = Settings(
        retention_ms={"alerts": "7d"}, min_insync_replicas=2, create_topics=False, replication_factor=3, web_port=7001
    )
    for key, value in given.to_env().items():
        monkeypatch.setenv(key, value)
    child = Settings()
    assert child.retention_ms == {"alerts": 7 * 86_400_000} and child.min_insync_replicas == 2
    assert not child.create_topics and child.replication_factor == 3 and child.web_url() == "http://127.0.0.1:7001"
