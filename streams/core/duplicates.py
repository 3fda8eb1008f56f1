"""Versions and duplicate stories: which statements are new, decided where the key is shared.

The same story can reach `news.raw` twice: re-sent by its agency (same id), fed again as another
format (a `.txt` file and a JSON line, a ninjs item and its RSS entry: different ids, same words),
or as a later version of the same item (same id, higher `version`). Tracking must see it once.

Where the check lives, and why there. `news.raw` is keyed by article id (feed, poll and agencies
alike), so two copies of one story in two formats land on different partitions: a table beside the
extract agent cannot see both. Keying raw records by a content hash instead would put two versions
of one item (same id, new words) on different partitions, and records we do not produce (an agency
pushing ninjs or a NewsML-G2 newsMessage with several items under one key) are keyed as their
sender likes. The key both copies share is the statement's key on `news.statements`: its speaker's
actor (`statement_key`). Every statement of an actor is in one partition, so the stance agent
checks each statement against a table keyed by actor (`statement-seen`, a changelogged Faust table
co-partitioned with `news.statements`, so it survives a restart and moves with its partition) before
any stance event is made. The check uses the item id plus a normalised content hash:

- `ACTOR|story|HASH` -> the article (id, version) that first brought this content, and its statements
  seen (with their offsets): a statement of that article not seen yet is fresh (one article has
  several statements); the same statement at another offset is a re-send (`duplicate`), at the same
  offset a redelivery after a crash (fresh again: at-least-once must not lose its stance events);
  the same content under another id, or under another version of the same id, is `duplicate_story`.
- `ACTOR|item|ID` -> the highest version of the item seen: an older version is `superseded` and
  dropped; a later one goes on, and the track stage lets it replace its earlier version's stance
  (`streams.core.tracking.track`: `superseded`), never as a change between articles.

Statements without an actor make no stance events, so they are never checked. Statements built
before statements carried `content_hash` (None) are always fresh. Growth: two small entries per
(actor, article); at wire volume (thousands of articles a day) that is megabytes a year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import MutableMapping
from typing import Any

from schemas import RawArticle, Statement

__all__ = ["content_hash", "fresh_statement", "normalise_text"]

MAX_STATEMENTS_PER_STORY = 200
"""Statement ids kept per (actor, story): far above what one article attributes to one actor."""

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


def fresh_statement(statement: Statement, key: str, seen: MutableMapping[str, Any], offset: int | None = None) -> str:
    """`fresh` (make its stance events) or why not: `duplicate`, `duplicate_story`, `superseded`.

    `key` is the statement's key (`statement_key`); `seen` a Faust table or a dict, updated here.
    `offset` is the statement's own offset on `news.statements`: the same statement at the same offset
    is a redelivery after a crash (at-least-once), not a re-send, and makes its stance events again,
    since they may not have been sent the first time (the tracker knows them by statement id).
    """
    if statement.content_hash is None:
        return "fresh"
    version = statement.article_version
    item_key = f"{key}|item|{statement.article_id}"
    item = seen.get(item_key)
    if item is not None and version is not None and item.get("version") is not None and version < item["version"]:
        return "superseded"
    story_key = f"{key}|story|{statement.content_hash}"
    story = seen.get(story_key)
    if story is None:
        seen[story_key] = {"article_id": statement.article_id, "version": version, "statements": {statement.id: offset}}
        if item is None or (version is not None and (item.get("version") is None or version > item["version"])):
            seen[item_key] = {"version": version}
        return "fresh"
    if story["article_id"] != statement.article_id or story.get("version") != version:
        return "duplicate_story"
    statements = story["statements"]
    if statement.id in statements:
        redelivered = offset is not None and statements[statement.id] == offset
        return "fresh" if redelivered else "duplicate"
    kept = list({**statements, statement.id: offset}.items())[-MAX_STATEMENTS_PER_STORY:]
    seen[story_key] = {**story, "statements": dict(kept)}
    return "fresh"
