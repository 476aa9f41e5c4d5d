"""The plan and its indicator definitions: the validated model, the formula language, loading and validation, the JSON Schema."""
