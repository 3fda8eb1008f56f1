"""`stancewire bench --scale-out 1,2,3`: several workers in one group on Apache Kafka, measured in one run.

For each worker count N (a fresh topic prefix and group each time, `--partitions` partitions, 6 by
default):

1. start N `stancewire run` workers and wait until the group is Stable with N members;
2. a burst of `--burst` articles (2,000) fed at once, keyed by article id (spread over every
   partition); throughput is burst / (last statement's record timestamp − first send). Every stage's
   consumer lag (`streams.broker.lag`, committed offsets) is sampled every 0.5 s until every stage
   is drained: the peak per stage and the time to drain. Committed offsets move once per commit
   interval (2.8 s under at-least-once), so the drain time is known to about that;
3. each worker's CPU seconds over the burst (from /proc): CPU seconds per article, which is what
   predicts throughput on N cores (one worker per core, if the broker keeps up).

Then the rebalances, with a stream paced at `--rate` articles/s: one worker runs, a second joins
(time from its start to the group's rebalance, the rebalance itself, and the longest feed → statement
latency of articles fed meanwhile, against the median before), then the second is SIGKILLed (time
until the group notices, which is the session timeout, the rebalance, and the latency peak again).
Nothing is missed: every article fed has its statement at the end (`missing` in the report).

With no `--broker`, a single-node Apache Kafka is started in a temp dir (deploy/apache-kafka/kafka.sh;
Java 17+ and Maven) and stopped at the end; so are the workers.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from rich.console import Console

from schemas import RawArticle, Statement, decode
from streams.broker.admin import connect_admin
from streams.broker.lag import LagMonitor, stages_of
from streams.broker.producer import make_producer
from streams.broker.reader import TopicReader
from streams.settings import Settings

__all__ = ["ScaleOutFailed", "run_scale_out"]


class ScaleOutFailed(RuntimeError):
    """The bench could not measure (no broker, workers that never joined): one line for the user."""


GROUP_TIMEOUT = 180.0  # a worker starting on a loaded 2-core machine: imports, Faust, the first rebalance


@contextmanager
def apache_kafka(broker: str | None, work: Path) -> Iterator[tuple[str, int | None]]:
    """(URL, pid of its JVM): `broker` as given (no pid), or a single-node Apache Kafka started (and
    stopped) here."""
    if broker:
        yield broker, None
        return
    from streams.broker.apache import ApacheKafka, java_available

    reason = java_available()
    if reason:
        raise ScaleOutFailed(f"the scale-out bench runs on Apache Kafka, which cannot start here: {reason}")
    server = ApacheKafka(work / "kafka").start()
    try:
        pid = (server.data_dir / "kafka.pid").read_text().strip()
        yield server.url, int(pid) if pid.isdigit() else None
    finally:
        server.stop()


def group_state(settings: Settings) -> tuple[str, int]:
    """(state, member count) of the worker's consumer group; ("Unknown", 0) when the broker does not say."""
    admin = connect_admin(settings, timeout=10)
    try:
        group = admin.describe_groups([settings.app_id]).get(settings.app_id) or {}
    finally:
        admin.close()
    return str(group.get("group_state") or "Unknown"), len(group.get("members") or ())


