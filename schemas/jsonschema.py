"""JSON Schema of every topic record, generated from the models (`stancewire schemas`)."""

from __future__ import annotations

import orjson

from schemas.records import Alert, DeadLetter, DeliveryFailure, RawArticle, StanceChange, StanceEvent, Statement

__all__ = ["TOPIC_RECORDS", "schema_files"]

# Topic (without prefix) → the record it carries.
TOPIC_RECORDS = {
    "news.raw": RawArticle,
    "news.statements": Statement,
    "news.stances": StanceEvent,
    "stance.changes": StanceChange,
    "alerts": Alert,
    "news.dlq": DeadLetter,
    "alerts.dlq": DeliveryFailure,
}


def schema_files() -> dict[str, str]:
    """File name → JSON text, one per topic, stable (sorted keys) so the drift test can compare."""
    files = {}
    for topic, model in TOPIC_RECORDS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://stancewire.dev/schemas/{topic}.json"
        schema["description"] = f"Record of the `{topic}` topic. " + (schema.get("description") or "")
        files[f"{topic}.json"] = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    return files
