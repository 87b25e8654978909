"""Fuzzy matching of one text against many spellings: rapidfuzz's ``ratio``, with a prefilter that skips the
spellings that cannot reach the cut-off (issue 17, item 13: the resolver's API against one rapidfuzz pass).

Why a prefilter: one ``process.extract`` pass over the 22,000 spellings of the national data takes about 1.2 ms
when they sit in the processor's cache and two to four times that inside a request, where the request's own work
has pushed the 22,000 string objects out of it: the pass is bound by reading them, not by comparing them.

What it skips, exactly: ``ratio`` is ``200 * LCS / (len(a) + len(b))``, where LCS is the length of the longest
common subsequence of the two strings, and a common subsequence uses each character no more often than the
string that has fewer of it. So ``sum over characters of min(count in a, count in b)`` bounds the LCS from above,
and a spelling whose bound gives less than the cut-off cannot score it. The counts of every spelling are kept in
a small array, one row per letter (digits share one row, every other character another: a class shared by several
characters still bounds from above); a query adds up the rows of its own letters, a few vectorised operations,
and rapidfuzz compares only what is left (a fifteenth of the spellings, on the national data). The answer is the
one ``process.extract`` gives over every spelling: the same spellings, scores and order (ties in the order of
``choices``), which the tests check against it.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGIT_ROW = len(_LETTERS)
_OTHER_ROW = _DIGIT_ROW + 1
_ROWS = _OTHER_ROW + 1
# The row of each character below 128 (others: _OTHER_ROW); upper case is counted apart from lower case, as
# ratio compares them (folded text has none).
_ROW_OF = np.full(128, _OTHER_ROW, dtype=np.intp)
_ROW_OF[[ord(letter) for letter in _LETTERS]] = np.arange(len(_LETTERS))
_ROW_OF[[ord(digit) for digit in "0123456789"]] = _DIGIT_ROW
# Counts are kept in one byte; a spelling with more than this of one character class counts as having this many
# of every class, which still bounds it from above for any query with no more than this of one class.
_SATURATED = 255
# Below this many spellings one plain pass is as quick as the prefilter's arithmetic.
_PREFILTER_FROM = 2000
# Floating-point slack for the cut-off: rapidfuzz compares its score as a double.
_SLACK = 1e-6


def _rows(text: str) -> np.ndarray:
    """The row of each character of ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.where(codes < 128, _ROW_OF[np.minimum(codes, 127)], _OTHER_ROW)


class RatioIndex:
    """``choices`` ready to be compared with a text by rapidfuzz's ``ratio`` (see the module's docstring)."""

    def __init__(self, choices: list[str]):
        self.choices = choices
        self.lengths = np.fromiter((len(choice) for choice in choices), dtype=np.int64, count=len(choices))
        self.counts: np.ndarray | None = None
        if len(choices) >= _PREFILTER_FROM:
            owner = np.repeat(np.arange(len(choices)), self.lengths)
            flat = np.bincount(_rows("".join(choices)) * len(choices) + owner, minlength=_ROWS * len(choices))
            counts = flat.reshape(_ROWS, len(choices))
            counts[:, (counts > _SATURATED).any(axis=0)] = _SATURATED
            # One contiguous row per character class: a query reads only the rows of its own characters.
            self.counts = np.ascontiguousarray(counts, dtype=np.uint8)

    def possible(self, text: str, *, score_cutoff: float) -> list[int] | None:
        """The positions in ``choices`` of the spellings whose letter counts let them reach ``score_cutoff`` against
        ``text``, in order; None where every spelling is compared (a short list, an empty text, a text with more
        of one character class than the counts hold)."""
        if self.counts is None or not text:
            return None
        rows, per_row = np.unique(_rows(text), return_counts=True)
        if per_row.max() > _SATURATED:
            return None
        bound = np.zeros(len(self.choices), dtype=np.int64)
        for row, count in zip(rows.tolist(), per_row.tolist(), strict=True):
            bound += np.minimum(self.counts[row], count)
        return np.flatnonzero(200 * bound >= (score_cutoff - _SLACK) * (len(text) + self.lengths)).tolist()

    def extract(self, text: str, *, limit: int, score_cutoff: float) -> list[tuple[str, float, int]]:
        """What ``process.extract(text, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=score_cutoff)``
        gives: (spelling, score, position in ``choices``), best first."""
        positions = self.possible(text, score_cutoff=score_cutoff)
        if positions is None:
            return process.extract(text, self.choices, scorer=fuzz.ratio, limit=limit, score_cutoff=score_cutoff)
        found = process.extract(
            text,
            [self.choices[position] for position in positions],
            scorer=fuzz.ratio,
            limit=limit,
            score_cutoff=score_cutoff,
        )
        return [(choice, score, positions[kept]) for choice, score, kept in found]