class GroupWatch(threading.Thread):
    """Polls the group's state every `interval` s and keeps its transitions: (monotonic time first seen,
    state, members), and for each the last time it was still seen (`last_seen`)."""

    def __init__(self, settings: Settings, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.settings, self.interval = settings, interval
        self.transitions: list[tuple[float, str, int]] = []
        self.last_seen: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                now = group_state(self.settings)
            except Exception:  # noqa: BLE001 - a broker busy with a rebalance may not answer one poll
                now = ("Unknown", -1)
            at = time.monotonic()
            if not self.transitions or self.transitions[-1][1:] != now:
                self.transitions.append((at, *now))
                self.last_seen.append(at)
            else:
                self.last_seen[-1] = at
            self.halt.wait(self.interval)

    def change(self, members: int, after: float) -> tuple[float, float] | None:
        """The group left "Stable with `members`" after `after`: (last poll still so, first poll not)."""
        for i, (at, state, count) in enumerate(list(self.transitions)):
            if i and at >= after and state != "Unknown" and (state, count) != ("Stable", members):
                return self.last_seen[i - 1], at
        return None

    def wait_for(self, members: int, after: float, timeout: float = GROUP_TIMEOUT) -> float:
        """The first time after `after` the group was Stable with `members` members (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, state, count in list(self.transitions):
                if at >= after and state == "Stable" and count == members:
                    return at
            time.sleep(0.1)
        raise ScaleOutFailed(f"the group did not become Stable with {members} member(s) within {timeout:.0f}s")


class Workers:
    """`stancewire run` children of one group; every one started is stopped by `stop_all()`."""

    def __init__(self, settings: Settings, work: Path) -> None:
        # one folder per run: a worker's RocksDB files are named by table, not by app, so two runs must not share one
        self.settings, self.work = settings, work / settings.app_id
        self.procs: list = []

    def start(self) -> object:
        from streams.runtime.worker import spawn_worker

        index = len(self.procs)
        settings = self.settings.model_copy(update={"data_dir": self.work / f"worker-{index}"})
        proc = spawn_worker(settings, self.work / f"worker-{index}.log", loglevel="warning")
        self.procs.append(proc)
        return proc

    def kill(self, proc) -> None:  # noqa: ANN001
        proc.kill()
        proc.wait(15)

    def stop_all(self) -> None:
        from streams.runtime.worker import stop_process

        for proc in self.procs:
            stop_process(proc)


def run_settings(url: str, work: Path, partitions: int, extractor: str, guarantee: str) -> Settings:
    run = f"scale{uuid.uuid4().hex[:8]}"
    return Settings(
        broker=url,
        partitions=partitions,
        topic_prefix=f"{run}.",
        app_id=run,
        data_dir=work / run,
        extractor=extractor,
        processing_guarantee=guarantee,
    )


@contextmanager
def group_run(url: str, work: Path, options: dict, linger_ms: int) -> Iterator[tuple]:
    """A fresh group's topics, its worker set, a watch on its state and a producer; all stopped at the end."""
    from streams.runtime.worker import prepare_topics

    settings = run_settings(url, work, options["partitions"], options["extractor"], options["guarantee"])
    prepare_topics(settings, timeout=30)
    workers = Workers(settings, work)
    watch = GroupWatch(settings)
    watch.start()
    producer = make_producer(settings, linger_ms=linger_ms)
    try:
        yield settings, workers, watch, producer
    finally:
        producer.close(timeout=5)
        workers.stop_all()
        watch.halt.set()
        watch.join(5)


def send(producer, settings: Settings, articles: list[RawArticle]) -> dict[str, int]:  # noqa: ANN001
    """Each article keyed by its id (spread over the partitions); returns id → send time (epoch ms)."""
    sent = {}
    for article in articles:
        sent[article.id] = int(time.time() * 1000)
        producer.send(
            settings.topics.raw, key=article.id.encode(), value=orjson.dumps(article.model_dump(mode="python"))
        )
    producer.flush()
    return sent


def statements_of(reader: TopicReader, want: set[str], seen: dict[str, int], timeout: float) -> None:
    """Read statements into `seen` (article id → first statement's record timestamp) until `want` ⊆ seen."""
    deadline = time.monotonic() + timeout
    while not want <= seen.keys() and time.monotonic() < deadline:
        for record in reader.poll(0.3):
            statement = decode(record.value, Statement)
            seen.setdefault(statement.article_id, record.timestamp_ms)


def process_usage(pid: int) -> dict:
    from streams.cli.bench import process_usage as usage

    return usage(pid)


def cpu_seconds(procs: list) -> list[float]:
    return [process_usage(p.pid)["cpu_seconds"] for p in procs]


def measure_workers(console: Console, url: str, work: Path, count: int, options: dict) -> dict:
    """N workers, one burst: throughput, CPU per article, lag per stage through the burst."""
    from streams.cli.bench import corpus

    with group_run(url, work, options, linger_ms=5) as (settings, workers, watch, producer):
        started = time.monotonic()
        for _ in range(count):
            workers.start()
        ready = watch.wait_for(count, started)
        console.print(f"{count} worker(s): group Stable after {ready - started:.1f}s")
        seen: dict[str, int] = {}
        with TopicReader(settings, [settings.topics.statements], isolation_level="read_committed") as reader:
            warm = corpus(4 * options["partitions"], start=900_000)
            send(producer, settings, warm)
            statements_of(reader, {a.id for a in warm}, seen, timeout=GROUP_TIMEOUT)
            if not {a.id for a in warm} <= seen.keys():
                raise ScaleOutFailed("the workers did not process the warm-up articles")
            burst = corpus(options["burst"])
            samples: list[tuple[float, dict[str, int]]] = []
            halt = threading.Event()

            def sample_lag() -> None:
                with LagMonitor(settings, settings.app_id, stages_of(settings, deliver=False)) as monitor:
                    while not halt.is_set():
                        try:
                            now = monitor.sample()
                            samples.append((time.monotonic(), {s.stage: s.waiting for s in now}))
                        except Exception:  # noqa: BLE001 - one missed sample
                            pass
                        halt.wait(0.5)

            sampler = threading.Thread(target=sample_lag, daemon=True)
            cpu_before = cpu_seconds(workers.procs)
            broker_before = process_usage(options["broker_pid"])["cpu_seconds"] if options["broker_pid"] else None
            t0_mono, t0_ms = time.monotonic(), int(time.time() * 1000)
            sampler.start()
            send(producer, settings, burst)
            sent_s = time.monotonic() - t0_mono
            statements_of(reader, {a.id for a in burst}, seen, timeout=60 + options["burst"])
            cpu_after = cpu_seconds(workers.procs)
            broker_cpu = (
                round(process_usage(options["broker_pid"])["cpu_seconds"] - broker_before, 2)
                if broker_before is not None
                else None
            )
            done = [seen[a.id] for a in burst if a.id in seen]
            # drained: every stage's committed offsets at the end (bounded)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                samples and samples[-1][0] > t0_mono + 1 and all(v == 0 for v in samples[-1][1].values())
            ):
                time.sleep(0.5)
            halt.set()
            sampler.join(10)
    span = (max(done) - t0_ms) / 1000 if done else None
    stages = list(samples[0][1]) if samples else []
    drained = next(
        (at - t0_mono for at, lag in samples if at > t0_mono + 1 and all(v == 0 for v in lag.values())), None
    )
    cpu = [round(b - a, 2) for a, b in zip(cpu_before, cpu_after, strict=True)]
    throughput = round(len(done) / span, 1) if span else None
    return {
        "workers": count,
        "burst": len(burst),
        "processed": len(done),
        "feed_seconds": round(sent_s, 2),
        "articles_per_s": throughput,
        "articles_per_s_per_worker": round(throughput / count, 1) if throughput else None,
        "cpu_seconds": cpu,
        "cpu_ms_per_article": round(1000 * sum(cpu) / max(1, len(done)), 2),
        # cores the workers got on average over the burst: below `workers` when they contend
        "worker_cores_used": round(sum(cpu) / span, 2) if span else None,
        "broker_cpu_ms_per_article": round(1000 * broker_cpu / max(1, len(done)), 2) if broker_cpu else None,
        "lag_peak": {stage: max(lag.get(stage, 0) for _, lag in samples) for stage in stages},
        "drained_after_s": round(drained, 1) if drained is not None else None,
        "lag_series": [(round(at - t0_mono, 1), lag) for at, lag in samples],
    }


