"""Validates JSON documents against a JSON Schema with the `jsonschema` package (draft 2020-12).

Usage: python3 validate_schema.py SCHEMA.json < batch

The batch on stdin is one JSON array of documents, each {"name": ..., "text": ...}. The answer on
stdout is one JSON array, in the same order, of {"name": ..., "errors": [...]}, where each error
is {"path": JSON Pointer of the failing value, "validator": the failing keyword, "message": ...}.
The schema itself is checked against the draft's meta-schema first; a bad schema exits 3.
"""
import json
import sys

import jsonschema


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"the schema is not a valid draft 2020-12 schema: {e.message}", file=sys.stderr)
        return 3
    validator = cls(schema)
    answers = []
    for doc in json.load(sys.stdin):
        errors = []
        try:
            instance = json.loads(doc["text"])
        except ValueError as e:
            errors.append({"path": "", "validator": "json", "message": str(e)})
        else:
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
                errors.append({"path": pointer(e.absolute_path), "validator": e.validator, "message": e.message})
        answers.append({"name": doc["name"], "errors": errors})
    json.dump(answers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
