"""Settings that end up in Kafka topic names are checked against Kafka's rules, naming the rule."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from streams.settings import Settings


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("../../x", "found '/'"),
        ("a b.", "found ' '"),
        ("naïve.", "found 'ï'"),
        ("x" * 260, "260 characters; Kafka topic names are at most 249"),
        ("x" * 235, "leaves it 234"),
    ],
)
def test_a_bad_topic_prefix_is_refused_naming_the_rule(prefix: str, says: str) -> None:
    with pytest.raises(ValidationError) as err:
        Settings(topic_prefix=prefix)
    message = str(err.value)
    assert "topic_prefix" in message and says in message, message
    if "found" in says:
        assert "only ASCII letters, digits, '.', '_' and '-'" in message


@pytest.mark.parametrize("prefix", ["", "prod.", "t1234abcd.", "team_a-b.", "x" * 234])
def test_good_prefixes_make_legal_topic_names(prefix: str) -> None:
    names = Settings(topic_prefix=prefix).topics.all()
    assert all(len(name) <= 249 for name in names) and max(len(n) for n in names) == len(prefix) + 15


@pytest.mark.parametrize("app_id", ["", "my app", "x/y", "x" * 230])
def test_a_bad_app_id_is_refused(app_id: str) -> None:
    with pytest.raises(ValidationError, match="app_id"):
        Settings(app_id=app_id)


def test_the_prefix_from_the_environment_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_TOPIC_PREFIX", "a b")
    with pytest.raises(ValidationError, match="found ' '"):
        Settings()
