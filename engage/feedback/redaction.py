"""Taking personal data out of the public copy of what someone said: email addresses, UK
phone numbers, full postcodes, vehicle registrations, and names an officer marks. Plain
Python, no Flask: the caller passes the words that replace each kind, in the item's language.
Postcode districts ("NN17") and towns stay: they say where, not who."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 07700 900123, +44 7700 900 123, +44 (0)1536 123456, (01536) 123456, 0800-123-4567
PHONE = re.compile(r"(?<![\w+])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)\d(?:[\s\-)]{0,2}\d){8,9}(?!\w)")
POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)
# Current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D) styles, written in capitals.
VEHICLE = re.compile(
    r"(?<!\w)(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])(?!\w)"
)
KINDS = ("email", "phone", "postcode", "vehicle", "name")
PATTERNS = (("email", EMAIL), ("phone", PHONE), ("postcode", POSTCODE), ("vehicle", VEHICLE))
DEFAULT_LABELS = {
    "email": "[email removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "vehicle": "[vehicle registration removed]",
    "name": "[name removed]",
}


@dataclass
class Redaction:
    text: str
    found: dict[str, int] = field(default_factory=dict)  # kind -> how many were removed

    @property
    def changed(self) -> bool:
        return any(self.found.values())


def _name_pattern(names: list[str]) -> re.Pattern | None:
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(text: str, names: Sequence[str] = (), labels: dict[str, str] | None = None) -> Redaction:
    """The text with personal data replaced by labels (in English unless given)."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    found: dict[str, int] = {}
    patterns = list(PATTERNS)
    named = _name_pattern(list(names))
    if named is not None:
        patterns.append(("name", named))
    for kind, pattern in patterns:
        text, count = pattern.subn(labels[kind], text)
        if count:
            found[kind] = count
    return Redaction(text, found)
