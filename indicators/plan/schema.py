"""JSON Schema of the indicator definition format, for editor autocompletion and checking."""

from __future__ import annotations

from typing import Any

from indicators.plan.model import Definition

SCHEMA_ID = "https://plan-indikatorer.example/schema/indicator-definition.json"


def definition_schema() -> dict[str, Any]:
    """The schema of one definition file (the id comes from the file name, so it is left out)."""
    schema = Definition.model_json_schema(mode="validation")
    schema["properties"].pop("id", None)
    schema["required"] = [r for r in schema.get("required", []) if r != "id"]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Indicator definition (one file per indicator of a plan)"
    schema["description"] = (
        "One indicator per TOML file in indicators/definitions/, named <id>.toml. See indicators/README.md."
    )
    return schema
