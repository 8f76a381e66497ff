"""Text similarity for feedback, run locally: theme suggestions from keywords and from the
most similar already-tagged items (TF-IDF cosine through an inverted index), near-duplicate
groups (MinHash over words and word pairs, banded), and representative quotes (closest to a theme's
centre). Plain Python and numpy, no Flask; English and Polish words both count."""

import functools
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_STOP_TEXT = """a about after all also am an and any are as at be because been but by can could
did do does for from get got had has have he her here him his how i if in into is it its just
like me more my no not now of on one or our out over she so some than that the their them then
there they this to too up us very was we were what when where which who why will with would
you your i'm it's don't dont there's we're they're
a aby ale bo by być co czy dla do i ich innych jak jest jego jej już ma mi mnie na nas nie nich
nim o od oraz po pod przez przy się są ta tak tam te tego tej to tu ty w we z za że"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words; words of one letter are dropped."""
    return [w for w in WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS]


def _stem_match(word: str, keyword: str) -> bool:
    return word == keyword or (len(keyword) >= 4 and word.startswith(keyword))


def _keyword_hit(text: str, words: list[str], keyword: str) -> bool:
    """A one-word keyword matches a word or its start ("stab" in "stabbed"); a phrase must
    appear as written, word by word."""
    if " " in keyword:
        return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None
    return any(_stem_match(w, keyword) for w in words)


# Theme suggestions


@dataclass(frozen=True)
class Suggestion:
    theme: int  # theme id
    score: float  # 0..1
    why: str  # "keyword" | "similar"


