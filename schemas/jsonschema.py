"""JSON Schema of every topic record, generated from the models (`stancewire schemas`)."""

from __future__ import annotations

import orjson

from schemas.topics import TOPICS

__all__ = ["schema_files"]


def schema_files() -> dict[str, str]:
    """File name → JSON text, one per topic, stable (sorted keys) so the drift test can compare."""
    files = {}
    for spec in TOPICS:
        topic, model = spec.name, spec.record
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://stancewire.dev/schemas/{topic}.json"
        schema["description"] = f"Record of the `{topic}` topic. " + (schema.get("description") or "")
        files[f"{topic}.json"] = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    return files
