"""Search text: what user text becomes for FTS5, and the same match decided in Python.

User text never reaches FTS5 or SQL as syntax. :func:`fts_query` reduces it to plain
letter/number tokens (the same split as the ``unicode61`` tokenizer), quotes each
whitespace-separated word as an FTS5 phrase and marks the last one as a prefix, so
quotes, ``NEAR(``, ``AND``, ``-``, ``*``, ``^``, ``:``, parentheses or ``'; DROP ...--``
are just characters that are not searched for. A ticket-looking term also matches the
ticket column by prefix. How a search's page is read is :mod:`.pages`' choice.
"""

from __future__ import annotations

import re
import unicodedata

from console.store.queue.filters import Where

_WORD = re.compile(r"[^\W_]+")
_TICKETISH = re.compile(r"^[A-Za-z]{0,8}[-/]?\d[\w\-/]*$")


def search_terms(text: str) -> list[list[str]]:
    """Whitespace-separated words of ``text``, each as its letter/number tokens.

    Mirrors the ``unicode61`` tokenizer: anything that is not a letter or digit
    separates tokens and is never passed on. Words without tokens are dropped."""
    text = unicodedata.normalize("NFC", text or "")
    words = []
    for chunk in text.split():
        tokens = _WORD.findall(chunk)
        if tokens:
            words.append(tokens)
    return words


def _quote(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for user text, or None when nothing is searchable.

    Each word becomes a quoted phrase (so ``BDG-2511-0001`` matches the ticket's tokens
    in order); the words are ANDed; the last word is a prefix unless its last token is a
    single character (a one-letter prefix would read most of the index)."""
    words = search_terms(text)
    if not words:
        return None
    parts = [_quote(" ".join(tokens)) for tokens in words]
    if len(words[-1][-1]) >= 2:
        parts[-1] += "*"
    return " ".join(parts)


def ticket_prefix(text: str) -> str | None:
    """If the search text is one ticket-looking word (letters, then digits, dashes), the
    upper-cased prefix to match the ticket column with; else None."""
    text = (text or "").strip()
    if not text or " " in text or len(text) < 3 or not _TICKETISH.match(text):
        return None
    if sum(ch.isdigit() for ch in text) < 2:
        return None
    return text.upper()


def prefix_range(prefix: str) -> tuple[str, str]:
    """[lo, hi) bounds selecting exactly the strings that start with ``prefix``."""
    return prefix, prefix + "\U0010ffff"


def _fold(text: str) -> str:
    """Case and diacritics folded like ``unicode61 remove_diacritics 2``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


#: The report columns the FTS index covers, in its order.
FTS_COLUMNS = ("ticket", "title", "description", "address")


class TextMatcher:
    """Decides in Python what :func:`fts_query` (plus the ticket prefix) would match, for
    one row's FTS columns: every word's tokens appear consecutively in one column, the
    last token of the last word as a prefix. Used to filter rows an index walk reads
    without asking FTS5 about each (it answers single-row probes very slowly).

    A substring test of the folded text rejects most rows before any tokenizing."""

    def __init__(self, text: str) -> None:
        words = search_terms(text)
        self.phrases = [[_fold(t) for t in tokens] for tokens in words]
        self.prefix = bool(words) and len(words[-1][-1]) >= 2
        self.ticket_prefix = ticket_prefix(text)
        self._needles = [t for phrase in self.phrases for t in phrase]

    def _has(self, tokens: list[str], phrase: list[str], prefix: bool) -> bool:
        k = len(phrase)
        for i in range(len(tokens) - k + 1):
            if tokens[i : i + k - 1] == phrase[:-1]:
                last = tokens[i + k - 1]
                if last == phrase[-1] or (prefix and last.startswith(phrase[-1])):
                    return True
        return False

    def __call__(self, ticket: str, title: str, description: str, address: str | None) -> bool:
        if not self.phrases:
            return False
        if self.ticket_prefix and ticket.startswith(self.ticket_prefix):
            return True
        folded = [_fold(v) if v else "" for v in (ticket, title, description, address)]
        joined = "\n".join(folded)
        if not all(n in joined for n in self._needles):
            return False
        columns = [_WORD.findall(v) for v in folded]
        last = len(self.phrases) - 1
        return all(
            any(self._has(tokens, phrase, self.prefix and i == last) for tokens in columns)
            for i, phrase in enumerate(self.phrases)
        )



def search_where(text: str) -> Where | None:
    """The search as one SQL condition over ``report r``; None when there is no search."""
    match = fts_query(text)
    if match is None:
        return None
    w = Where()
    cond = "r.pk IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)"
    params: list = [match]
    prefix = ticket_prefix(text)
    if prefix:
        lo, hi = prefix_range(prefix)
        cond = f"({cond} OR (r.ticket >= ? AND r.ticket < ?))"
        params += [lo, hi]
    w.add(cond, *params)
    return w