def latencies(sent: dict[str, int], seen: dict[str, int], start_ms: int, end_ms: int) -> list[int]:
    return [seen[a] - t for a, t in sent.items() if start_ms <= t <= end_ms and a in seen]


def measure_rebalances(console: Console, url: str, work: Path, options: dict) -> dict:
    """One worker, a second joins, then the second is SIGKILLed, under a paced stream."""
    with group_run(url, work, options, linger_ms=0) as (settings, workers, watch, producer):
        return rebalances(console, settings, workers, watch, producer, options["rate"])


def rebalances(
    console: Console,
    settings: Settings,
    workers: Workers,
    watch: GroupWatch,
    producer,  # noqa: ANN001 - kafka-python's KafkaProducer
    rate: float,
) -> dict:
    from streams.cli.bench import corpus

    sent: dict[str, int] = {}
    seen: dict[str, int] = {}
    halt = threading.Event()
    result: dict = {}

    def articles() -> Iterator[RawArticle]:
        for chunk in range(1000):  # made 100 at a time: a long list would take longer to make than to feed
            yield from corpus(100, start=500_000 + 100 * chunk)

    def feed() -> None:
        started = time.monotonic()
        for i, article in enumerate(articles()):
            if halt.is_set():
                break
            halt.wait(max(0.0, started + i / rate - time.monotonic()))
            sent.update(send(producer, settings, [article]))

    feeder = threading.Thread(target=feed, daemon=True)
    try:
        t = time.monotonic()
        workers.start()
        watch.wait_for(1, t)
        with TopicReader(settings, [settings.topics.statements], isolation_level="read_committed") as reader:

            def read_for(seconds: float) -> None:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    for record in reader.poll(0.2):
                        seen.setdefault(decode(record.value, Statement).article_id, record.timestamp_ms)

            feeder.start()
            read_for(10)  # the steady state before anything changes
            join_ms, join_at = int(time.time() * 1000), time.monotonic()
            second = workers.start()
            while watch.change(1, join_at) is None and time.monotonic() < join_at + GROUP_TIMEOUT:
                read_for(0.2)
            joined = watch.change(1, join_at)
            read_for(1)
            stable = watch.wait_for(2, join_at)
            read_for(10)
            kill_ms, kill_at = int(time.time() * 1000), time.monotonic()
            workers.kill(second)
            while watch.change(2, kill_at) is None and time.monotonic() < kill_at + 60:
                read_for(0.2)
            noticed = watch.change(2, kill_at)
            read_for(1)
            alone = watch.wait_for(1, kill_at)
            read_for(10)
            halt.set()
            feeder.join(10)
            statements_of(reader, set(sent), seen, timeout=120)
        before = latencies(sent, seen, 0, join_ms)
        join_lat = latencies(sent, seen, join_ms, join_ms + int((stable - join_at + 2) * 1000))
        kill_lat = latencies(sent, seen, kill_ms, kill_ms + int((alone - kill_at + 2) * 1000))
        result = {
            "rate": rate,
            "fed": len(sent),
            "missing": len(set(sent) - seen.keys()),
            "steady_latency_p50_ms": statistics.median(before) if before else None,
            # rebalance_s: from the last poll before the group changed to the first poll Stable again (an
            # upper bound, ±0.2 s polls); the latency peak is what the stream felt
            "join": {
                "start_to_rebalance_s": round(joined[1] - join_at, 1) if joined else None,
                "rebalance_s": round(stable - joined[0], 1) if joined else None,
                "max_latency_ms": max(join_lat) if join_lat else None,
            },
            "kill": {
                "noticed_after_s": round(noticed[0] - kill_at, 1) if noticed else None,
                "rebalance_s": round(alone - noticed[0], 1) if noticed else None,
                "max_latency_ms": max(kill_lat) if kill_lat else None,
                "session_timeout_s": settings.session_timeout,
            },
            "group_transitions": [(round(at - join_at, 1), state, n) for at, state, n in watch.transitions],
        }
        console.print(
            f"rebalance: join {result['join']}, kill {result['kill']}, missing {result['missing']} of {len(sent)}"
        )
    finally:
        halt.set()
    return result