class ThemeSuggester:
    """Built from tagged items [(tokens, theme ids)] and each theme's keywords; suggests
    themes for new text. Terms in more than `max_df` of the items carry no signal and are
    left out; each term's postings are numpy arrays, so the similarity to every tagged item
    is one weighted count over the new text's most distinctive terms."""

    def __init__(
        self,
        tagged: Sequence[tuple[list[str], Iterable[int]]],
        keywords: dict[int, list[str]],
        neighbours: int = 10,
        max_df: float = 0.2,
        query_terms: int = 12,
    ) -> None:
        self.keywords = {t: [k.lower() for k in words] for t, words in keywords.items()}
        self.neighbours, self.query_terms = neighbours, query_terms
        n = max(len(tagged), 1)
        df = Counter(term for words, _ in tagged for term in set(words))
        self.idf = {
            term: math.log((1 + n) / (1 + count)) + 1
            for term, count in df.items()
            if count / n <= max_df or n < 20
        }
        self.themes: list[frozenset[int]] = []
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for doc, (words, themes) in enumerate(tagged):
            self.themes.append(frozenset(themes))
            for term, weight in self._vector(words).items():
                docs, weights = postings[term]
                docs.append(doc)
                weights.append(weight)
        self.index = {
            term: (np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float64))
            for term, (docs, weights) in postings.items()
        }

    def _vector(self, words: list[str]) -> dict[str, float]:
        counts = Counter(w for w in words if w in self.idf)
        vector = {w: (1 + math.log(c)) * self.idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {w: v / norm for w, v in vector.items()}

    def similar(self, words: list[str]) -> list[tuple[int, float]]:
        """(tagged item index, cosine) of the most similar tagged items, best first (ties by
        index), scored on the text's `query_terms` heaviest terms."""
        vector = sorted(self._vector(words).items(), key=lambda kv: (-kv[1], kv[0]))
        parts = [(self.index[t], w) for t, w in vector[: self.query_terms] if t in self.index]
        if not parts:
            return []
        docs = np.concatenate([p[0] for p, _ in parts])
        weights = np.concatenate([p[1] * w for p, w in parts])
        scores = np.bincount(docs, weights=weights, minlength=len(self.themes))
        hits = np.flatnonzero(scores > 0)
        if len(hits) > self.neighbours:
            cut = np.argpartition(-scores[hits], self.neighbours - 1)[: self.neighbours]
            floor = scores[hits[cut]].min()
            hits = hits[scores[hits] >= floor]
        best = sorted(((int(d), float(scores[d])) for d in hits), key=lambda kv: (-kv[1], kv[0]))
        return best[: self.neighbours]

    def suggest(self, text: str, limit: int = 3, threshold: float = 0.15) -> list[Suggestion]:
        words = tokens(text)
        lowered = " ".join(text.lower().split())
        found: dict[int, Suggestion] = {}
        for theme, keys in self.keywords.items():
            if any(_keyword_hit(lowered, words, k) for k in keys):
                found[theme] = Suggestion(theme, 1.0, "keyword")
        votes: dict[int, float] = defaultdict(float)
        neighbours = self.similar(words)
        total = sum(score for _, score in neighbours) or 1.0
        for doc, score in neighbours:
            for theme in self.themes[doc]:
                votes[theme] += score / total
        for theme, score in votes.items():
            if score >= threshold and theme not in found:
                found[theme] = Suggestion(theme, round(score, 3), "similar")
        ranked = sorted(found.values(), key=lambda s: (-s.score, s.theme))
        return ranked[:limit]


# Near-duplicates

_PRIME = (1 << 61) - 1
_BANDS, _ROWS = 24, 3  # 72 hashes: texts 0.6 similar meet in some band 997 times in 1,000
_CACHED = 12_000  # texts whose shingles and signature are kept: a file and the items before it


@functools.lru_cache(maxsize=_CACHED)
def _shingles(text: str) -> frozenset[int]:
    """The text's words and pairs of words, hashed."""
    words = tokens(text)
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return frozenset(zlib.crc32(p.encode()) for p in words + pairs)


_HASH_RNG = np.random.default_rng(20261123)
_A = _HASH_RNG.integers(1, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
_B = _HASH_RNG.integers(0, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
_EMPTY = np.full(_BANDS * _ROWS, np.iinfo(np.uint64).max, dtype=np.uint64)


@functools.lru_cache(maxsize=_CACHED)
def _signature(text: str) -> np.ndarray:
    """The text's MinHash signature (cached with its shingles: an import compares each new
    text with the items before it, so the same texts come round again)."""
    shingles = _shingles(text)
    if not shingles:
        return _EMPTY
    x = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))[:, None]
    return ((x * _A + _B) % np.uint64(_PRIME)).min(axis=0)  # wraps, still a hash


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else float(a == b)


def _band_pairs(signatures: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Every (first, other) pair of texts that share a band's hashes, `first` being the first
    text in that band's bucket: as int64 codes first * n + other, each once."""
    n = len(signatures)
    rows = np.flatnonzero(usable)
    codes = []
    for band in range(_BANDS):
        keys = np.ascontiguousarray(signatures[rows, band * _ROWS : (band + 1) * _ROWS])
        keys = keys.view(np.dtype((np.void, keys.dtype.itemsize * _ROWS))).ravel()
        order = np.argsort(keys, kind="stable")  # within a bucket, in text order
        ordered = keys[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        first = rows[order][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
        other = rows[order]
        pairs = ~starts
        codes.append(first[pairs].astype(np.int64) * n + other[pairs])
    return np.unique(np.concatenate(codes)) if codes else np.array([], dtype=np.int64)


def duplicate_groups(texts: Sequence[str], threshold: float = 0.6) -> list[int]:
    """A group number per text: texts whose words and word pairs overlap by `threshold`
    (Jaccard) or more share one (the position of the group's first text). Candidates come
    from MinHash bands: the first text of each band's bucket is compared with the others."""
    sets = [_shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if not texts:
        return []
    signatures = np.stack([_signature(t) for t in texts])
    usable = np.array([bool(s) for s in sets])
    n = len(texts)
    for code in _band_pairs(signatures, usable).tolist():
        first, other = divmod(code, n)
        a, b = root(first), root(other)
        if a != b and _jaccard(sets[first], sets[other]) >= threshold:
            parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(texts))]


def representative(texts: Sequence[str], limit: int = 3) -> list[int]:
    """Positions of the texts closest to the centre of them all (TF-IDF cosine): the quotes
    that say what most people said."""
    docs = [tokens(t) for t in texts]
    if not docs:
        return []
    n = len(docs)
    df = Counter(term for words in docs for term in set(words))
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
    vectors = []
    for words in docs:
        counts = Counter(words)
        vector = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    centre: dict[str, float] = defaultdict(float)
    for vector in vectors:
        for w, v in vector.items():
            centre[w] += v / n
    scores = [sum(v * centre[w] for w, v in vector.items()) for vector in vectors]
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    return order[:limit]


def rank_by_similarity(query: str, texts: Sequence[str], limit: int = 10) -> list[int]:
    """Positions of the texts most like the query (TF-IDF cosine), best first; texts sharing
    no word with it are left out."""
    docs = [tokens(t) for t in texts]
    n = max(len(docs), 1)
    df = Counter(term for words in docs for term in set(words))
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}

    def vector(words: list[str]) -> dict[str, float]:
        counts = Counter(w for w in words if w in idf)
        raw = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {w: v / norm for w, v in raw.items()}

    wanted = vector(tokens(query))
    scores = [
        (sum(wanted.get(w, 0.0) * v for w, v in vector(words).items()), i)
        for i, words in enumerate(docs)
    ]
    return [i for score, i in sorted(scores, key=lambda s: (-s[0], s[1])) if score > 0][:limit]
