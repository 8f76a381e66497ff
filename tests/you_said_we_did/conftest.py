"""The feedback tests' fixtures (themes with the starting safeguarding phrases, an officer, a
safeguarding lead), shared rather than repeated."""

from tests.feedback.conftest import lead, officer, themes

__all__ = ["lead", "officer", "themes"]
