"""`stancewire bench`: extraction speed alone, then the whole pipeline through a real broker.

1. Extraction only: articles/s of extract + stance on a generated corpus of ~500-word articles,
   repeated, median reported (this machine is shared and noisy).
2. End to end: a worker on the embedded broker (or --broker), articles fed at a fixed rate, and for
   each article the time from its raw record to its alert (Kafka record timestamps, p50/p95/p99);
   then the same count fed at once, for the pipeline's articles/s.
3. With --adversarial: each hostile pattern of `streams/nlp/adversarial.py` at 10 KB / 100 KB / 1 MB
   on both extractors and the stance step, seconds and seconds per 100 KB, and the worst.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import orjson
import typer
from rich.console import Console
from rich.markup import escape

from schemas import Alert, RawArticle, StanceChange, decode
from streams.broker.embedded import running_broker
from streams.cli.common import BrokerOpt, app, broker_errors, err, fail, out, refuse_exactly_once_on_embedded
from streams.delivery.signing import ALERT_HEADER
from streams.formats import read_path
from streams.settings import Settings

if TYPE_CHECKING:  # imported where used: `stancewire --help` need not load Faust and the NLP core
    from streams.core.pipeline import Pipeline

__all__ = ["adversarial_figures", "generate_article", "run_bench"]

SPEAKERS = [
    ("French president", "Emmanuel Macron"),
    ("German chancellor", "Friedrich Merz"),
    ("Turkish foreign minister", "Hakan Fidan"),
    ("Polish prime minister", "Donald Tusk"),
    ("Hungarian prime minister", "Viktor Orban"),
    ("Italian prime minister", "Giorgia Meloni"),
    ("Spanish prime minister", "Pedro Sanchez"),
    ("Japanese prime minister", "Shigeru Ishiba"),
]
STANCES = {
    "support": "We fully support new sanctions on Russia and we are ready to back them",
    "oppose": "We reject new sanctions on Russia and we will block them",
}
FILLER = (
    "Officials met in the capital on Tuesday for a second day of talks on trade, energy and security. "
    "The meeting followed weeks of preparation by delegations from both sides. "
    "Markets reacted calmly to the news, with bond yields little changed by the afternoon. "
    "Analysts expect the discussions to continue into next month as negotiators work through the details. "
    "The agenda also covered shipping routes, grain exports and the reconstruction of damaged infrastructure. "
)


def generate_article(index: int, stance: str, rng: random.Random, words: int = 500) -> RawArticle:
    """A wire-style article of about `words` words with one attributed quote carrying `stance`."""
    role, name = SPEAKERS[index % len(SPEAKERS)]
    quote = f'"{STANCES[stance]}," {role} {name} said on {["Monday", "Tuesday", "Friday"][index % 3]}.'
    filler = FILLER.split(". ")
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < words:
        rng.shuffle(filler)
        paragraphs.append(". ".join(filler).strip().rstrip(".") + ".")
    paragraphs.insert(min(2, len(paragraphs)), quote)
    return RawArticle(
        id=f"bench-{index:06d}",
        headline=f"{name} speaks on sanctions as talks continue",
        body="\n".join(paragraphs),
        source="bench",
        published_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=index),
    )


def corpus(count: int, start: int = 0, seed: int = 7) -> list[RawArticle]:
    """Articles `start`…`start+count-1`, one a minute; each speaker alternates support and oppose, so
    every article after a speaker's first is a reversal (and every article fires a change alert)."""
    rng = random.Random(seed)
    return [
        generate_article(i, "support" if (i // len(SPEAKERS)) % 2 == 0 else "oppose", rng)
        for i in range(start, start + count)
    ]


def bench_extraction(articles: list[RawArticle], pipeline: Pipeline, repeats: int = 5, batch: int = 16) -> dict:
    """Extract + stance over `articles`, in batches as the extract agent does; median of `repeats` runs."""
    from streams.core.pipeline import Origin

    payloads = [(orjson.dumps(a.model_dump(mode="python")), Origin("bench")) for a in articles]
    rates, statements = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        statements = 0
        for i in range(0, len(payloads), batch):
            for outcome in pipeline.extract_batch(payloads[i : i + batch]):  # the stance step included
                statements += len(outcome.statements)
        rates.append(len(payloads) / (time.perf_counter() - started))
    words = statistics.mean(len(a.body.split()) for a in articles)
    return {
        "articles": len(articles),
        "mean_words": round(words),
        "repeats": repeats,
        "statements_per_article": round(statements / len(articles), 2),
        "articles_per_s_median": round(statistics.median(rates)),
        "articles_per_s_runs": [round(r) for r in rates],
    }


def demo_articles(count: int) -> list[RawArticle]:
    """The bundled demo corpus (real-looking wire copy, several statements each), repeated to `count`."""
    from streams.cli.demo import corpus_files

    base = [a for f in corpus_files() for a in read_path(f) if isinstance(a, RawArticle)]
    return [base[i % len(base)].model_copy(update={"id": f"demo-{i}"}) for i in range(count)]


def extraction_figures(count: int) -> dict[str, dict]:
    """Both extractors (where installed) on both corpora: generated one-quote articles and the demo corpus."""
    from streams.core.extraction import EXTRACTORS, ExtractorUnavailable, load_extractor
    from streams.core.pipeline import Pipeline

    figures: dict[str, dict] = {}
    for name in EXTRACTORS:
        try:
            extractor = load_extractor(name)
        except ExtractorUnavailable as exc:
            figures[name] = {"unavailable": str(exc)}
            continue
        pipeline = Pipeline(Settings(extractor=name), extractor=extractor)
        figures[name] = {
            "generated": bench_extraction(corpus(count), pipeline),
            "demo_corpus": bench_extraction(demo_articles(max(24, count // 4)), pipeline),
        }
    return figures


def extraction_alone(articles: list[RawArticle], extractor: str, repeats: int = 3) -> float:
    """Articles/s of extraction alone on `articles` with the worker's extractor, in this process, just
    before they are fed at once: the issue's measure is end to end against this, on the same corpus."""
    from streams.core.extraction import load_extractor
    from streams.core.pipeline import Pipeline

    loaded = load_extractor(extractor)
    pipeline = Pipeline(Settings(extractor=loaded.name), extractor=loaded)
    return bench_extraction(articles, pipeline, repeats=repeats)["articles_per_s_median"]


def adversarial_figures(sizes_kb: list[int], progress: Console | None = None) -> dict:
    """Seconds of one article of each adversarial pattern and size, on each extractor (with no time
    budget: the work itself is timed, not the budget that would stop it) and on the stance step."""
    from streams.core.extraction import EXTRACTORS, ExtractorUnavailable, load_extractor
    from streams.nlp.adversarial import pattern_figures, statement_of
    from streams.nlp.stance import detect_stances
    from streams.nlp.taxonomy import Taxonomy

    steps, unavailable = {}, {}
    for name in EXTRACTORS:
        try:
            extractor = load_extractor(name)
        except ExtractorUnavailable as exc:
            unavailable[name] = str(exc)
            continue
        extractor.budget_seconds = None  # type: ignore[attr-defined]
        steps[name] = extractor.extract
    taxonomy = Taxonomy.load()
    steps["stance"] = lambda article: detect_stances(statement_of(article.body), taxonomy)
    say = (lambda line: progress.print(escape(line))) if progress is not None else None
    figures = pattern_figures(steps, sizes_kb, progress=say)
    figures["unavailable"] = unavailable
    return figures


def print_adversarial(console: Console, figures: dict) -> None:
    """One line per step and pattern: seconds at each size and the pattern's worst seconds per 100 KB."""
    sizes = figures["sizes_kb"]
    for name, reason in figures["unavailable"].items():
        console.print(f"[bold]adversarial {name}[/]: {escape(reason)}")
    for step, each in figures["steps"].items():
        console.print(f"[bold]adversarial {step}[/] (seconds at {' / '.join(f'{kb} KB' for kb in sizes)}; per 100 KB)")
        for pattern, cases in each["patterns"].items():
            seconds = " / ".join(f"{cases[str(kb)]['seconds']:.3f}" for kb in sizes)
            cpu = " / ".join(f"{cases[str(kb)]['cpu_seconds']:.3f}" for kb in sizes)
            per = max(case["seconds_per_100kb"] for case in cases.values())
            console.print(f"  {pattern:<17} {seconds} s ({cpu} s CPU); worst {per:.3f} s per 100 KB")
        worst, worst_cpu = each["worst"], each["worst_cpu"]
        console.print(
            f"  [bold]worst[/]: {worst['seconds_per_100kb']:.3f} s per 100 KB ({worst['pattern']}, {worst['kb']} KB); "
            f"CPU {worst_cpu['cpu_seconds_per_100kb']:.3f} s per 100 KB ({worst_cpu['pattern']}, {worst_cpu['kb']} KB)"
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def bench_end_to_end(
    console: Console,
    count: int,
    rate: float,
    broker: str | None,
    extractor: str = "auto",
    processing_guarantee: str = "at_least_once",
) -> dict:
    from streams.broker.producer import make_producer  # kafka-python: only when it runs
    from streams.runtime.worker import prepare_topics, spawn_worker, stop_process  # Faust: only when it runs

    work = Path(tempfile.mkdtemp(prefix="stancewire-bench-"))
    rules = work / "rules.yaml"
    rules.write_text(
        "suppress_window: 0s\nrules:\n  - {name: every-change, trigger: change, "
        "kinds: [new, reversal, shift], severity: info, "
        f"routes: [{{type: webhook, url_env: {WEBHOOK_ENV}, secret_env: {WEBHOOK_ENV}_SECRET}}]}}\n"
    )
    receiver = WebhookReceiver()
    os.environ[WEBHOOK_ENV] = receiver.url  # the worker inherits the environment, as it would in production
    os.environ[f"{WEBHOOK_ENV}_SECRET"] = "bench-secret"
    with receiver, running_broker(broker, work / "tansu.log") as url:
        run_id = f"bench{int(time.time())}"
        settings = Settings(
            broker=url,
            partitions=2,
            topic_prefix=f"{run_id}.",
            app_id=run_id,
            data_dir=work / "state",
            rules=rules,
            extractor=extractor,
            processing_guarantee=processing_guarantee,
        )
        settings = settings if broker else settings.on_embedded_broker(url)  # as `stancewire run` does
        prepare_topics(settings)
        worker = spawn_worker(settings, work / "worker.log", loglevel="warning")
        producer = make_producer(settings, linger_ms=0)
        try:
            # A day before the corpus, opposite to its first article: the worker's first alert.
            warmup = generate_article(0, "oppose", random.Random(0)).model_copy(
                update={"id": "warmup", "published_at": datetime(2024, 12, 31, tzinfo=UTC)}
            )
            first = wait_for_alerts(settings, [warmup], producer, rate=0, timeout=90)
            if first is None:
                raise RuntimeError(f"the worker produced no alert within 90s; see {work / 'worker.log'}")
            console.print(f"worker ready (first alert {first['max_ms'] / 1000:.1f}s after its article)")
            usage_at_start = process_usage(worker.pid)
            articles = corpus(count)
            paced = wait_for_alerts(settings, articles, producer, rate=rate, timeout=60 + count / max(rate, 1) * 3)
            delivery = delivery_latency(settings, receiver, deadline=time.monotonic() + 30)
            burst_articles = corpus(count, start=count)
            alone = extraction_alone(burst_articles, extractor)  # same articles, same moment: the ratio's base
            loop_at_start, parts_at_start = thread_cpu_seconds(worker.pid), cpu_parts(worker.pid)
            burst = wait_for_alerts(settings, burst_articles, producer, rate=0, timeout=60 + count)
            if burst is not None:
                # the worker's main thread runs its event loop: the CPU the loop spent per article
                burst["loop_cpu_ms_per_article"] = round(
                    (thread_cpu_seconds(worker.pid) - loop_at_start) * 1000 / len(burst_articles), 2
                )
                burst["cpu_ms_per_article"] = per_article(parts_at_start, cpu_parts(worker.pid), len(burst_articles))
            if burst is not None and burst["articles_per_s"]:
                burst["extraction_alone_articles_per_s"] = alone
                burst["ratio_to_extraction_alone"] = round(burst["articles_per_s"] / alone, 2)
            usage = process_usage(worker.pid)
            usage["cpu_seconds"] = round(usage["cpu_seconds"] - usage_at_start["cpu_seconds"], 2)
        finally:
            producer.close(timeout=5)
            stop_process(worker)
    return {
        "extractor": extractor,
        "processing_guarantee": processing_guarantee,
        # a fresh worker's start (its process spawned) to the alert of the article fed right after it
        "first_alert_ms": first["max_ms"],
        "paced": paced,
        "delivery": delivery,
        "burst": burst,
        "worker": usage,  # CPU over the paced and burst runs; peak memory over the worker's life
        "worker_log": str(work / "worker.log"),
    }


WEBHOOK_ENV = "STANCEWIRE_BENCH_WEBHOOK"
READ = "read_committed"  # as downstream consumers should read; under exactly-once, what is committed is what counts


class WebhookReceiver:
    """A local HTTP/1.1 server (127.0.0.1, free port) recording when each alert's webhook arrives.

    An asyncio protocol on a thread of its own, reading no more of a request than its headers' end,
    its length and the alert header, answering 200 on the connection kept open (as real receivers
    do): http.server's parsing, a thread per connection, cost the bench ~0.3 ms of CPU an alert
    inside the measured burst, on the cores the worker needs."""

    def __init__(self) -> None:
        self.arrivals: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            self._loop.create_server(lambda: _WebhookProtocol(self.arrivals), "127.0.0.1", 0)
        )
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/hook"
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-webhook", daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._server.close()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()


class _WebhookProtocol(asyncio.Protocol):
    """One connection of `WebhookReceiver`: requests with a Content-Length body (aiohttp's, for bytes)."""

    ALERT = ALERT_HEADER.lower().encode()

    def __init__(self, arrivals: dict[str, int]) -> None:
        self.arrivals = arrivals
        self.buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a TCP server's are

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (head_end := self.buffer.find(b"\r\n\r\n")) >= 0:
            headers = {}
            for line in bytes(self.buffer[:head_end]).split(b"\r\n")[1:]:  # after the request line
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            end = head_end + 4 + int(headers.get(b"content-length", 0))
            if len(self.buffer) < end:
                return  # the body's rest is still on its way
            del self.buffer[:end]
            self.arrivals.setdefault(headers.get(self.ALERT, b"").decode(), int(time.time() * 1000))
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")


def delivery_latency(settings: Settings, receiver: WebhookReceiver, deadline: float) -> dict | None:
    """Change produced (its record timestamp) → the alert's webhook received, for every delivered alert."""
    from streams.broker.reader import TopicReader

    names = settings.topics
    change_ms: dict[str, int] = {}
    alert_change: dict[str, str] = {}
    with TopicReader(settings, [names.changes, names.alerts], isolation_level=READ) as reader:
        while time.monotonic() < deadline:
            records = reader.poll(0.3)
            for record in records:
                if record.topic == names.changes:
                    change_ms[decode(record.value, StanceChange).id] = record.timestamp_ms
                else:
                    alert = decode(record.value, Alert)
                    if alert.change_id:
                        alert_change[alert.id] = alert.change_id
            done = [a for a in alert_change if a in receiver.arrivals and alert_change[a] in change_ms]
            if not records and len(done) >= len(alert_change) > 0:
                break
    latencies = [
        receiver.arrivals[a] - change_ms[c]
        for a, c in alert_change.items()
        if a in receiver.arrivals and c in change_ms
    ]
    if not latencies:
        return None
    return {
        "delivered": len(latencies),
        "alerts": len(alert_change),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
    }


def wait_for_alerts(
    settings: Settings,
    articles: list[RawArticle],
    producer,
    rate: float,  # noqa: ANN001
    timeout: float,
) -> dict | None:
    """Feed `articles` (at `rate`/s, 0 = at once) and time each one's raw record to its first alert."""
    from streams.broker.reader import TopicReader

    names = settings.topics
    sent_ms: dict[str, int] = {}
    alert_ms: dict[str, int] = {}
    # Keyed by speaker, not article id: one speaker's articles share a partition, so they reach the
    # track agent in order and each flip is a reversal. (Keyed by article id, two flips of one
    # speaker in flight on different partitions can overtake each other; event-time ordering then
    # rightly drops the older one, and that article has no alert to time.)
    # Encoded before the feed starts: the load generator's CPU competes with the worker on a small machine.
    records = [
        (article.id, article.headline.split(" speaks")[0].encode(), orjson.dumps(article.model_dump(mode="python")))
        for article in articles
    ]
    # The alerts are read in a few large fetches (the broker holds each up to 0.5 s): latencies come from
    # the records' timestamps, so reading later changes none, and a fetch per alert took the bench's and
    # the broker's CPU from the worker while it ran.
    with TopicReader(settings, [names.alerts], from_beginning=False, isolation_level=READ, fetch_wait_ms=500) as reader:
        reader.poll(0.1)  # settle the reader's position before anything is sent
        interval = 1 / rate if rate > 0 else 0.0
        started = time.monotonic()
        for i, (article_id, speaker, value) in enumerate(records):
            if interval:
                time.sleep(max(0.0, started + i * interval - time.monotonic()))
            now_ms = int(time.time() * 1000)
            producer.send(names.raw, key=speaker, value=value, timestamp_ms=now_ms)
            sent_ms[article_id] = now_ms
            if interval:
                producer.flush()
        producer.flush()
        deadline = time.monotonic() + timeout
        while len(alert_ms) < len(sent_ms) and time.monotonic() < deadline:
            for record in reader.poll(0.2):
                alert = decode(record.value, Alert)
                if alert.article_id in sent_ms:
                    alert_ms.setdefault(alert.article_id, record.timestamp_ms)
    if not alert_ms:
        return None
    latencies = [alert_ms[a] - sent_ms[a] for a in alert_ms]
    span = (max(alert_ms.values()) - min(sent_ms.values())) / 1000
    return {
        "articles": len(sent_ms),
        "alerted": len(alert_ms),
        "feed_rate": rate or None,
        "articles_per_s": round(len(alert_ms) / span, 1) if span > 0 else None,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
    }


def process_usage(pid: int) -> dict:
    """CPU seconds (user + system) and peak resident memory of a process and its children (the
    extraction process of a parsed worker), from /proc; zeros where /proc is not there."""
    cpu_seconds, peak_mb = 0.0, {}
    pids = [pid]
    try:
        pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        for each in pids:
            cpu_seconds += _stat_cpu_seconds(f"/proc/{each}/stat")
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_mb["worker" if each == pid else f"child {each}"] = round(int(line.split()[1]) / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu_seconds": round(cpu_seconds, 2), "peak_memory_mb": peak_mb}


def cpu_parts(worker_pid: int) -> dict[str, float]:
    """CPU seconds so far of the worker's process (every thread), its extraction processes, this bench
    process (the feeder and the alert reader), this process's other children (the embedded broker,
    when the bench started it; none on Apache Kafka) and the whole machine (every core, from
    /proc/stat). The machine's share beyond those is the rest: see `per_article`."""

    # A thread or child may exit between listing it and reading it (the bench's own threads and
    # children come and go): it counts as nothing rather than spoiling the whole reading.
    def of(pid: int) -> float:
        try:
            return _stat_cpu_seconds(f"/proc/{pid}/stat")
        except OSError:
            return 0.0

    def children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                found += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
        return found

    try:
        worker = _stat_cpu_seconds(f"/proc/{worker_pid}/stat")  # no worker, no reading
        busy = [int(ticks) for ticks in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        del busy[3:5]  # idle and iowait
        return {
            "worker": worker,
            "extraction": sum(of(child) for child in children(worker_pid)),
            "bench": of(os.getpid()),
            "embedded_broker": sum(of(child) for child in children(os.getpid()) if child != worker_pid),
            "machine": sum(busy) / os.sysconf("SC_CLK_TCK"),
        }
    except (OSError, ValueError, IndexError):
        return {}


def per_article(before: dict[str, float], after: dict[str, float], articles: int) -> dict[str, float]:
    """The CPU of each part between two `cpu_parts` readings, in ms per article; `broker_and_rest` is
    the machine's CPU the other parts do not account for (an Apache Kafka broker, and any other process)."""
    if not before or not after or not articles:
        return {}
    spent = {part: (after[part] - before[part]) * 1000 / articles for part in after if part in before}
    spent["broker_and_rest"] = spent["machine"] - sum(ms for part, ms in spent.items() if part != "machine")
    return {part: round(max(ms, 0.0), 2) for part, ms in spent.items()}


def thread_cpu_seconds(pid: int, tid: int | None = None) -> float:
    """CPU seconds (user + system) of one thread of a process (default: its main thread), from /proc;
    0.0 where /proc is not there."""
    try:
        return _stat_cpu_seconds(f"/proc/{pid}/task/{tid or pid}/stat")
    except (OSError, ValueError, IndexError):
        return 0.0


def _stat_cpu_seconds(stat: str) -> float:
    """utime + stime of a /proc `stat` file (a process's or a thread's), in seconds."""
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
    )


def run_bench(
    console: Console,
    articles: int,
    e2e_articles: int,
    rate: float,
    broker: str | None,
    as_json: bool,
    extractor: str = "auto",
    processing_guarantee: str = "at_least_once",
    adversarial_kb: list[int] | None = None,
) -> dict:
    results: dict = {"machine": machine(), "extraction": extraction_figures(articles) if articles > 0 else {}}
    if not as_json:
        console.print(f"[bold]machine[/] {escape(str(results['machine']))}")
        for name, corpora in results["extraction"].items():
            if "unavailable" in corpora:
                console.print(f"[bold]extraction {name}[/]: {escape(str(corpora['unavailable']))}")
                continue
            for label, ex in corpora.items():
                console.print(
                    f"[bold]extraction {name}[/] on {label.replace('_', ' ')} ({ex['articles']} articles, "
                    f"~{ex['mean_words']} words, {ex['statements_per_article']} statements each, {ex['repeats']} runs, "
                    f"one process): median {ex['articles_per_s_median']} articles/s (runs {ex['articles_per_s_runs']})"
                )
    if e2e_articles > 0:
        results["end_to_end"] = bench_end_to_end(console, e2e_articles, rate, broker, extractor, processing_guarantee)
        if not as_json:
            for label, figures in (
                ("paced", results["end_to_end"]["paced"]),
                ("burst", results["end_to_end"]["burst"]),
            ):
                if figures is None:
                    console.print(f"[red]{label}: no alerts arrived[/]")
                    continue
                fed = f"fed at {figures['feed_rate']}/s" if figures["feed_rate"] else "fed at once"
                if label == "paced" and (delivery := results["end_to_end"]["delivery"]):
                    console.print(
                        f"[bold]alert delivery[/] (change produced → webhook received, {delivery['delivered']} of "
                        f"{delivery['alerts']} alerts): p50 {delivery['p50_ms']} ms, p95 {delivery['p95_ms']} ms"
                    )
                console.print(
                    f"[bold]end to end {label}[/] ({extractor} extractor, {processing_guarantee}, "
                    f"{figures['articles']} articles, {fed}): "
                    f"{figures['alerted']} alerted, {figures['articles_per_s']} articles/s, feed→alert latency "
                    f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms"
                )
                if "ratio_to_extraction_alone" in figures:
                    console.print(
                        f"  against extraction alone on the same articles just before: "
                        f"{figures['extraction_alone_articles_per_s']} articles/s "
                        f"(end to end {figures['ratio_to_extraction_alone']:.0%} of it)"
                    )
                if "loop_cpu_ms_per_article" in figures:
                    console.print(
                        f"  the worker's event loop: {figures['loop_cpu_ms_per_article']} ms of CPU an article"
                    )
                if figures.get("cpu_ms_per_article"):
                    split = ", ".join(f"{part} {ms}" for part, ms in figures["cpu_ms_per_article"].items())
                    console.print(f"  CPU per article (ms): {split}")
            usage = results["end_to_end"]["worker"]
            console.print(
                f"[bold]worker[/]: {usage['cpu_seconds']} s CPU over both runs; peak memory "
                + ", ".join(f"{name} {mb} MB" for name, mb in usage["peak_memory_mb"].items())
            )
    if adversarial_kb:
        results["adversarial"] = adversarial_figures(adversarial_kb, console if as_json else None)
        if not as_json:
            print_adversarial(console, results["adversarial"])
    if as_json:  # stdout carries the JSON alone; progress went to stderr
        sys.stdout.buffer.write(orjson.dumps(results) + b"\n")
        sys.stdout.flush()
    return results


@contextmanager
def scale_out_errors(kind: type[Exception]) -> Iterator[None]:
    try:
        yield
    except kind as exc:
        raise fail(str(exc)) from None


@app.command()
def bench(
    articles: Annotated[int, typer.Option(min=0, help="Articles for the extraction-only benchmark (0: none).")] = 1000,
    e2e_articles: Annotated[int, typer.Option(help="Articles sent through the broker end to end.")] = 500,
    rate: Annotated[float, typer.Option(help="End-to-end feed rate, articles/s (0 = as fast as possible).")] = 50.0,
    broker: BrokerOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    extractor: Annotated[str, typer.Option(help="Extractor of the end-to-end worker: auto, parsed or fast.")] = "auto",
    processing_guarantee: Annotated[
        str, typer.Option(help="Guarantee of the end-to-end worker: at_least_once, or exactly_once (Apache Kafka).")
    ] = "at_least_once",
    scale_out: Annotated[
        str | None,
        typer.Option(
            "--scale-out",
            metavar="COUNTS",
            help="Worker counts, e.g. 1,2,3: throughput, CPU per article and lag through a --burst with that many "
            "workers in one group, then the rebalances when a worker joins and when one is killed (at --rate); "
            "on Apache Kafka (--broker, or one started here). --extractor auto means fast here.",
        ),
    ] = None,
    partitions: Annotated[int, typer.Option(help="--scale-out: partitions of every topic.", min=1)] = 6,
    burst: Annotated[int, typer.Option(help="--scale-out: articles fed at once for each worker count.", min=1)] = 2000,
    adversarial: Annotated[
        bool,
        typer.Option(
            "--adversarial",
            help="Also time the hostile patterns on both extractors and the stance step: seconds per 100 KB, worst.",
        ),
    ] = False,
    adversarial_kb: Annotated[
        str, typer.Option(help="Sizes in KB for --adversarial, comma-separated.", show_default=True)
    ] = "10,100,1000",
) -> None:
    """Measure extraction articles/s, and end-to-end articles/s and feed→alert latency through a broker."""
    refuse_exactly_once_on_embedded(processing_guarantee, broker)
    if scale_out is not None:
        from streams.cli.scaleout import ScaleOutFailed, run_scale_out

        try:
            counts = [int(n) for n in scale_out.split(",")]
        except ValueError:
            raise fail(f"--scale-out takes worker counts such as 1,2,3 (got {scale_out!r})") from None
        if not counts or min(counts) < 1 or max(counts) > partitions:
            raise fail(f"--scale-out: each worker count must be 1..{partitions} (the partitions)")
        with broker_errors(), scale_out_errors(ScaleOutFailed):
            results = run_scale_out(
                err if json_ else out,
                counts,
                broker,
                partitions=partitions,
                burst=burst,
                rate=rate,
                extractor="fast" if extractor == "auto" else extractor,
                guarantee=processing_guarantee,
            )
        if json_:
            sys.stdout.buffer.write(orjson.dumps(results) + b"\n")
        return
    try:
        sizes = [int(kb) for kb in adversarial_kb.split(",") if kb.strip()] if adversarial else []
    except ValueError:
        raise fail(f"--adversarial-kb: not a comma-separated list of sizes in KB: {adversarial_kb!r}") from None
    if any(kb <= 0 for kb in sizes):
        raise fail(f"--adversarial-kb: every size must be over 0 KB: {adversarial_kb!r}")
    with broker_errors():
        run_bench(
            err if json_ else out,
            articles,
            e2e_articles,
            rate,
            broker,
            json_,
            extractor,
            processing_guarantee,
            sizes,
        )