@contextmanager
def logs_named(work: Path) -> Iterator[None]:
    try:
        yield
    except ScaleOutFailed as exc:
        raise ScaleOutFailed(f"{exc} (worker logs: {work}/*/worker-*.log)") from None


def run_scale_out(
    console: Console,
    counts: list[int],
    broker: str | None,
    partitions: int = 6,
    burst: int = 2000,
    rate: float = 20.0,
    extractor: str = "fast",
    guarantee: str = "at_least_once",
    rebalance: bool = True,
) -> dict:
    from streams.cli.bench import machine

    options = {"partitions": partitions, "burst": burst, "rate": rate, "extractor": extractor, "guarantee": guarantee}
    work = Path(tempfile.mkdtemp(prefix="stancewire-scale-"))
    results: dict = {
        "machine": machine(),
        "load_average_at_start": os.getloadavg(),
        "options": options,
        "work_dir": str(work),
    }
    with apache_kafka(broker, work) as (url, options["broker_pid"]), logs_named(work):
        results["broker"] = url if broker else "Apache Kafka, one node, started by the bench"
        results["runs"] = []
        for count in counts:
            figures = measure_workers(console, url, work, count, options)
            results["runs"].append(figures)
            console.print(
                f"[bold]{count} worker(s)[/]: {figures['processed']}/{figures['burst']} articles, "
                f"{figures['articles_per_s']} articles/s ({figures['articles_per_s_per_worker']} per worker), "
                f"{figures['cpu_ms_per_article']} ms CPU per article ({figures['worker_cores_used']} cores used; "
                f"broker {figures['broker_cpu_ms_per_article']} ms), lag peak {figures['lag_peak']}, "
                f"drained after {figures['drained_after_s']} s"
            )
        if rebalance:
            results["rebalance"] = measure_rebalances(console, url, work, options)
    results["load_average_at_end"] = os.getloadavg()
    first = results["runs"][0] if results["runs"] else None
    if first and first["cpu_ms_per_article"]:
        # What the CPU cost predicts for N cores, one worker per core: N × 1000 / (worker ms per article),
        # if the broker keeps up on cores of its own; with the broker on the same cores, add its cost.
        worker_ms = first["cpu_ms_per_article"]
        with_broker = worker_ms + (first["broker_cpu_ms_per_article"] or 0)
        results["predicted_articles_per_s_per_core"] = {
            "workers_only": round(1000 / worker_ms, 1),
            "workers_and_broker_sharing_cores": round(1000 / with_broker, 1),
        }
    return results
