"""The Open Referral UK 3.0 schemas (our copies in tests/fixtures/oruk/schemas, written from
the standard) and the example documents, for tests."""

import io
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "oruk"
EXAMPLES = FIXTURES / "examples"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((FIXTURES / "schemas" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(name: str, instance: Any) -> list[str]:
    """What is wrong with `instance` against the standard's schema `name` (none: it is right)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator(name).iter_errors(instance)
    ]


def nulls(value: Any, where: str = "") -> list[str]:
    """Paths of every null or empty string (the standard leaves such fields out)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{where}/{k}")]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in nulls(v, f"{where}/{n}")]
    return [where] if value is None or value == "" else []


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def tabular_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "tabular").glob("*.csv")):
            archive.write(path, f"harborough/{path.name}")
    return buffer.getvalue()
