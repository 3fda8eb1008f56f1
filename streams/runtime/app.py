"""The Faust App, built from one Settings object: wiring only, the agents live in `streams.runtime.agents`."""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Mapping

import faust
from faust.types.settings.settings import Settings as FaustSettings

from streams.broker.security import faust_credentials
from streams.core.pipeline import Pipeline
from streams.runtime.agents import alert, deliver, extract, track
from streams.runtime.corrections import fetch_wait, sending
from streams.runtime.corrections.exactly_once import SourceTransactionTable, install
from streams.runtime.corrections.recovery import CommittedTableManager
from streams.runtime.extract_pool import ExtractPool
from streams.runtime.topics import Topics
from streams.settings import Settings
from streams.web import register as register_web

__all__ = ["create_app", "faust_variables", "table_store"]

log = logging.getLogger("stancewire")


def faust_variables(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The variables set in `environ` that Faust's Settings would read (WEB_BIND, BROKER_URL, ...).

    The App is built with an empty environment, so they change nothing; they are named in a warning so
    that whoever set them knows. Stancewire's own settings come only from STANCEWIRE_* and options."""
    names = {param.env_name for param in FaustSettings.SETTINGS.values() if param.env_name}
    return sorted(name for name in names if name in environ)


def table_store(settings: Settings) -> str:
    """rocksdb:// (via rocksdict) when available and asked for, memory:// otherwise.

    Under exactly-once always memory://, the tables rebuilt from their changelogs at start: RocksDB is
    written as a value is set, before its transaction commits, so after a crash it can hold writes
    that Kafka aborted, and the worker would carry on from a state no committed record explains.
    """
    if settings.processing_guarantee == "exactly_once":
        if settings.store == "rocksdb":
            raise ValueError(
                "exactly_once keeps tables in memory, rebuilt from their changelogs at start (a RocksDB "
                "store can hold writes of aborted transactions after a crash); use --store auto or memory"
            )
        return "memory://"
    if settings.store == "memory":
        return "memory://"
    if importlib.util.find_spec("rocksdict") is not None:
        return "rocksdb://"
    if settings.store == "rocksdb":
        raise ValueError("store=rocksdb needs the rocksdict package")
    return "memory://"


def create_app(settings: Settings, pipeline: Pipeline | None = None, pool: ExtractPool | None = None) -> faust.App:
    """The worker's App. `pool`: an extraction pool started before it (`run_worker`), used by the extract
    agent and closed by whoever made it; `pipeline` defaults to the pool's (a thread's), else is loaded here."""
    if ignored := faust_variables():
        log.warning(
            "ignoring Faust's environment variable(s) %s: Stancewire reads its settings from STANCEWIRE_* "
            "variables and command-line options only",
            ", ".join(ignored),
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    app = faust.App(
        settings.app_id,
        env={},  # Faust reads WEB_BIND, BROKER_URL, PROCESSING_GUARANTEE, ... over what is passed here
        broker=settings.faust_broker_url(),
        store=table_store(settings),
        datadir=str(settings.data_dir),
        processing_guarantee=settings.processing_guarantee,
        topic_partitions=settings.partitions,
        # topics are created by prepare_topics (topic_allow_declare off), with the broker's default when -1
        topic_replication_factor=max(1, settings.replication_factor),
        topic_allow_declare=False,  # created up front with ensure_topics, with the right partitions
        broker_credentials=faust_credentials(settings),  # SASL and TLS, as every other client (broker/security.py)
        producer_acks=-1,  # acks=all: every in-sync replica has a record before it counts as sent
        producer_linger=settings.produce_linger,  # fewer produce requests: the broker's CPU is per request
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        broker_rebalance_timeout=settings.rebalance_timeout,
        broker_commit_interval=settings.commit_seconds(),
        consumer_auto_offset_reset="earliest",
        # Re-read topic metadata every 10 s (Kafka's default is 5 min): a worker that joined its group
        # while a restarting broker did not list the topics yet gets its partitions soon after.
        consumer_metadata_max_age_ms=10_000,
        # Limits on record size. A record over max_article_bytes is dead-lettered (bounded, see
        # `dead_letter`), however it arrived: a compressed batch is fetched by its compressed size and
        # inflated by the client, then its records are measured one by one.
        producer_max_request_size=settings.max_message_bytes(),
        consumer_max_fetch_size=settings.max_message_bytes(),
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        web_transport="tcp://",  # explicit: F_WEB_TRANSPORT would change Faust's default
        web_bind=settings.web_bind,
        canonical_url=settings.web_url(),  # where other workers forward table requests to (the API's routing)
        # Faust's own pages are off: /table/ serves raw table contents, /router/ the cluster's URLs,
        # the statistics pages the assignment. Stancewire's API looks owners up through app.router.
        web_tables_enabled=False,
        web_router_enabled=False,
        web_stats_enabled=False,
        web_graph_enabled=False,
        web_metrics_enabled=False,
        autodiscover=False,
        Topic=sending.DirectSendTopic,  # a SourceTransactionTopic
        Table=SourceTransactionTable,
        TableManager=CommittedTableManager,
    )
    fetch_wait.install(app, settings.fetch_wait)
    sending.install(app, settings.produce_idle)
    if settings.processing_guarantee == "exactly_once":
        install(app)
    topics = Topics.declare(app, settings)
    pipeline = pipeline or (pool.pipeline if pool is not None and pool.pipeline else Pipeline(settings))
    extract.register(app, topics, pipeline, pool)
    change_alerts = alert.register(app, topics, pipeline, settings)
    track.register(app, topics, pipeline, settings, on_change=change_alerts)
    deliver.register(app, topics, pipeline, settings)
    if settings.web_enabled:
        register_web(app, settings, label=pipeline.topic_label)
    return app
