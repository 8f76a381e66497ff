"""Stable uuids: a record keeps its uuid for life; one derived from a name is the same on
every machine (so the demo, migrations and re-imports agree)."""

import uuid

# Also written into migration 0030, which gave existing records their uuids.
NAMESPACE = uuid.UUID("6f1d3c2a-8a51-5c1e-9a43-2f0e4f6b7d10")


def derived(*parts: object) -> str:
    """The uuid named by these parts, e.g. derived("service", "demo-svc-0001")."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False
