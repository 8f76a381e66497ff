from tests.workers import worker  # noqa: F401  (a real Huey consumer)
