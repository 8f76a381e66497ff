"""What is wrong with a value, in words an officer or a developer can act on (and in their
language): the checks the typed models make, told without Python's jargon."""

from typing import Any

from flask_babel import gettext as _
from pydantic_core import ErrorDetails


def _limits(ctx: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in ctx.items() if isinstance(value, int | float | str)}


def describe(error: ErrorDetails) -> str:
    """One validation error (as pydantic reports it) as a sentence."""
    kind, ctx = error.get("type", ""), _limits(error.get("ctx") or {})
    messages = {
        "missing": lambda: _("this is required"),
        "string_too_long": lambda: _("use %(n)s characters or fewer", n=ctx.get("max_length")),
        "string_too_short": lambda: _("this must not be empty"),
        "string_type": lambda: _("this must be text"),
        "string_pattern_mismatch": lambda: _("this is not in the expected form"),
        "int_parsing": lambda: _("this must be a whole number"),
        "int_type": lambda: _("this must be a whole number"),
        "int_from_float": lambda: _("this must be a whole number"),
        "float_parsing": lambda: _("this must be a number"),
        "float_type": lambda: _("this must be a number"),
        "finite_number": lambda: _("this must be a number"),
        "decimal_parsing": lambda: _("this must be a number"),
        "decimal_type": lambda: _("this must be a number"),
        "decimal_max_places": lambda: _(
            "use at most %(n)s decimal places", n=ctx.get("decimal_places")
        ),
        "decimal_max_digits": lambda: _("this number is too large"),
        "decimal_whole_digits": lambda: _("this number is too large"),
        "greater_than_equal": lambda: _("use %(n)s or more", n=ctx.get("ge")),
        "greater_than": lambda: _("use more than %(n)s", n=ctx.get("gt")),
        "less_than_equal": lambda: _("use %(n)s or less", n=ctx.get("le")),
        "less_than": lambda: _("use less than %(n)s", n=ctx.get("lt")),
        "bool_parsing": lambda: _("use true or false"),
        "bool_type": lambda: _("use true or false"),
        "literal_error": lambda: _("use one of: %(values)s", values=ctx.get("expected", "")),
        "enum": lambda: _("use one of: %(values)s", values=ctx.get("expected", "")),
        "list_type": lambda: _("this must be a list"),
        "model_type": lambda: _("this must be an object with named fields"),
        "dict_type": lambda: _("this must be an object with named fields"),
        "model_attributes_type": lambda: _("this must be an object with named fields"),
        "date_from_datetime_inexact": lambda: _("use a date like 2026-03-31"),
        "extra_forbidden": lambda: _("this is not a parameter of this address"),
        "value_error": lambda: _value_error(str((error.get("ctx") or {}).get("error", ""))),
    }
    if kind.startswith(("date_", "datetime_")):
        return _("use a date like 2026-03-31 or a date and time like 2026-03-31T09:00:00Z")
    if kind.startswith("time_"):
        return _("use a time like 09:30")
    found = messages.get(kind)
    return found() if found else _("this value is not valid here")


def _value_error(detail: str) -> str:
    if detail == "nul":
        return _("this contains a NUL character, which text cannot hold")
    return _("this value is not valid here")


def path(location: tuple[Any, ...]) -> str:
    """Where in a document: contents/3/schedules/0/opens_at."""
    return "/".join(str(part) for part in location)
