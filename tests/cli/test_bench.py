"""`stancewire bench --json`: stdout is one JSON object (progress goes to stderr), with worker CPU and memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import orjson
import pytest

from streams.cli.bench import cpu_parts, per_article, thread_cpu_seconds


@pytest.mark.kafka
def test_bench_json_is_json_alone_with_worker_usage(tmp_path) -> None:  # noqa: ANN001
    command = [sys.executable, "-m", "streams", "bench", "--json", "--articles", "5", "--e2e-articles", "5"]
    done = subprocess.run(
        [*command, "--rate", "20", "--extractor", "fast"], capture_output=True, timeout=240, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    report = orjson.loads(done.stdout)  # the whole of stdout: one JSON object
    assert "worker ready" in done.stderr.decode()
    end_to_end = report["end_to_end"]
    assert end_to_end["paced"]["alerted"] == 5 and end_to_end["burst"]["alerted"] == 5
    assert end_to_end["first_alert_ms"] > 0
    assert end_to_end["worker"]["cpu_seconds"] > 0 and end_to_end["worker"]["peak_memory_mb"]["worker"] > 0


def test_bench_adversarial_reports_seconds_per_100_kb_and_the_worst_in_json() -> None:
    # No broker: extraction and end to end off, the hostile patterns alone at two small sizes.
    from streams.nlp.adversarial import PATTERNS

    command = [sys.executable, "-m", "streams", "bench", "--json", "--articles", "0", "--e2e-articles", "0"]
    done = subprocess.run([*command, "--adversarial", "--adversarial-kb", "1,2"], capture_output=True, timeout=240)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    figures = orjson.loads(done.stdout)["adversarial"]
    assert figures["sizes_kb"] == [1, 2]
    steps = figures["steps"]
    assert {"fast", "stance"} <= set(steps) and set(steps) | set(figures["unavailable"]) == {"fast", "parsed", "stance"}
    for step in steps.values():
        assert set(step["patterns"]) == set(PATTERNS)
        cases = [(p, int(kb), c) for p, sizes in step["patterns"].items() for kb, c in sizes.items()]
        assert {kb for _p, kb, _c in cases} == {1, 2}
        for _pattern, kb, case in cases:
            assert case["seconds_per_100kb"] == pytest.approx(case["seconds"] * 100 / kb, rel=0.01, abs=1e-4)
            assert case["cpu_seconds_per_100kb"] == pytest.approx(case["cpu_seconds"] * 100 / kb, rel=0.01, abs=1e-4)
        for worst, field in ((step["worst"], "seconds_per_100kb"), (step["worst_cpu"], "cpu_seconds_per_100kb")):
            pattern, kb, case = max(cases, key=lambda c, f=field: c[2][f])
            assert worst[field] == case[field] and (worst["pattern"], worst["kb"]) == (pattern, kb)
    assert "adversarial fast" not in done.stdout.decode()  # the human report is not mixed into the JSON


def test_bench_adversarial_sizes_are_checked() -> None:
    command = [sys.executable, "-m", "streams", "bench", "--articles", "0", "--e2e-articles", "0", "--adversarial"]
    done = subprocess.run([*command, "--adversarial-kb", "10,[/x]"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--adversarial-kb" in done.stderr and "Traceback" not in done.stderr


def test_thread_cpu_seconds_reads_one_threads_cpu_and_is_zero_without_the_thread() -> None:
    idle = threading.Event()
    sleeper = threading.Thread(target=idle.wait, daemon=True)
    sleeper.start()
    before = thread_cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # burn CPU on the main thread only
        pass
    burnt = thread_cpu_seconds(os.getpid()) - before
    assert burnt >= 0.2  # the main thread's own ticks (10 ms each)
    assert thread_cpu_seconds(os.getpid(), sleeper.native_id) < 0.1  # the waiting thread spent next to none
    idle.set()
    assert thread_cpu_seconds(2**22 + 12345) == 0.0  # no such process


def test_the_cpu_split_counts_each_part_and_leaves_the_rest_to_the_broker() -> None:
    before = cpu_parts(os.getpid())  # this process as the worker (and as the bench)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    after = cpu_parts(os.getpid())
    assert after["worker"] - before["worker"] >= 0.2 and after["extraction"] == before["extraction"]
    assert after["machine"] - before["machine"] >= after["worker"] - before["worker"] - 0.02  # tick rounding
    split = per_article(before, after, articles=10)
    # the same process read twice in each reading: a clock tick may fall between the two reads of one
    tick_ms_per_article = 1000 / os.sysconf("SC_CLK_TCK") / 10
    assert split["worker"] >= 20  # ms per article: ≥ 0.2 s / 10
    assert abs(split["bench"] - split["worker"]) <= 2 * tick_ms_per_article
    assert split["broker_and_rest"] >= 0.0
    assert cpu_parts(2**22 + 12345) == {} and per_article({}, after, 10) == {}  # no such worker


def test_a_thread_that_exits_while_the_cpu_is_read_does_not_spoil_the_reading() -> None:
    # CI once read {} (KeyError 'worker'): a pytest thread ended between listing /proc/PID/task and
    # reading its children. Threads starting and ending all the time make that race likely.
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            brief = threading.Thread(target=lambda: None)
            brief.start()
            brief.join()

    churner = threading.Thread(target=churn)
    churner.start()
    try:
        empty = sum(1 for _ in range(200) if not cpu_parts(os.getpid()))
    finally:
        stop.set()
        churner.join()
    assert empty == 0


def test_the_cpu_split_counts_the_benchs_other_children_as_the_embedded_broker() -> None:
    # A sleeping child stands for the worker, a child burning 0.3 s of CPU for the embedded broker.
    burn = "\n".join(
        ["import time", "end = time.process_time() + 0.3", "while time.process_time() < end: pass", "print(flush=True)"]
        + ["time.sleep(30)"]
    )
    with (
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as worker,
        subprocess.Popen([sys.executable, "-c", burn], stdout=subprocess.PIPE) as broker,
    ):
        try:
            before = cpu_parts(worker.pid)
            assert broker.stdout is not None and broker.stdout.readline() == b"\n"  # it has burnt its CPU
            split = per_article(before, cpu_parts(worker.pid), articles=10)
        finally:
            worker.kill()
            broker.kill()
    assert split["embedded_broker"] >= 15  # ms per article: most of ≥ 0.3 s / 10 (its start came before)
    assert split["worker"] < 5 and split["extraction"] == 0.0


def test_the_webhook_receiver_times_each_alert_on_one_kept_connection() -> None:
    import socket
    from urllib.parse import urlsplit

    from streams.cli.bench import WebhookReceiver
    from streams.delivery.signing import ALERT_HEADER

    def request(alert: str, body: bytes) -> bytes:
        head = f"POST /hook HTTP/1.1\r\nHost: x\r\n{ALERT_HEADER.lower()}: {alert}\r\nContent-Length: {len(body)}"
        return head.encode() + b"\r\n\r\n" + body

    before = int(time.time() * 1000)
    with (
        WebhookReceiver() as receiver,
        socket.create_connection(("127.0.0.1", urlsplit(receiver.url).port or 0), timeout=10) as conn,
    ):
        # two requests in one write, then a third whose body comes in two writes: three answers, one connection
        conn.sendall(request("a1", b"{}") + request("a2", b'{"n": 2}'))
        third = request("a3", b"x" * 5000)
        conn.sendall(third[:-100])
        time.sleep(0.1)
        assert "a3" not in receiver.arrivals  # its body is not all there
        conn.sendall(third[-100:])
        answers = b""
        while answers.count(b"HTTP/1.1 200 OK") < 3 and (chunk := conn.recv(4096)):
            answers += chunk
        assert answers.count(b"HTTP/1.1 200 OK") == 3
    assert set(receiver.arrivals) == {"a1", "a2", "a3"}
    assert all(before <= ms <= int(time.time() * 1000) for ms in receiver.arrivals.values())
