"""Over SASL_SSL with mutual TLS on Apache Kafka: the whole pipeline (`stancewire run`, `feed`, `tail`, the
web server's live feed), every SASL mechanism, and clear failures for a wrong password or an unknown CA.
The broker and its certificates are made by the `secure_broker` fixture (tests/kafka_fixtures.py)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

import orjson
import pytest

from streams.broker.admin import connect_admin
from streams.runtime.worker import prepare_topics
from tests.kafka_fixtures import PLAIN_PASSWORD, SASL_PASSWORD, SecureBroker, Worker, cli
from tests.web.helpers import free_port

pytestmark = pytest.mark.kafka

DATA = Path(__file__).resolve().parents[1] / "data"
WEB_TOKEN = "web-token-0b7d55e2"


def get(url: str, token: str | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (SASL_PASSWORD, PLAIN_PASSWORD, WEB_TOKEN):
            assert secret not in text


def test_the_pipeline_runs_end_to_end_over_sasl_ssl(secure_broker: SecureBroker, tmp_path: Path) -> None:
    settings = secure_broker.settings(
        tmp_path,
        "SCRAM-SHA-512",
        web_enabled=True,
        web_port=free_port(),
        web_token=WEB_TOKEN,
        log_format="json",
    )
    assert prepare_topics(settings)  # the admin client over SASL_SSL (before a feed could auto-create one)
    worker = Worker(settings, tmp_path / "worker.log")  # `stancewire run`: Faust's clients and the live feed
    try:
        fed = cli("feed", str(DATA / "reversal.jsonl"), settings=settings)
        assert fed.returncode == 0, fed.stderr
        tail = ("--json", "--from-beginning", "--limit", "1", "--idle-timeout", "90")
        statements = cli("tail", "news.statements", *tail, settings=settings, timeout=120)
        assert statements.returncode == 0 and '"speaker"' in statements.stdout, statements.stderr + worker.log_tail()
        alerts = cli("tail", "alerts", *tail, settings=settings, timeout=120)
        assert alerts.returncode == 0, alerts.stderr + worker.log_tail()
        assert orjson.loads(alerts.stdout.splitlines()[0])["value"]["rule"] == "stance-reversal"

        # the web server: /health open, the rest behind the token; the alerts come from its own
        # group-less aiokafka reader, over SASL_SSL too
        base = settings.web_url()
        deadline = time.monotonic() + 60
        body = b""
        while time.monotonic() < deadline:
            try:
                status, body = get(f"{base}/api/alerts", WEB_TOKEN)
            except OSError:
                status = 0
            if status == 200 and orjson.loads(body)["count"]:
                break
            time.sleep(0.5)
        assert orjson.loads(body)["alerts"][0]["rule"] == "stance-reversal", worker.log_tail()
        assert get(f"{base}/api/alerts")[0] == 401
        assert get(f"{base}/api/alerts", "wrong-token")[0] == 401
        assert get(f"{base}/health")[0] in (200, 503)  # open to probes (503 only while it has no partitions)
        assert worker.alive()
    finally:
        code = worker.stop()
        print(f"--- worker (exit {code}) ---\n{worker.log_tail()}")
    log = worker.log.read_text(errors="replace")
    no_secret(fed.stdout, fed.stderr, statements.stdout, statements.stderr, alerts.stderr, log)
    lines = [orjson.loads(line) for line in log.splitlines() if line.startswith("{")]
    started = [line for line in lines if line["message"].startswith("worker starting:")]
    assert started and "security=SASL_SSL" in started[0]["message"] and "SCRAM-SHA-512" in started[0]["message"]
    assert {"time", "level", "logger", "message"} <= set(started[0])
    assert not [line for line in lines if line["logger"].startswith("faust") and line["level"] == "info"]


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_every_sasl_mechanism_connects(secure_broker: SecureBroker, tmp_path: Path, mechanism: str) -> None:
    settings = secure_broker.settings(tmp_path, mechanism)
    connect_admin(settings, timeout=15).close()


def test_a_wrong_password_is_one_clear_line_and_exit_2(secure_broker: SecureBroker, tmp_path: Path) -> None:
    wrong = "not-the-password-4471"
    settings = secure_broker.settings(tmp_path, "SCRAM-SHA-256", sasl_password=wrong)
    for args in (
        ("run", "--no-create-topics"),
        ("feed", str(DATA / "reversal.jsonl")),  # the default 15 s: a loaded machine answers SASL slowly
        ("tail", "alerts", "--idle-timeout", "1"),
    ):
        started = time.monotonic()
        result = cli(*args, settings=settings, timeout=60)
        output = result.stdout + result.stderr
        assert result.returncode == 2, (args, output)
        assert "refused the SASL credentials" in output and "SCRAM-SHA-256" in output, (args, output)
        assert "Traceback" not in output and wrong not in output, (args, output)
        print(f"{args[0]}: exit 2 after {time.monotonic() - started:.1f}s")


def test_a_broker_certificate_from_another_ca_fails_clearly(secure_broker: SecureBroker, tmp_path: Path) -> None:
    settings = secure_broker.settings(tmp_path, "SCRAM-SHA-512", ssl_cafile=secure_broker.certs.other_ca)
    result = cli("feed", str(DATA / "reversal.jsonl"), "--timeout", "8", settings=settings, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "TLS with the Kafka broker" in output and "certificate" in output, output
    assert "Traceback" not in output
