"""ChangeHistory: a pair's last changes, oldest first, each change one small table write."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from streams.core.history import ID_PREFIX, SLOT_SEP, ChangeHistory


class RecordingTable(dict):
    """A dict that records every write, as a table's changelog would carry it (JSON bytes), and every read."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, int]] = []
        self.reads: list[str] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.writes.append((key, len(orjson.dumps(value))))
        super().__setitem__(key, value)

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.append(key)
        return super().get(key, default)


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


def test_a_change_writes_its_entry_and_a_bounded_count_however_long_the_history() -> None:
    table = RecordingTable()
    history = ChangeHistory(table, length=50)
    for n in range(50):
        history.add("FRA|sanctions", change(n))
    table.writes.clear()
    history.add("FRA|sanctions", change(50))
    assert len(table.writes) == 2  # the change's own entry and the pair's count
    # the count lists an id prefix per kept change: bounded by the ring's length, not the history's
    assert sum(size for _, size in table.writes) < len(orjson.dumps(change(50))) + 64 + 50 * (ID_PREFIX + 3)
    assert [c["id"] for c in history.changes("FRA|sanctions")][-2:] == ["c49", "c50"]


def test_a_new_change_reads_only_its_pair_s_count_not_every_kept_change() -> None:
    table = RecordingTable()
    history = ChangeHistory(table, length=50)
    for n in range(60):
        history.add("FRA|sanctions", change(1000 + n))
    table.reads.clear()
    history.add("FRA|sanctions", change(2000))
    assert table.reads == ["FRA|sanctions"]
    table.reads.clear()
    history.add("FRA|sanctions", {**change(1059), "kind": "shift"})  # seen again: its one slot is read too
    assert len(table.reads) == 2
    assert [c["kind"] for c in history.changes("FRA|sanctions") if c["id"] == "c1059"] == ["shift"]


def test_ids_sharing_a_prefix_are_told_apart_by_the_whole_id() -> None:
    history = ChangeHistory({}, length=5)
    same = "a" * ID_PREFIX
    history.add("FRA|sanctions", {"id": same + "1"})
    history.add("FRA|sanctions", {"id": same + "2"})
    assert [c["id"] for c in history.changes("FRA|sanctions")] == [same + "1", same + "2"]


def test_a_count_written_without_ids_is_read_and_given_them_on_its_next_change() -> None:
    history = ChangeHistory({}, length=3)
    for n in range(4):
        history.add("FRA|sanctions", change(n))
    table = history.table
    table["FRA|sanctions"] = {"written": table["FRA|sanctions"]["written"]}  # the count's layout before the ids
    history.add("FRA|sanctions", {**change(2), "kind": "shift"})  # still recognised as kept
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c1", "c2", "c3"]
    history.add("FRA|sanctions", change(4))
    assert [c["id"] for c in history.changes("FRA|sanctions")] == ["c2", "c3", "c4"]
    assert table["FRA|sanctions"]["ids"] == ["c2", "c3", "c4"]


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
