"""The search query language: words, phrases, fields, negation and OR, parsed without ever raising.

Syntax (summarised for users in `SYNTAX`):
- bare words must all match (AND); `"quoted phrases"` match words in that order, next to each other;
- `field:value` and `field:"a phrase"` search one field; `-word`, `-"phrase"`, `-field:value` exclude;
- `OR` (upper case) between two terms makes either enough; parentheses are not needed and are ignored;
- every word matches the start of a word (`brex` finds Brexit), ignoring case and accents.

Text is compared through `terms()`: casefold, NFKD, combining marks dropped, split into runs of letters and
digits, each run UTF-8 encoded. The index stores these byte strings: bytes make the ASCII fast path (one
`bytes.translate` and `split` per text) several times faster than a regex, which is what lets 100,000
annotations be indexed in about a second.

A malformed query (unclosed quote, unknown field, empty value, stray OR) is read as well as it can be and
each problem is recorded in `Query.warnings` with its 1-based position; `parse_query(text, strict=True)`
raises `QueryError` with the first one instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from operator import not_

from reader.errors import QueryError

# Fields on the annotation itself, on its document, and the sentence field of `text:` queries.
ANNOTATION_FIELDS = ("note", "quote", "tag", "label", "by")
DOCUMENT_FIELDS = ("doc", "author", "party", "outlet")
FILTER_FIELDS = ("origin", "has", "rel", "linked")
TEXT_FIELD = "text"
FIELDS = (*ANNOTATION_FIELDS, *DOCUMENT_FIELDS, *FILTER_FIELDS, TEXT_FIELD)
ALIASES = {
    "notes": "note",
    "quotes": "quote",
    "tags": "tag",
    "labels": "label",
    "annotator": "by",
    "title": "doc",
    "sentence": "text",
}
HAS_VALUES = ("note", "link", "tag", "label", "quote")
ORIGIN_VALUES = ("manual", "suggestion")

SYNTAX = (
    ("words", "all must match; prefixes work: brex finds Brexit"),
    ('"a phrase"', "words next to each other, in order"),
    ("-word", "exclude; also -field:value"),
    ("a OR b", "either term"),
    ("label: tag: note: quote:", "fields of the annotation"),
    ("doc: author: party: outlet:", "document id or title, metadata"),
    ("by:name origin:manual|suggestion", "annotator, where it came from"),
    ("has:note has:link has:tag", "annotations that have one"),
    ("rel:supports linked:", "with an outgoing link of a type; in any link"),
    ("text:words", "search the documents' own sentences"),
)

_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# In an original (unfolded) text a word may carry combining marks, which are not \w.
_WORD_IN_TEXT = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+"
)
MARK = b"\x01"  # ends each text of a batch; never part of a word, which is letters and digits
# ASCII letters are lowered, \x01 kept as the record mark, everything else but letters and digits
# becomes a space.
_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if (c == 1 or 48 <= c <= 57 or 97 <= c <= 122 or c > 127) else 32
    for c in range(256)
)
_NON_WORD = re.compile(r"[^\w\x01]+|_+")
PUNCTUATION = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00a0\u00ab\u00bb\u2022\u00b7\u00a3\u20ac"
_FIELD = re.compile(r"([^\W\d_][\w]*):")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: casefold, compatibility decomposition, marks dropped."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())


def batch_terms(texts: Sequence[str]) -> list[bytes]:
    """The terms of every text, in order, each text's followed by MARK: one pass for a whole batch.

    Bytes make this fast: one `translate` lowers ASCII letters and blanks ASCII punctuation, `split`
    cuts the words, and only the few words holding non-ASCII characters are folded one by one.
    """
    if not texts:
        return []
    joined = " \x01 ".join(texts) + " \x01"
    if joined.count("\x01") != len(texts):  # a text holds the mark itself: blank it out
        joined = " \x01 ".join(t.replace("\x01", " ") for t in texts) + " \x01"
    if not joined.isascii():
        # Typographic punctuation is common in prose and never part of a word: blank it in C.
        for mark in PUNCTUATION:
            if mark in joined:
                joined = joined.replace(mark, " ")
    raw = joined.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE).split()
    if joined.isascii():
        return raw
    out: list[bytes] = []
    done = 0
    for at in compress(count(), map(not_, map(bytes.isascii, raw))):
        out += raw[done:at]
        folded = fold(raw[at].decode("utf-8", "surrogatepass"))
        out += _NON_WORD.sub(" ", folded).encode("utf-8", "surrogatepass").split()
        done = at + 1
    out += raw[done:]
    return out


def terms(text: str) -> list[bytes]:
    """The folded words of `text`, in order, as UTF-8 bytes (the index's terms)."""
    return batch_terms([text])[:-1]


def word_spans(text: str) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, term) for every word of `text`, with offsets into `text` itself."""
    for match in _WORD_IN_TEXT.finditer(text):
        for term in terms(match.group()):
            yield match.start(), match.end(), term


@dataclass(frozen=True, slots=True)
class Term:
    """One condition. `words` match consecutive words of one field text, each as a word prefix."""

    field: str | None  # None: the default fields (note, quote, tags, label and document metadata)
    words: tuple[bytes, ...] = ()
    negated: bool = False
    value: str = ""  # the resolved value of has: and origin:
    start: int = 0  # span of the term in the query text
    end: int = 0

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        sign = "-" if self.negated else ""
        name = f"{self.field}:" if self.field else ""
        if self.field in FILTER_FIELDS:
            return f"{sign}{name}{self.value}"
        words = " ".join(w.decode("utf-8", "replace") for w in self.words)
        return f'{sign}{name}"{words}"' if self.phrase else f"{sign}{name}{words}"


@dataclass
class Query:
    """A parsed query: every group must match (a group matches if any of its terms does), no
    excluded term may match. A query with no terms matches nothing."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def searches_text(self) -> bool:
        """True when the query searches document sentences (`text:`) rather than annotations."""
        terms_ = [*self.positive_terms, *self.excluded]
        return any(term.field == TEXT_FIELD for term in terms_)

    def __str__(self) -> str:
        parts = [" OR ".join(str(t) for t in group) for group in self.groups]
        return " ".join([*parts, *(str(t) for t in self.excluded)])


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.warnings: list[str] = []
        self.noted_parens = False

    def warn(self, at: int, message: str) -> None:
        self.warnings.append(f"position {at + 1}: {message}")

    def items(self) -> Iterator[Term | int]:
        """Terms, and the position of each OR as an int."""
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(text):
                return
            start = self.pos
            end = self._token_end(start)
            if text[start:end] == "OR":
                self.pos = end
                yield start
                continue
            term = self._term(start)
            if term is not None:
                yield term

    def _token_end(self, start: int) -> int:
        end = start
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        return end

    def _parens(self, at: int) -> None:
        if not self.noted_parens:
            self.noted_parens = True
            self.warn(
                at, "parentheses are not needed and were ignored; OR joins the terms beside it"
            )

    def _term(self, start: int) -> Term | None:
        text = self.text
        pos = start
        negated = text[pos] == "-" and pos + 1 < len(text) and not text[pos + 1].isspace()
        pos += negated
        while pos < len(text) and text[pos] == "(":
            self._parens(pos)
            pos += 1
        name: str | None = None
        unknown = ""
        match = _FIELD.match(text, pos)
        if match:
            given = match.group(1).casefold()
            name = ALIASES.get(given, given)
            if name not in FIELDS:
                self.warn(
                    pos,
                    f'unknown field "{match.group(1)}:" (fields: {", ".join(FIELDS)}); '
                    "searched for it as words",
                )
                unknown, name = match.group(1) + " ", None
            pos = match.end()
        if pos < len(text) and text[pos] == '"':
            close = text.find('"', pos + 1)
            if close < 0:
                self.warn(pos, "the quote is never closed; read as a phrase to the end")
                value, self.pos = text[pos + 1 :], len(text)
            else:
                value, self.pos = text[pos + 1 : close], close + 1
        else:
            self.pos = self._token_end(pos)
            value = text[pos : self.pos]
            stripped = value.rstrip(")")
            if len(stripped) < len(value):
                self._parens(pos + len(stripped))
            value = stripped
        return self._build(name, unknown + value, negated, start)

    def _build(self, name: str | None, value: str, negated: bool, start: int) -> Term | None:
        shown = self.text[start : self.pos]
        if name == "linked":
            if value.strip():
                self.warn(start, f'linked: takes no value; "{shown}" read as linked:')
            return Term(name, (), negated, "", start, self.pos)
        if name == "rel":
            # Relation types are the corpus's own (corpus.toml), so any name is taken as it is.
            kind = fold(value.strip())
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", kind):
                self.warn(
                    start, f'"{shown}" needs a relation type after rel:, like rel:supports; ignored'
                )
                return None
            return Term(name, (), negated, kind, start, self.pos)
        if name in FILTER_FIELDS:
            options = HAS_VALUES if name == "has" else ORIGIN_VALUES
            resolved = _resolve(fold(value.strip()), options)
            if resolved is None:
                self.warn(
                    start,
                    f'"{shown}" needs one of {", ".join(options)} after {name}:; ignored',
                )
                return None
            return Term(name, (), negated, resolved, start, self.pos)
        words = tuple(terms(value))
        if not words:
            what = "nothing to search for" if name is None else f"{name}: needs a value"
            self.warn(start, f'{what} in "{shown}"; ignored')
            return None
        return Term(name, words, negated, "", start, self.pos)


