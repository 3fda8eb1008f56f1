"""ChangeHistory: a pair's last changes, oldest first, each change one small table write."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from streams.core.history import SLOT_SEP, ChangeHistory


class RecordingTable(dict):
    """A dict that records every write, as a table's changelog would carry it (JSON bytes)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, int]] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.writes.append((key, len(orjson.dumps(value))))
        super().__setitem__(key, value)


def change(n: int, pad: int = 400) -> dict[str, Any]:
    return {"id": f"c{n}", "kind": "reversal", "evidence": "x" * pad}


def test_changes_come_back_oldest_first_and_only_the_last_length_are_kept() -> None:
    history = ChangeHistory({}, length=5)
    for n in range(12):
        history.add("FRA|sanctions", change(n))
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c7", "c8", "c9", "c10", "c11"]
    assert history.changes("DEU|sanctions") == []


def test_pairs_do_not_mix() -> None:
    history = ChangeHistory({}, length=3)
    history.add("FRA|sanctions", change(1))
    history.add("FRA|sanctions-extra", change(2))
    history.add("FRA|sanctions", change(3))
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c1", "c3"]
    assert [c["id"] for c in history.changes("FRA|sanctions-extra")] == ["c2"]


def test_a_change_seen_again_replaces_itself_instead_of_being_kept_twice() -> None:
    history = ChangeHistory({}, length=5)
    for n in range(4):
        history.add("FRA|sanctions", change(n))
    history.add("FRA|sanctions", {**change(1), "kind": "shift"})  # its event processed again after a crash
    kept = history.changes("FRA|sanctions")
    assert [c["id"] for c in kept] == ["c0", "c1", "c2", "c3"] and kept[1]["kind"] == "shift"


def test_a_change_writes_the_same_few_bytes_however_long_the_history() -> None:
    table = RecordingTable()
    history = ChangeHistory(table, length=50)
    for n in range(50):
        history.add("FRA|sanctions", change(n))
    table.writes.clear()
    history.add("FRA|sanctions", change(50))
    assert len(table.writes) == 2  # the change's own entry and the pair's count
    assert sum(size for _, size in table.writes) < len(orjson.dumps(change(50))) + 64
    assert [c["id"] for c in history.changes("FRA|sanctions")][-2:] == ["c49", "c50"]


def test_a_history_kept_as_one_list_is_read_and_moved_into_entries_on_its_next_change() -> None:
    table: dict[str, Any] = {"FRA|sanctions": [change(1), change(2)]}  # the layout before ChangeHistory
    history = ChangeHistory(table, length=3)
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c1", "c2"]
    history.add("FRA|sanctions", change(3))
    history.add("FRA|sanctions", change(4))
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c2", "c3", "c4"]
    assert not isinstance(table["FRA|sanctions"], list)
    assert all(key.startswith("FRA|sanctions") for key in table)
    assert sum(SLOT_SEP in key for key in table) == 3


class StopsAfter(dict):
    """A table whose worker stops (raises) after `writes` more writes, as a crash between two of them."""

    def __init__(self) -> None:
        super().__init__()
        self.writes_left: int | None = None

    def __setitem__(self, key: str, value: Any) -> None:
        if self.writes_left is not None:
            if self.writes_left == 0:
                raise RuntimeError("worker stopped")
            self.writes_left -= 1
        super().__setitem__(key, value)


def test_a_change_written_before_a_stop_but_not_counted_is_written_again_in_order() -> None:
    table = StopsAfter()
    history = ChangeHistory(table, length=3)
    for n in range(5):  # the ring is full: the next slot is the oldest change's
        history.add("FRA|sanctions", change(n))
    table.writes_left = 1  # the change's slot is written, the pair's count is not
    with pytest.raises(RuntimeError):
        history.add("FRA|sanctions", change(5))
    table.writes_left = None
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c3", "c4"]  # the slot ahead is not read
    history.add("FRA|sanctions", change(5))  # its input processed again (at least once)
    history.add("FRA|sanctions", change(6))
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c4", "c5", "c6"]
