"""Versions and duplicate stories: which stance events reach `news.stances` and the tracker, and why decided there.

The same story can reach `news.raw` twice: re-sent by its agency (same id), fed again as another
format (a `.txt` file and a JSON line, a ninjs item and its RSS entry: different ids, same words),
or as a later version of the same item (same id, higher `version`). Tracking must see it once.

Where the check lives, and why there. `news.raw` is keyed by article id (feed, poll and agencies
alike), so two copies of one story in two formats land on different partitions: a table beside the
extract agent cannot see both. Keying raw records by a content hash instead would put two versions
of one item (same id, new words) on different partitions, and records we do not produce (an agency
pushing ninjs, or a NewsML-G2 newsMessage with several items under one key) are keyed as their
sender likes. The extract agent makes the stance events too (`Pipeline.extract_batch`), so the
first key both copies share is the stance event's key, `actor|topic`. The extract agent therefore
publishes its stance events to the internal topic `news.stance-candidates`, keyed `actor|topic` (a
repartition), and the track agent checks each one against its table `stance-seen` (changelogged,
co-partitioned with the candidates like `stance-state`, so it survives a restart and moves with
its partition). Only a fresh event is published to `news.stances` and folded into the pair's
stance: `news.stances` carries each story's stance events once, and spike rules that count stance
events count a story once. Under exactly-once the publish and the table writes are attached to the
candidate's offset and committed in its transaction. The check uses the item id plus a normalised
content hash:

- `ACTOR|TOPIC|story|HASH` -> the article (id, version) that first brought this content, and its
  events seen (with their offsets on `news.stance-candidates`): an event of that article not seen
  yet is fresh (one article has several statements); the same event at another offset is a
  re-send (`duplicate`), at the same offset a redelivery after a crash (fresh again: under
  at-least-once its first pass may not have been committed, so it is passed on again, an identical
  copy, as at-least-once allows; the tracker knows it by statement id); the same content under
  another id, or another version of the same id, is `duplicate_story`.
- `ACTOR|TOPIC|item|ID` -> the highest version of the item seen: an older version is `superseded`;
  a later one goes on, and replaces its earlier version's stance (`streams.core.tracking.track`:
  `superseded`), never as a change between articles.

The repeated story's statements are still published on `news.statements` (the wire did report it
twice, and statements are keyed by actor, where no check can see every copy of a pair); its stance
events stop at the candidates topic, counted in `stancewire_repeated_stances_total{outcome}`.
Events built before they carried `content_hash` (None) are always fresh. Growth: two small
entries per (pair, article); at wire volume (thousands of articles a day) that is megabytes a year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import MutableMapping
from typing import Any

from schemas import RawArticle, StanceEvent

__all__ = ["content_hash", "fresh_stance", "normalise_text"]

MAX_EVENTS_PER_STORY = 200
"""Stance event ids kept per (pair, story): far above what one article says about one pair."""

_NON_WORD = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Words only, case-folded, one space apart: layout, punctuation and quote styles do not count."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(article: RawArticle) -> str:
    """The normalised body (the headline when there is no body): the same story in any format hashes alike.

    The headline is left out on purpose: formats title one story differently (a ninjs `headline`, a
    `.txt` file's first line, an RSS title with the agency's name), while the body is the copy itself.
    """
    text = normalise_text(article.body) or normalise_text(article.headline)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def fresh_stance(event: StanceEvent, seen: MutableMapping[str, Any], offset: int | None = None) -> str:
    """`fresh` (track it) or why not: `duplicate`, `duplicate_story`, `superseded`.

    `seen` is the track agent's `stance-seen` table (or a dict in `replay`), keyed under the event's
    own key, updated here. `offset` is the event's offset on `news.stance-candidates`: the same event
    at the same offset is a redelivery, not a re-send.
    """
    if event.content_hash is None:
        return "fresh"
    key, version = event.key, event.article_version
    item_key = f"{key}|item|{event.article_id}"
    item = seen.get(item_key)
    if item is not None and version is not None and item.get("version") is not None and version < item["version"]:
        return "superseded"
    story_key = f"{key}|story|{event.content_hash}"
    story = seen.get(story_key)
    if story is None:
        seen[story_key] = {"article_id": event.article_id, "version": version, "events": {event.id: offset}}
        # an item entry only ever tells an older version apart: without a version it is not written
        # (one table write, and one changelog record, less for each fresh event of an unversioned feed)
        if version is not None and (item is None or item.get("version") is None or version > item["version"]):
            seen[item_key] = {"version": version}
        return "fresh"
    if story["article_id"] != event.article_id or story.get("version") != version:
        return "duplicate_story"
    events = story["events"]
    if event.id in events:
        redelivered = offset is not None and events[event.id] == offset
        return "fresh" if redelivered else "duplicate"
    kept = list({**events, event.id: offset}.items())[-MAX_EVENTS_PER_STORY:]
    seen[story_key] = {**story, "events": dict(kept)}
    return "fresh"
