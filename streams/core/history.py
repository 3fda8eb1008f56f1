"""Each `actor|topic` pair's last changes in a table, one entry per change.

The history was one list per pair, rewritten whole on every change: at 50 changes a pair's list is
~27 kB, serialized and sent to the changelog again for each new change, the largest of the track
agent's table writes (docs/performance.md). Here each change is an entry of its own, in a ring of `length` slots
(`actor|topic` + SLOT_SEP + slot number), and the pair's own key holds the count of changes written
and the kept changes' id prefixes: a change costs one small entry and a count of at most ~0.6 kB,
whatever the history's length.

Every entry is keyed under its pair, so written from the pair's partition (the track agent's input is
keyed `actor|topic`) and kept in that changelog partition, as the list was. A pair whose key still
holds a list (written before this layout) is read as that list; its first new change moves the list
into the ring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

__all__ = ["HISTORY_LENGTH", "ID_PREFIX", "SLOT_SEP", "ChangeHistory"]

HISTORY_LENGTH = 50  # changes kept per pair (oldest dropped first)
SLOT_SEP = "\x1f"  # between a pair's key and a slot number; no actor, topic or label holds it
ID_PREFIX = 8  # characters of a change id kept in its pair's count (ids are 20 hex digits)


class ChangeHistory:
    """The last `length` changes (JSON dicts with an `id`) of each pair, oldest first, in `table`.

    Each slot holds `{"n": its change's number, "change": ...}`, and only a slot whose number is the
    one expected is read: a worker that stops between writing a change and its pair's count (at
    least once: the input is processed again) leaves a slot ahead of the count, which the next
    write of that change takes over instead of reading it as the oldest.

    The pair's count also lists the first `ID_PREFIX` characters of each kept change's id, oldest
    first, so that `add` knows whether a change is kept already from that one read: reading the 50
    slots instead was a sixth of a fast worker's event loop on a disk store (docs/performance.md).
    Only a slot whose id prefix matches is read, to compare the whole id."""

    def __init__(self, table: MutableMapping[str, Any], length: int = HISTORY_LENGTH) -> None:
        self.table = table
        self.length = length

    def changes(self, key: str) -> list[dict[str, Any]]:
        """The pair's changes, oldest first."""
        head = self.table.get(key)
        if head is None:
            return []
        if isinstance(head, list):  # the layout before the ring
            return list(head)
        return [change for _, change in self._kept(key, int(head["written"]))]

    def add(self, key: str, change: Mapping[str, Any]) -> None:
        """Append `change`; a change of the same id already kept (its event processed again after a
        crash) is replaced where it is instead."""
        head = self.table.get(key)
        if isinstance(head, list):  # move the old list into the ring, once
            for n, old in enumerate(head[-self.length :]):
                self.table[self._slot(key, n)] = {"n": n, "change": old}
            head = None if not head else {"written": len(head[-self.length :])}
        written = int(head["written"]) if head is not None else 0
        ids = head.get("ids") if head is not None else []
        if ids is None:  # a count written before the ids were kept beside it: read the slots, once
            kept = dict(self._kept(key, written))
            ids = [_prefix(kept[n]) if n in kept else "" for n in range(max(0, written - self.length), written)]
        prefix = _prefix(change)
        first = written - len(ids)
        for i, kept_prefix in enumerate(ids):
            if kept_prefix == prefix:
                n = first + i
                entry = self.table.get(self._slot(key, n))
                if entry is not None and entry.get("n") == n and entry["change"].get("id") == change.get("id"):
                    self.table[self._slot(key, n)] = {"n": n, "change": dict(change)}
                    if head is None or "ids" not in head:
                        self.table[key] = {"written": written, "ids": ids}
                    return
        self.table[self._slot(key, written)] = {"n": written, "change": dict(change)}
        self.table[key] = {"written": written + 1, "ids": [*ids, prefix][-self.length :]}

    def _kept(self, key: str, written: int) -> Iterator[tuple[int, dict[str, Any]]]:
        """(number, change) of each change kept, oldest first: the last `length` of `written`."""
        for n in range(max(0, written - self.length), written):
            entry = self.table.get(self._slot(key, n))
            if entry is not None and entry.get("n") == n:
                yield n, entry["change"]

    def _slot(self, key: str, n: int) -> str:
        return f"{key}{SLOT_SEP}{n % self.length}"


def _prefix(change: Mapping[str, Any]) -> str:
    return str(change.get("id"))[:ID_PREFIX]