def _resolve(value: str, options: tuple[str, ...]) -> str | None:
    """The option `value` names: exactly, as a plural, or as the start of exactly one option."""
    if value in options or (value.endswith("s") and value[:-1] in options):
        return value if value in options else value[:-1]
    found = [option for option in options if value and option.startswith(value)]
    return found[0] if len(found) == 1 else None


def parse_query(text: str, strict: bool = False) -> Query:
    """Parse `text`; never raises unless `strict`, in which case the first problem is a QueryError."""
    parser = _Parser(text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or: int | None = None
    previous: Term | None = None
    for item in parser.items():
        if isinstance(item, int):
            if previous is None or previous.negated or pending_or is not None:
                parser.warn(item, "OR needs a term on each side; ignored")
            else:
                pending_or = item
            continue
        if item.negated:
            if pending_or is not None:
                parser.warn(pending_or, "OR cannot join an excluded term; ignored")
                pending_or = None
            excluded.append(item)
        elif pending_or is not None and groups:
            groups[-1].append(item)
            pending_or = None
        else:
            groups.append([item])
        previous = item
    if pending_or is not None:
        parser.warn(pending_or, "OR needs a term on each side; ignored")
    query = Query(text, tuple(tuple(g) for g in groups), tuple(excluded), parser.warnings)
    if query.searches_text:
        for term in [*query.positive_terms, *query.excluded]:
            if term.field in (*ANNOTATION_FIELDS, *FILTER_FIELDS):
                parser.warn(
                    term.start,
                    f'"{query.text[term.start : term.end]}" is about annotations, but text: '
                    "searches the documents' sentences; ignored",
                )
    if strict and query.warnings:
        raise QueryError(f"query {text!r}: {query.warnings[0]}")
    return query


def _phrase_pattern(words: tuple[bytes, ...]) -> re.Pattern[bytes]:
    # Matched against b" ".join(terms(text)): each word starts a term, the terms are consecutive.
    return re.compile(rb"(?:^| )" + rb"[^ ]* ".join(re.escape(w) for w in words))


_PATTERNS: dict[tuple[bytes, ...], re.Pattern[bytes]] = {}


def contains(text: str, words: tuple[bytes, ...]) -> bool:
    """True when `words` start consecutive words of `text` (one word: any word starts with it)."""
    pattern = _PATTERNS.get(words)
    if pattern is None:
        if len(_PATTERNS) > 1000:
            _PATTERNS.clear()
        pattern = _PATTERNS[words] = _phrase_pattern(words)
    return pattern.search(b" ".join(terms(text))) is not None


def label_warnings(query: Query, labels: Sequence[str]) -> list[str]:
    """A warning for each `label:` term that no label in `labels` (the scheme's and those in the
    store) can match: `label:clam` finds nothing, and should say why rather than "no matches"."""
    out = []
    for term in [*query.positive_terms, *query.excluded]:
        if (
            term.field == "label"
            and term.words
            and not any(contains(n, term.words) for n in labels)
        ):
            known = ", ".join(sorted(set(labels))) or "none yet"
            out.append(f"position {term.start + 1}: {term} matches no label ({known})")
    return out
