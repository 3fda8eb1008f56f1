"""The command line without a broker (typer's CliRunner): options, help, messages, the offline commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from schemas import encode
from streams.broker.reader import TailRecord, parse_offset
from streams.cli import app
from streams.cli.lag import duration_text, eta_text
from streams.cli.render import check_format, format_record, timestamp_text
from streams.cli.topics import FeedProgress, estimate_articles, estimate_total
from tests import factories

DATA = Path(__file__).resolve().parents[1] / "data"
REVERSAL = DATA / "reversal.jsonl"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("STANCEWIRE_BROKER", "STANCEWIRE_TOPIC_PREFIX", "STANCEWIRE_PROCESSING_GUARANTEE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return CliRunner()


def invoke(runner: CliRunner, *args: str):  # noqa: ANN201
    return runner.invoke(app, list(args), catch_exceptions=False)


# -- help -----------------------------------------------------------------------------------------


def test_help_shows_flags_as_flags_and_every_command(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("run", "feed", "tail", "lag", "extract", "replay", "eval", "bench", "demo"):
        assert command in result.output
    tail = invoke(runner, "tail", "--help").output
    assert "--json" in tail and "<bool>" not in tail
    for option in ("--partition", "--offset", "--max-messages", "--timeout", "--group", "--isolation", "--format"):
        assert option in tail, option
    for alias in ("--limit", "--idle-timeout", "--from-beginning", "--print-key", "--print-headers"):
        assert alias in tail, alias


def test_help_uses_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    from streams.cli.common import terminal_width

    monkeypatch.setenv("COLUMNS", "160")
    assert terminal_width() == 160
    for columns in (200, 90):  # piped, as here: COLUMNS, not rich's 80
        env = {**os.environ, "COLUMNS": str(columns)}
        env.pop("TERMINAL_WIDTH", None)
        shown = subprocess.run(
            [sys.executable, "-m", "streams", "tail", "--help"], capture_output=True, text=True, env=env, check=True
        ).stdout
        assert max(len(line) for line in shown.splitlines()) == columns


def test_run_documents_web_and_web_port(runner: CliRunner) -> None:
    help_text = invoke(runner, "run", "--help").output
    assert "--web" in help_text and "--no-web" in help_text and "--web-port" in help_text


def test_run_refuses_a_bad_setting_in_one_line(runner: CliRunner) -> None:
    result = invoke(runner, "run", "--processing-guarantee", "sometimes")
    assert result.exit_code == 2
    assert "bad setting: processing_guarantee" in result.output and "Traceback" not in result.output


def test_every_option_the_readme_shows_exists(runner: CliRunner, repo_root: Path) -> None:
    """Each `stancewire CMD --option` written in the README and docs is an option of CMD."""
    import re

    texts = [repo_root / "README.md", *sorted((repo_root / "docs").glob("*.md"))]
    found = set()
    for path in texts:
        for line in path.read_text("utf-8").splitlines():
            for match in re.finditer(r"(?<!-p )(?<!/)stancewire ([a-z]+)((?: [^`|#]*)?)", line):
                command, rest = match.group(1), match.group(2)
                for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
                    found.add((command, option))
    assert found, "no documented options found"
    helps: dict[str, str] = {}
    for command, option in sorted(found):
        if command not in helps:
            result = invoke(runner, command, "--help")
            if result.exit_code != 0:
                continue  # not a command (prose such as "stancewire is …")
            helps[command] = result.output
        assert option in helps[command], f"`stancewire {command} {option}` is documented but not an option"


# -- messages are text, not markup --------------------------------------------------------------------


def test_user_data_in_messages_is_not_markup_or_emoji(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "[bold]file.jsonl"
    bad.write_text("{not json\n" * 100 + "{not json :100: [/x]\n")
    result = invoke(runner, "extract", str(bad), "--extractor", "fast")
    assert result.exit_code == 1
    assert f"{bad}:100:" in result.output  # not 💯
    assert "💯" not in result.output and "[bold]file.jsonl" in result.output


def test_fail_escapes_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    from streams.cli.common import fail

    fail("topic [red]x[/red] :100:")
    assert "topic [red]x[/red] :100:" in capsys.readouterr().err


# -- extract and replay -------------------------------------------------------------------------------


def test_extract_names_its_extractor_and_has_a_pretty_form(runner: CliRunner) -> None:
    result = invoke(runner, "extract", str(REVERSAL), "--extractor", "fast")
    assert result.exit_code == 0
    assert "extractor: fast" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["article_id"] for line in lines] == ["hun-sanctions-1", "hun-sanctions-2"]
    pretty = invoke(runner, "extract", str(REVERSAL), "-e", "fast", "--pretty")
    assert pretty.exit_code == 0
    assert "article hun-sanctions-1" in pretty.stdout and "statement" in pretty.stdout and "stance HUN" in pretty.stdout
    assert "{" not in pretty.stdout.splitlines()[0]


def test_extract_auto_says_it_loads_the_parser(runner: CliRunner) -> None:
    result = invoke(runner, "extract", str(REVERSAL), "--extractor", "auto")
    assert result.exit_code == 0
    assert "loading the parser" in result.stderr and "extractor: " in result.stderr and "(auto:" in result.stderr


def test_extract_refuses_an_unknown_extractor(runner: CliRunner) -> None:
    result = invoke(runner, "extract", str(REVERSAL), "--extractor", "fastest")
    assert result.exit_code == 2 and "unknown extractor 'fastest'" in result.output


def test_replay_only_refuses_unknown_names_and_takes_short_and_topic_names(runner: CliRunner) -> None:
    refused = invoke(runner, "replay", str(REVERSAL), "--only", "alert")
    assert refused.exit_code == 2
    assert "unknown topic 'alert'" in refused.output and "alerts" in refused.output and "changes" in refused.output
    short = invoke(runner, "replay", str(REVERSAL), "-e", "fast", "--only", "alerts")
    topics = {json.loads(line)["topic"] for line in short.stdout.splitlines()}
    assert short.exit_code == 0 and topics == {"alerts"}
    both = invoke(runner, "replay", str(REVERSAL), "-e", "fast", "--only", "changes", "--only", "news.stances")
    assert {json.loads(line)["topic"] for line in both.stdout.splitlines()} == {"stance.changes", "news.stances"}


# -- tail's options, checked before any broker is asked --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offset", "middle"], "bad offset 'middle'"),
        (["--offset", "stored"], "--offset stored needs --group"),
        (["--from-beginning", "--offset", "5"], "same option"),
        (["--format", "%p %z"], "unknown token %z"),
        (["--isolation", "dirty"], "--isolation"),
        (["--json", "--format", "%s"], "two output forms"),
        ([], "no broker given"),
    ],
)
def test_tail_refuses_bad_options_clearly(runner: CliRunner, args: list[str], message: str) -> None:
    result = invoke(runner, "tail", "alerts", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_offsets_parse_as_kcat_does() -> None:
    assert parse_offset("beginning") == parse_offset("earliest") == "beginning"
    assert parse_offset("END") == parse_offset("latest") == "end"
    assert parse_offset("stored") == "stored"
    assert parse_offset("42") == 42 and parse_offset("-10") == -10
    with pytest.raises(ValueError):
        parse_offset("soon")


def test_format_strings_and_timestamps() -> None:
    record = TailRecord("alerts", 3, 17, 1_757_318_400_123, b"HUN|t", b'{"a":1}', (("h", b"v"), ("n", None)))
    assert format_record("%t %p:%o %k %s %T %h %K %S %% \\n", record) == (
        b'alerts 3:17 HUN|t {"a":1} 1757318400123 h=v,n= 5 7 % \n'
    )
    assert format_record("%k|%s\\t", TailRecord("x", 0, 0, 0, None, None)) == b"|\t"
    check_format("%p %o %s\\n")
    with pytest.raises(ValueError, match="%q"):
        check_format("%q")
    assert timestamp_text(1_757_318_400_123) == "2025-09-08T08:00:00.123Z"


# -- lag and feed progress, without a broker --------------------------------------------------------------


def test_lag_figures() -> None:
    from streams.broker.lag import StageSample, stage_lags

    before = [StageSample("extract", "news.raw", 4, end=1000, committed=100, at=10.0)]
    now = [StageSample("extract", "news.raw", 4, end=1100, committed=400, at=20.0)]
    (lag,) = stage_lags(now, before)
    assert lag.waiting == 700 and lag.drain_rate == 30.0 and lag.arrival_rate == 10.0
    assert lag.eta_seconds == 35.0 and eta_text(lag) == "35s"
    (single,) = stage_lags(now)
    assert single.drain_rate is None and single.eta_seconds is None and eta_text(single) == "–"
    behind = stage_lags(
        [StageSample("track", "news.stance-candidates", 4, 2000, 500, 20.0)],
        [StageSample("track", "news.stance-candidates", 4, 1000, 400, 10.0)],
    )
    assert behind[0].eta_seconds is None and eta_text(behind[0]) == "not catching up"
    fresh = stage_lags(
        [StageSample("extract", "news.raw", 4, 12, None, 20.0)], [StageSample("extract", "news.raw", 4, 12, None, 10.0)]
    )
    assert fresh[0].waiting == 12 and not fresh[0].consumed and eta_text(fresh[0]) == "not started"
    done = stage_lags([StageSample("deliver", "alerts", 4, 9, 9, 20.0)])
    assert done[0].eta_seconds == 0.0 and eta_text(done[0]) == "caught up"
    assert [duration_text(s) for s in (None, 0, 59.6, 200, 7500)] == ["–", "0s", "1m 00s", "3m 20s", "2h 05m"]


def test_lag_needs_a_broker(runner: CliRunner) -> None:
    result = invoke(runner, "lag")
    assert result.exit_code == 2 and "no broker given" in result.output


def test_feed_progress_without_a_terminal_is_a_line_every_few_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import streams.cli.topics as topics
    from streams.broker.producer import FeedReport

    path = tmp_path / "bulk.jsonl"
    path.write_bytes(b"".join(encode(factories.article(id=f"a{i}")) + b"\n" for i in range(30)))
    assert estimate_articles(str(path)) == 30 and estimate_articles("-") is None
    assert estimate_total([str(path), str(path)]) == 60 and estimate_total([str(path), "-"]) is None
    clock = iter(float(t) for t in range(0, 1000, 2))
    monkeypatch.setattr(topics.time, "monotonic", lambda: next(clock))
    progress = FeedProgress([str(path)], "news.raw")
    report = FeedReport()
    with progress:
        for read in range(1, 31):
            report.sent = read - 1
            progress.update(read, report)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("feeding news.raw")]
    assert len(lines) >= 5 and "of 30 read" in lines[-1]
    quiet = FeedProgress(str(path), "news.raw", enabled=False)
    quiet.update(1, report)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("args", "enabled", "port"),
    [
        (["--web"], True, 6066),
        (["--web", "--web-port", "7001"], True, 7001),
        (["--web-port", "7002"], True, 7002),  # a port asks for the web server
        (["--no-web", "--web-port", "7003"], False, 7003),
        ([], False, 6066),
    ],
)
def test_run_web_options_reach_the_worker(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], enabled: bool, port: int
) -> None:
    import contextlib

    import streams.cli.run as run_module
    import streams.runtime.worker as worker

    started = {}
    monkeypatch.delenv("STANCEWIRE_WEB_ENABLED", raising=False)
    monkeypatch.delenv("STANCEWIRE_WEB_PORT", raising=False)
    monkeypatch.setattr(run_module, "running_broker", lambda url, log: contextlib.nullcontext(url))
    monkeypatch.setattr(worker, "prepare_topics", lambda settings: None)
    monkeypatch.setattr(
        worker, "run_worker", lambda settings, level, pool=None, pipeline=None: started.update(settings=settings)
    )
    result = invoke(runner, "run", "--broker", "kafka://127.0.0.1:9", "--data-dir", str(tmp_path / "a" / "b"), *args)
    assert result.exit_code == 0, result.output
    assert started["settings"].web_enabled is enabled and started["settings"].web_port == port
    assert (tmp_path / "a" / "b").is_dir()
    assert ("live view and API at http://127.0.0.1:" in result.output) is enabled
