"""The prefilter of fuzzy matching (core.fuzzy) gives what one plain rapidfuzz pass gives."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from core.fuzzy import RatioIndex

# Letters that folded names use most, digits, and characters that fold leaves in place (Korean, Chinese, Lao).
ALPHABET = "aeinogthukrsclm0123456789한국中国ວຽງ"


def spellings(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    found = {"".join(rng.choices(ALPHABET, k=rng.randint(1, 40))) for _ in range(count)}
    return sorted(found)


CHOICES = spellings(3000) + ["a" * 300, "ab" * 140, "", "Seoul", "SEOUL"]
INDEX = RatioIndex(CHOICES)


def plain(text: str, choices: list[str], limit: int = 30, cutoff: float = 60.0):
    found = process.extract(text, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
    return [tuple(match) for match in found]


def test_the_prefilter_is_built_for_a_long_list_only():
    assert INDEX.counts is not None
    assert RatioIndex(CHOICES[:100]).counts is None
    assert RatioIndex(CHOICES[:100]).possible("seoul", score_cutoff=60.0) is None


def test_the_prefilter_leaves_most_spellings_out_and_keeps_every_match():
    for text in ("seoul", "aeinog", "한국中国", "gangnamgu", CHOICES[1500][:-1] + "x"):
        possible = INDEX.possible(text, score_cutoff=60.0)
        assert len(possible) < len(CHOICES) / 4, text
        assert {position for _choice, _score, position in plain(text, CHOICES, limit=len(CHOICES))} <= set(possible)
    # Past one byte of one letter the counts cannot bound the text: every spelling is compared.
    assert INDEX.possible("a" * 300, score_cutoff=60.0) is None


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=ALPHABET + "xyzA", max_size=60),
    limit=st.integers(min_value=1, max_value=60),
    cutoff=st.sampled_from([0.0, 40.0, 60.0, 88.0, 100.0]),
)
def test_the_same_spellings_scores_and_order_as_one_plain_pass(text, limit, cutoff):
    assert INDEX.extract(text, limit=limit, score_cutoff=cutoff) == plain(text, CHOICES, limit, cutoff)


def test_spellings_of_the_list_and_near_misses_find_the_same():
    for choice in CHOICES[::37]:
        for text in (choice, choice[1:], choice[:-1] + "x", choice[::-1]):
            assert INDEX.extract(text, limit=30, score_cutoff=60.0) == plain(text, CHOICES)


def test_a_spelling_with_hundreds_of_one_letter_is_still_found():
    # Counts are kept in one byte: "a" * 300 counts as 255 of every class, which still bounds it from above.
    assert ("a" * 300, 100.0, CHOICES.index("a" * 300)) in INDEX.extract("a" * 300, limit=5, score_cutoff=60.0)
    assert INDEX.extract("a" * 250, limit=5, score_cutoff=60.0) == plain("a" * 250, CHOICES, 5)


def test_a_query_with_hundreds_of_one_letter_is_compared_with_every_spelling():
    text = "ab" * 140
    assert INDEX.extract(text, limit=5, score_cutoff=60.0) == plain(text, CHOICES, 5)
    assert INDEX.extract(text, limit=5, score_cutoff=60.0)[0] == (text, 100.0, CHOICES.index(text))


def test_case_counts_as_rapidfuzz_counts_it():
    assert INDEX.extract("SEOUL", limit=3, score_cutoff=90.0) == plain("SEOUL", CHOICES, 3, 90.0)
    assert INDEX.extract("SEOUL", limit=3, score_cutoff=90.0)[0][0] == "SEOUL"


def test_an_empty_text_finds_what_rapidfuzz_finds():
    assert INDEX.extract("", limit=3, score_cutoff=60.0) == plain("", CHOICES, 3)
