"""Safeguarding triage: does a piece of feedback contain a phrase that may mean someone is at
risk? Phrases are matched as whole words, ignoring case, extra spaces and curly apostrophes;
a trailing * matches any ending ("abus*" finds "abuse" and "abused"). Plain Python, no Flask.
A match never publishes anything: it sends the item to the safeguarding lead."""

import re
from collections.abc import Iterable


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).lower()


def _phrase_body(phrase: str) -> str:
    phrase = normalise(phrase).strip()
    wildcard = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    ending = r"\w*" if wildcard else ""
    return f"{body}{ending}"


def _phrase_pattern(phrase: str) -> str:
    return rf"(?<!\w){_phrase_body(phrase)}(?!\w)"


class Scanner:
    """Built once from the indicator phrases; `scan` gives the phrases a text contains."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = [p for p in phrases if p and p.strip().rstrip("*").strip()]
        self._patterns = [(p, re.compile(_phrase_pattern(p))) for p in self.phrases]
        # The word boundaries outside one alternation: the engine tests them once per position
        # instead of once per phrase (about ten times faster; the same texts match).
        joined = "|".join(_phrase_body(p) for p in self.phrases)
        self._any = re.compile(rf"(?<!\w)(?:{joined})(?!\w)") if joined else None

    def scan(self, text: str) -> list[str]:
        if self._any is None:
            return []
        clean = normalise(text)
        if not self._any.search(clean):  # one pass for the usual case: nothing found
            return []
        return [phrase for phrase, pattern in self._patterns if pattern.search(clean)]
