"""Topic settings on Apache Kafka: the broker's replication factor by default, min.insync.replicas and
retention per topic as configured, and `run --no-create-topics` naming every missing topic."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from kafka.admin import ConfigResource, ConfigResourceType

from streams.broker.admin import TopicsMissing, connect_admin
from streams.broker.apache import ApacheKafkaCluster
from streams.runtime.topics import all_topic_partitions, topic_configs
from streams.runtime.worker import prepare_topics
from streams.settings import Settings
from tests.kafka_fixtures import Broker, cli

pytestmark = pytest.mark.kafka


def fresh(broker: Broker, tmp_path: Path, **changes: object) -> Settings:
    run = f"t{uuid.uuid4().hex[:8]}"
    return Settings(broker=broker.url, partitions=2, topic_prefix=f"{run}.", app_id=run, data_dir=tmp_path, **changes)


def test_the_configs_of_every_topic_come_from_one_table() -> None:
    settings = Settings(retention_ms={"news.raw": "3d", "alerts": -1}, min_insync_replicas=2, replication_factor=3)
    configs = topic_configs(settings)
    assert set(configs) == set(all_topic_partitions(settings))  # min ISR: every topic, changelogs too
    assert configs["news.raw"]["retention.ms"] == str(3 * 86_400_000) and configs["alerts"]["retention.ms"] == "-1"
    assert "retention.ms" not in configs["news.statements"]
    assert all(c["min.insync.replicas"] == "2" for c in configs.values())
    assert configs["stancewire-stance-state-changelog"]["cleanup.policy"] == "compact"
    assert Settings().replication_factor == -1


def test_topics_get_the_brokers_replication_factor_and_the_configured_retention(
    apache_broker: Broker, tmp_path: Path
) -> None:
    settings = fresh(apache_broker, tmp_path, retention_ms={"news.raw": "1d"}, min_insync_replicas=1)
    created = prepare_topics(settings)
    assert sorted(created) == sorted(all_topic_partitions(settings))
    admin = connect_admin(apache_broker.bootstrap)
    try:
        raw = settings.topics.raw
        meta = {m["name"]: m for m in admin.describe_topics([raw])}
        assert len(meta[raw]["partitions"][0]["replica_nodes"]) == 1  # the single broker's default
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, raw)], config_filter="all")
        values = {key: entry["value"] for key, entry in configs["topic"][raw].items()}
        assert values["retention.ms"] == "86400000" and values["min.insync.replicas"] == "1"
    finally:
        admin.close()
    assert prepare_topics(settings.model_copy(update={"create_topics": False})) == []  # all there: the check passes


def test_without_topic_creation_the_missing_topics_are_named(apache_broker: Broker, tmp_path: Path) -> None:
    settings = fresh(apache_broker, tmp_path, create_topics=False)
    with pytest.raises(TopicsMissing) as missing:
        prepare_topics(settings)
    for name in all_topic_partitions(settings):
        assert name in str(missing.value)
    result = cli("run", "--no-create-topics", settings=settings.model_copy(update={"create_topics": True}))
    assert result.returncode == 2 and "missing:" in result.stderr and settings.topics.raw in result.stderr
    assert "Traceback" not in result.stderr


def test_on_a_three_broker_cluster_topics_get_its_replication_factor(kafka_cluster: ApacheKafkaCluster) -> None:
    """Unset, the replication factor is the cluster's (3 from kafka.sh cluster); min ISR as configured."""
    bootstrap = kafka_cluster.bootstrap
    run = f"rf{uuid.uuid4().hex[:8]}"
    settings = Settings(
        broker="kafka://" + bootstrap, partitions=2, topic_prefix=f"{run}.", app_id=run, min_insync_replicas=2
    )
    assert settings.replication_factor == -1
    prepare_topics(settings, timeout=30)
    admin = connect_admin(bootstrap, timeout=30)
    try:
        names = list(all_topic_partitions(settings))
        for meta in admin.describe_topics(names):
            assert all(len(p["replica_nodes"]) == 3 for p in meta["partitions"]), meta
        raw = settings.topics.raw
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, raw)], config_filter="all")
        assert configs["topic"][raw]["min.insync.replicas"]["value"] == "2"
    finally:
        admin.close()
