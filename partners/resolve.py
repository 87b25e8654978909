"""Resolving a written name to the partners it may mean (issue 3, "Resolving names").

Documents name one partner in many ways: "Sê Koong", "tỉnh Sê Koong, Lào", "tỉnh giáp biên Sê Koong (Lào)",
"Xekong Province"; "Chăm pa sắc" and "Champasak"; "Stenzendre" for Szentendre. The resolver compares a
written name with every spelling of every live partner: its names in three languages, the spellings met in
documents (aliases) and the names of its ISO 3166-2 subdivision.

How it works:

- Text is compared folded (:func:`core.text.fold`: NFC, no diacritics, case, spaces or hyphens).
- What documents wrap around a name is stripped before matching, from the text and from every spelling in
  the index alike: one Vietnamese generic phrase at the start ("tỉnh", "thành phố", "huyện", "công ty"...),
  one English one at the end ("Province", "City", "-do"...), and qualifiers in parentheses or after a
  comma ("(Hàn Quốc)", ", tỉnh Gyeonggi, Hàn Quốc"). A qualifier that names a country is the country hint
  when none is given; a short parenthesised name ("(KOICA)") is matched on its own. The whole text and its
  core are both looked up exactly and the best score is kept; fuzzily, the core is compared with the cores
  of the index, and the whole text only breaks ties (a shared "thành phố" says nothing about which city).
- Vietnamese exonyms ("Viêng Chăn" for Vientiane, "Quảng Tây" for Guangxi) come from ``exonyms.json``,
  in both directions; a written exonym is recognised through a typo, and its other spellings are then
  looked up exactly (and as a word of a longer name), not fuzzily.
- A partner's name inside a longer text ("Đoàn đại biểu thành phố Yongin") and a one-word text inside a
  longer name ("Yokoi" in "Công ty Yokoi Mould Việt Nam") are found too, with lower scores.
- Spellings live in an in-memory index built once per process and rebuilt when the data changes: saves and
  deletes in this process invalidate it through signals, and each call compares the highest ids of the four
  tables involved and of their history tables (one query of index probes, :class:`_IndexCache`) to see what
  other processes wrote. Building it for 5,000 partners takes under a second.
- Fuzzy matching is rapidfuzz's ``ratio`` over folded strings (``process.extract`` with a cut-off): about
  a millisecond over 20,000 spellings, where ``WRatio`` or ``token_set_ratio`` take 15 to 30.

Scores, from 0 to 100, best first: the whole string equals a name or alias 100; equal once generic words
and qualifiers are stripped 99; equal through the exonym table 98; equal to the name of the partner's
subdivision 97; fuzzy matches stay below 97. A country hint adds 2 to partners in that country (never past
the ceiling of their kind of match) and takes 4 from partners elsewhere and 2 from partners with no country:
it reorders, it does not exclude. Ties go to the longest matched spelling, then the lowest id.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from rapidfuzz import fuzz, process

from core.models import Country, ForeignSubdivision
from core.text import clean_text, fold, fold_words
from partners.models import Partner, PartnerAlias

MAX_NAME = 500
DUPLICATE_SCORE = 90.0

# The score of each kind of match (see the module's docstring).
EXACT = 100.0
EXACT_CORE = 99.0
EXONYM = 98.0
SUBDIVISION = 97.0
FUZZY_CEILING = 96.9
FUZZY_SCALE = 0.96
# A subdivision's name is shared by every partner in it: it counts for less than the partner's own names.
SUBDIVISION_WEIGHT = 0.97
# Below this rapidfuzz ratio two spellings have too little in common to be offered at all.
FUZZY_CUTOFF = 60.0
# A written exonym is recognised through a typo only when close to a known one, and only past 4 letters:
# short names ("Viên") differ from others by one letter.
EXONYM_FUZZY_CUTOFF = 88.0
EXONYM_FUZZY_MIN_LENGTH = 5
COUNTRY_BOOST = 2.0
OTHER_COUNTRY_PENALTY = 4.0
NO_COUNTRY_PENALTY = 2.0
# Word runs of a long text ("Đoàn đại biểu thành phố Yongin") that are a partner's name score between
# SPAN_BASE and SPAN_BASE + SPAN_RANGE, by the share of the text they cover.
SPAN_BASE, SPAN_RANGE, SPAN_MAX_WORDS, SPAN_MAX_TEXT_WORDS = 80.0, 15.0, 4, 60
# A one-word text that is one word of a longer name ("Yokoi" in "Yokoi Mould Vietnam").
WORD_BASE, WORD_RANGE, WORD_MIN_LENGTH, WORD_MAX_PARTNERS = 70.0, 20.0, 4, 200
# Parenthesised parts of a name that are an acronym or another name ("(KOICA)") are matched on their own;
# longer ones are explanations ("(written as a district of Xiangkhouang)").
PAREN_MAX_WORDS = 3
# Parenthesised words that say what kind of place it is ("(Ortsteil)", "(town)"), not which.
PAREN_GENERIC_WORDS = frozenset({"town", "canton", "ortsteil", "departement", "commune", "kreis", "landkreis"})
# A parenthesised core shared by more partners than this is a kind of place, not a name.
PAREN_MAX_PARTNERS = 5
# When generic words were stripped, how much the whole text (with them) may add to a fuzzy match of the
# core: enough to prefer "Yasoettrat Province" over "Yasoettrat City" for "Yasoetrat Province".
WHOLE_TIEBREAK = 2.0

EXONYMS_FILE = Path(__file__).resolve().parent / "exonyms.json"

# Generic words that documents put before a name, in fold_words form, longest first. "xã" and "châu" are
# left out on purpose: Lao and Chinese names written in Vietnamese begin with those syllables ("Xa La Van").
LEADING_WORDS = sorted(
    [
        "tinh giap bien", "tinh ban", "tinh", "thanh pho", "tp", "thu do", "huyen", "quan", "quan hat", "thi xa",
        "thi tran", "thi", "vung", "bang", "dac khu", "khu tu tri", "tap doan", "cong ty", "cong ty tnhh",
        "cong ty co phan", "nuoc",
    ],
    key=lambda words: -len(words.split()),
)  # fmt: skip
# Generic words that English names put before the name ("City of Yongin").
ENGLISH_LEADING_WORDS = ["city of", "province of", "prefecture of", "county of", "state of", "the"]
# Generic words that English and romanised names put after the name ("Xekong Province", "Chungcheongnam-do").
TRAILING_WORDS = sorted(
    [
        "province", "city", "metropolitan city", "special city", "district", "prefecture", "county",
        "autonomous county", "region", "autonomous region", "zhuang autonomous region",
        "special administrative region", "state", "municipality", "capital", "town", "oblast", "voblast", "krai",
        "department", "departement", "do", "shi", "sheng", "ken", "gu", "gun", "co ltd", "ltd", "inc", "corp",
        "corporation", "company", "group",
    ],
    key=lambda words: -len(words.split()),
)  # fmt: skip
# Words before a country's name in qualifiers ("nước CHDCND Lào", "Vương quốc Campuchia").
COUNTRY_LEADING_WORDS = sorted(
    [
        "nuoc", "vuong quoc", "cong hoa", "cong hoa dan chu nhan dan", "cong hoa xa hoi chu nghia",
        "cong hoa nhan dan", "cong hoa lien bang", "chdcnd", "chxhcn", "chlb", "lien bang", "hop chung quoc",
        "nha nuoc", "chinh phu", "republic of", "kingdom of", "the",
    ],
    key=lambda words: -len(words.split()),
)  # fmt: skip

_GENERIC_WORDS = PAREN_GENERIC_WORDS | {word for phrase in TRAILING_WORDS + LEADING_WORDS for word in phrase.split()}
# Generic words that are also the first syllable of foreign names: stripped only when written in lower case.
LOWER_CASE_ONLY = frozenset({"bang"})

_PARENTHESES = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_SEGMENTS = re.compile(r"[,;]")
# "Tập đoàn Mazda tại Thái Lan": what follows "tại" (at, in) is where, not who.
_LOCATION = re.compile(r"\s+tại\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A partner that a written name may mean, with a score from 0 to 100 and the spelling that matched."""

    partner: Partner
    score: float
    matched: str


# Kinds of spelling in the index.
_NAME, _NAME_CORE, _SUBDIVISION = 0, 1, 2
# Kinds of query variant.
_WHOLE, _CORE, _EXONYM = 0, 1, 2


@dataclass(frozen=True)
class _Entry:
    partner_id: int
    matched: str
    kind: int


@dataclass
class _Index:
    """Every spelling of every live partner, folded, and what is needed to read qualifiers."""

    exact: dict[str, list[_Entry]]
    # What fuzzy matching compares with: every spelling, and the cores alone (a spelling without generic
    # words, or as it is when it has none), each with the entries that hold it.
    choices: list[str]
    choice_entries: list[list[_Entry]]
    core_choices: list[str]
    core_choice_entries: list[list[_Entry]]
    words: dict[str, list[_Entry]]
    # The whole spellings of each partner (names and aliases, folded), to break ties between fuzzy matches.
    spellings: dict[int, list[str]]
    partner_country: dict[int, str | None]
    countries: dict[str, str]


def _strip_words(words: list[str], generic: list[str], *, leading: bool, repeat: bool = False) -> list[str]:
    """``words`` without one generic phrase at its start (or end), or every one with ``repeat``, keeping at
    least one word. Once is the default: in "Thành phố Bang Viêng" only "Thành phố" is generic."""
    while len(words) > 1:
        for phrase in generic:
            parts = phrase.split()
            if len(parts) < len(words) and (words[: len(parts)] if leading else words[-len(parts) :]) == parts:
                words = words[len(parts) :] if leading else words[: -len(parts)]
                break
        else:
            return words
        if not repeat:
            return words
    return words


def _core_words(text: str, *, vietnamese: bool = True) -> list[str]:
    """The name inside one segment of text, without generic words around it, as folded words. Vietnamese
    generic words are looked for only in Vietnamese text (``vietnamese``); "bang" (state) only when written
    in lower case, since "Bang" begins many Lao and Thai names."""
    kept = _LOCATION.split(text, maxsplit=1)[0]
    words = fold_words(kept).split()
    leading = ENGLISH_LEADING_WORDS
    if vietnamese:
        first = kept.split()[:1]
        leading = [phrase for phrase in LEADING_WORDS if phrase not in LOWER_CASE_ONLY or first == [phrase]] + leading
    words = _strip_words(words, leading, leading=True)
    return _strip_words(words, TRAILING_WORDS, leading=False)


def _split(text: str) -> tuple[str, list[str], list[str]]:
    """The first segment of ``text`` (the name), the parenthesised parts inside it, and the qualifiers
    after it (later segments and their parenthesised parts): "Osan (Hàn Quốc)", "Yongin, tỉnh Gyeonggi"."""
    # Parentheses are blanked out before splitting at commas: "(Lower Silesia, Poland)" is one part.
    masked = _PARENTHESES.sub(lambda match: " " * len(match.group(0)), text)
    found = _SEGMENTS.search(masked)
    end = found.start() if found else len(text)
    inside, after = [], []
    for match in _PARENTHESES.finditer(text):
        part = match.group(1).strip()
        if part:
            (inside if match.start() < end else after).append(part)
    segments = [segment.strip(" ()[]") for segment in _SEGMENTS.split(masked)]
    segments = [segment for segment in segments if segment]
    first = masked[:end].replace("(", " ").replace(")", " ").strip()
    return first, inside, [*segments[1:], *after] if found else after


def _country_of(text: str, countries: dict[str, str]) -> str | None:
    """The ISO code of the country that ``text`` names ("nước CHDCND Lào" → LA), if any."""
    words = fold_words(text).split()
    found = countries.get("".join(words))
    if found is None:
        found = countries.get("".join(_strip_words(words, COUNTRY_LEADING_WORDS, leading=True, repeat=True)))
    return found


def _cores(text: str, countries: dict[str, str], *, vietnamese: bool = True) -> tuple[str, list[str], str | None]:
    """The folded core of ``text`` (its name without generic words and qualifiers), the short names in
    parentheses inside it (an acronym: "KOICA"), and the country that one of its qualifiers names."""
    first, inside, after = _split(text)
    core = "".join(_core_words(first, vietnamese=vietnamese)) if first else ""
    parens, hint = [], None
    for part in [*inside, *after]:
        country = _country_of(part, countries)
        if country is not None:
            hint = hint or country
        elif part in inside and len(fold_words(part).split()) <= PAREN_MAX_WORDS and not _generic(part):
            parens.append("".join(_core_words(part, vietnamese=vietnamese)))
    return core, [paren for paren in parens if paren], hint


def _generic(text: str) -> bool:
    """Whether ``text`` is made only of words that say what kind of place or body it is."""
    return all(word in _GENERIC_WORDS for word in fold_words(text).split())


def _countries() -> dict[str, str]:
    """Every name of every country, folded, to its ISO code."""
    found: dict[str, str] = {}
    for iso2, name_vi, name_en, official, aliases in Country.objects.values_list(
        "iso2", "name_vi", "name_en", "official_name_vi", "aliases"
    ):
        names = [name_vi, name_en, official, *(aliases if isinstance(aliases, list) else [])]
        for name in names:
            if isinstance(name, str) and fold(name):
                found.setdefault(fold(name), iso2.upper())
    return found


def _build_index() -> _Index:
    countries = _countries()
    exact: dict[str, list[_Entry]] = defaultdict(list)
    words: dict[str, list[_Entry]] = defaultdict(list)
    seen: set[tuple[int, str, int]] = set()
    parens_met: dict[str, list[_Entry]] = defaultdict(list)
    cores: dict[str, list[_Entry]] = defaultdict(list)
    spellings: dict[int, list[str]] = defaultdict(list)

    def add(partner_id: int, text: str, subdivision: bool, vietnamese: bool = True) -> None:
        text = clean_text(text or "")
        full = fold(text)
        if not full:
            return
        core, parens, _hint = _cores(text, countries, vietnamese=vietnamese)
        own, stripped = (_SUBDIVISION, _SUBDIVISION) if subdivision else (_NAME, _NAME_CORE)
        if not subdivision and full not in spellings[partner_id]:
            spellings[partner_id].append(full)
        forms = [(full, own, False), (core, stripped, False), *((paren, stripped, True) for paren in parens)]
        for folded, kind, paren in forms:
            if not folded or (folded == full and kind != own):
                continue
            entry = _Entry(partner_id, text, kind)
            if paren:
                parens_met[folded].append(entry)
            if (partner_id, folded, kind) in seen:
                continue
            seen.add((partner_id, folded, kind))
            exact[folded].append(entry)
            if folded == (core or full) or paren:
                cores[folded].append(entry)
            if kind == _NAME:
                for word in set(fold_words(text).split()):
                    if len(word) >= WORD_MIN_LENGTH and word != full:
                        words[word].append(entry)

    partner_country: dict[int, str | None] = {}
    partner_subdivision: dict[int, int] = {}
    for pk, name_vi, name_en, name_original, iso2, subdivision_id in Partner.objects.values_list(
        "pk", "name_vi", "name_en", "name_original", "country__iso2", "subdivision_id"
    ):
        partner_country[pk] = iso2.upper() if iso2 else None
        add(pk, name_vi, False)
        add(pk, name_en, False, vietnamese=False)
        add(pk, name_original, False, vietnamese=False)
        if subdivision_id:
            partner_subdivision[pk] = subdivision_id
    for partner_id, name in PartnerAlias.objects.filter(partner__deleted_at__isnull=True).values_list(
        "partner_id", "name"
    ):
        add(partner_id, name, False)
    if partner_subdivision:
        subdivisions = {
            pk: [
                (name, False),
                (name_vi, True),
                *((alias, True) for alias in (aliases if isinstance(aliases, list) else [])),
            ]
            for pk, name, name_vi, aliases in ForeignSubdivision.objects.filter(
                partners__deleted_at__isnull=True
            ).values_list("pk", "name", "name_vi", "aliases")
        }
        for partner_id, subdivision_id in partner_subdivision.items():
            for text, vietnamese in subdivisions.get(subdivision_id, []):
                if isinstance(text, str):
                    add(partner_id, text, True, vietnamese=vietnamese)
    for paren, entries in parens_met.items():
        if len({entry.partner_id for entry in entries}) > PAREN_MAX_PARTNERS:
            # A parenthesised word that many partners share ("(Ortsteil)") says what kind they are, not which.
            for table in (exact, cores):
                table[paren] = [entry for entry in table.get(paren, []) if entry not in entries]
                if not table[paren]:
                    del table[paren]
    choices, core_choices = sorted(exact), sorted(cores)
    return _Index(
        exact=dict(exact),
        choices=choices,
        choice_entries=[exact[choice] for choice in choices],
        core_choices=core_choices,
        core_choice_entries=[cores[choice] for choice in core_choices],
        spellings=dict(spellings),
        # A word shared by hundreds of names ("province", "friendship") says nothing about which one is meant.
        words={word: entries for word, entries in words.items() if len(entries) <= WORD_MAX_PARTNERS},
        partner_country=partner_country,
        countries=countries,
    )


@cache
def _exonyms() -> dict[str, frozenset[str]]:
    """Every spelling in the exonym table, folded, to the other spellings of the same place."""
    pairs = json.loads(EXONYMS_FILE.read_text(encoding="utf-8"))["pairs"]
    groups: dict[str, set[str]] = defaultdict(set)
    for vietnamese, other in pairs:
        groups[fold(other)].update({fold(vietnamese), fold(other)})
    # Two places can share a spelling in the table ("Sê Koong" is both a written form and an exonym):
    # every group that holds a spelling contributes to it.
    found: dict[str, set[str]] = defaultdict(set)
    for group in groups.values():
        for spelling in group:
            found[spelling].update(group - {spelling})
    return {spelling: frozenset(others) for spelling, others in found.items()}


class _IndexCache:
    """The index of this process, rebuilt when the data it was built from changes.

    Two signals of change, both cheap (issue 17, item 13: the aggregate of four tables that each call used to
    compare cost three to five rapidfuzz passes):

    - saves and deletes in this process bump ``generation`` (the signals below), which is compared first;
    - what other processes write is seen by :func:`_data_key`, one query of index probes: the highest id of
      each of the four tables (rows added, also by ``bulk_create``) and of each one's history table (every
      ``save()`` and ``delete()`` writes a version, in whatever process: a rename by a plain ``save()`` that
      moves neither ``updated_at`` nor ``version`` included). A rolled-back transaction (a test) takes its
      rows and versions with it, so the key moves back and the index is rebuilt too.

    What neither sees is a queryset ``update()`` in another process, which writes no version: a partner moved
    to the trash that way is still left out of the answers (:func:`resolve` reads ``deleted_at`` of the partners
    it returns), and a name changed that way is seen at the next change.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.key: tuple | None = None
        self.index: _Index | None = None

    def changed(self, **kwargs) -> None:
        self.generation += 1

    def get(self) -> _Index:
        key = (self.generation, _data_key())
        index = self.index
        if index is not None and key == self.key:
            return index
        with self.lock:
            if self.index is None or key != self.key:
                self.index = _build_index()
                self.key = key
            return self.index


_INDEXED = (Partner, PartnerAlias, ForeignSubdivision, Country)


@cache
def _data_key_sql(vendor: str) -> str:
    """The key's query: the highest primary key of each indexed table and of each one's history table, each
    read from the end of the primary key's index (``MAX`` of the key is not a scan, on SQLite or PostgreSQL)."""
    quote = connection.ops.quote_name
    parts = []
    for model in _INDEXED:
        for table in (model, model.history.model):
            # Table and column names come from the models' metadata, never from input.
            parts.append(f"(SELECT MAX({quote(table._meta.pk.column)}) FROM {quote(table._meta.db_table)})")  # noqa: S608
    return f"SELECT {', '.join(parts)}"


def _data_key() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_data_key_sql(connection.vendor))
        return tuple(cursor.fetchone())


_CACHE = _IndexCache()
for _model in _INDEXED:
    post_save.connect(_CACHE.changed, sender=_model, weak=False, dispatch_uid=f"resolve-save-{_model.__name__}")
    post_delete.connect(_CACHE.changed, sender=_model, weak=False, dispatch_uid=f"resolve-delete-{_model.__name__}")


class _Scores:
    """The best score and matched spelling for each partner met so far."""

    def __init__(self) -> None:
        self.best: dict[int, tuple[float, str]] = {}

    def offer(self, entry: _Entry, score: float) -> None:
        found = self.best.get(entry.partner_id)
        if found is None or (score, len(entry.matched)) > (found[0], len(found[1])):
            self.best[entry.partner_id] = (score, entry.matched)


def _exact_score(variant: int, entry: _Entry) -> float:
    if entry.kind == _SUBDIVISION:
        return SUBDIVISION - (1 if variant == _EXONYM else 0)
    if variant == _EXONYM:
        return EXONYM
    return EXACT if variant == _WHOLE and entry.kind == _NAME else EXACT_CORE


def _variants(text: str, index: _Index) -> tuple[list[tuple[str, int, float]], str | None]:
    """What to look up for ``text``: (folded string, kind of variant, weight), and the country it names."""
    whole = fold(text)
    core, parens, hint = _cores(text, index.countries)
    cores = [other for other in [core, *parens] if other]
    variants: list[tuple[str, int, float]] = [(whole, _WHOLE, 1.0)]
    variants += [(other, _CORE, 1.0) for other in cores if other != whole]
    exonyms = _exonyms()
    for folded in {whole, *cores}:
        others = exonyms.get(folded)
        weight = 1.0
        if others is None and len(folded) >= EXONYM_FUZZY_MIN_LENGTH:
            close = process.extractOne(folded, list(exonyms), scorer=fuzz.ratio, score_cutoff=EXONYM_FUZZY_CUTOFF)
            if close is not None:
                others, weight = exonyms[close[0]], close[1] / 100
        variants += [(other, _EXONYM, weight) for other in sorted(others or ())]
    seen, unique = set(), []
    for variant in variants:
        if variant[0] and variant[0] not in seen:
            seen.add(variant[0])
            unique.append(variant)
    return unique, hint


def _fuzzy(folded: str, choices: list[str], entries: list[list[_Entry]], limit: int):
    """Spellings close to ``folded`` (rapidfuzz ratio, 0-100) with the entries that hold them."""
    found = process.extract(folded, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF)
    return [(raw, entries[position]) for _choice, raw, position in found]


def _match(text: str, index: _Index, limit: int) -> tuple[_Scores, str | None]:
    scores = _Scores()
    variants, hint = _variants(text, index)
    fuzzy_limit = max(limit * 3, 30)
    stripped = any(kind == _CORE for _folded, kind, _weight in variants)
    for folded, kind, weight in variants:
        for entry in index.exact.get(folded, ()):
            score = _exact_score(kind, entry)
            if weight < 1:
                # An exonym recognised through a typo: as sure as a fuzzy match of that quality.
                score = min(FUZZY_CEILING, FUZZY_SCALE * 100 * weight)
            scores.offer(entry, score)
        if kind == _EXONYM or (kind == _WHOLE and stripped):
            # An exonym names a place exactly or not at all; a stripped text is compared fuzzily by its
            # core (one rapidfuzz pass less per call).
            continue
        if kind == _CORE:
            found = _fuzzy(folded, index.core_choices, index.core_choice_entries, fuzzy_limit)
        else:
            found = _fuzzy(folded, index.choices, index.choice_entries, fuzzy_limit)
        for raw, entries in found:
            for entry in entries:
                scores.offer(entry, raw * FUZZY_SCALE * (SUBDIVISION_WEIGHT if entry.kind == _SUBDIVISION else 1))
    if stripped:
        _break_ties(fold(text), index, scores)
    _match_parts(text, variants, index, scores)
    return scores, hint


def _break_ties(whole: str, index: _Index, scores: _Scores) -> None:
    """Let the whole text, generic words included, add a little to fuzzy matches of its core.

    On its own the whole text misleads (a shared "thành phố" makes "Thành phố không có thật" look like
    "Thành phố Khon-chai"), but between two partners whose cores match alike it tells "Yasoetrat Province"
    from "Yasoetrat City"."""
    for partner_id, (score, matched) in list(scores.best.items()):
        if score >= FUZZY_CEILING:
            continue
        closest = max((fuzz.ratio(whole, spelling) for spelling in index.spellings.get(partner_id, ())), default=0)
        bonus = min(closest * FUZZY_SCALE - score, WHOLE_TIEBREAK)
        if bonus > 0:
            scores.best[partner_id] = (min(score + bonus, FUZZY_CEILING), matched)


def _match_parts(text: str, variants: list[tuple[str, int, float]], index: _Index, scores: _Scores) -> None:
    """Partners named inside a longer text, and names that contain a one-word text."""
    words = fold_words(text).split()[:SPAN_MAX_TEXT_WORDS]
    whole = "".join(words)
    taken = {variant[0] for variant in variants}
    for size in range(1, min(SPAN_MAX_WORDS, len(words) - 1) + 1):
        for start in range(len(words) - size + 1):
            span = "".join(words[start : start + size])
            if len(span) < 3 or span in taken:
                continue
            for entry in index.exact.get(span, ()):
                score = SPAN_BASE + SPAN_RANGE * len(span) / len(whole)
                scores.offer(entry, score * (SUBDIVISION_WEIGHT if entry.kind == _SUBDIVISION else 1.0))
    for folded, _kind, _weight in variants:
        if len(folded) < WORD_MIN_LENGTH:
            continue
        for entry in index.words.get(folded, ()):
            scores.offer(entry, WORD_BASE + WORD_RANGE * len(folded) / max(len(fold(entry.matched)), len(folded)))


def _adjust(score: float, partner_country: str | None, hint: str | None) -> float:
    if not hint:
        return score
    if partner_country == hint:
        ceiling = EXACT if score > FUZZY_CEILING else FUZZY_CEILING
        return min(score + COUNTRY_BOOST, max(ceiling, score))
    penalty = NO_COUNTRY_PENALTY if partner_country is None else OTHER_COUNTRY_PENALTY
    return max(score - penalty, 0.0)


def _clean(name) -> str:
    if not isinstance(name, str):
        return ""
    return clean_text(name[: MAX_NAME * 2])[:MAX_NAME]


def resolve(
    name: str, *, country: str | None = None, limit: int = 10, among: QuerySet | None = None
) -> list[Candidate]:
    """Candidate live partners for ``name`` (any spelling met in documents), best first, with a score from 0
    to 100; at most ``limit``. ``country`` (ISO 3166-1 alpha-2) favours partners in that country; without
    it, a country named in the text ("thành phố Osan (Hàn Quốc)") does the same. Empty or unusable input
    gives an empty list; the text is cut to 500 characters. ``among`` (a policy's answer,
    ``Partner.objects.restrict(user)``) leaves out of the best ``limit`` the partners a caller may not show,
    in the same query that reads them."""
    text = _clean(name)
    if not fold(text) or limit < 1:
        return []
    index = _CACHE.get()
    scores, detected = _match(text, index, limit)
    hint = country.strip().upper()[:2] if isinstance(country, str) and country.strip() else detected
    ranked = sorted(
        (
            (round(_adjust(score, index.partner_country.get(pk), hint), 3), matched, pk)
            for pk, (score, matched) in scores.best.items()
        ),
        key=lambda row: (-row[0], -len(row[1]), row[2]),
    )[:limit]
    # By primary key alone, without the default ordering: with "deleted_at IS NULL" and the default order in the
    # query, PostgreSQL may scan the trash index over every partner instead.
    rows = among if among is not None else Partner.all_objects
    found = rows.select_related("country").order_by().filter(pk__in=[pk for _s, _m, pk in ranked])
    partners = {partner.pk: partner for partner in found if partner.deleted_at is None}
    return [
        Candidate(partner=partners[pk], score=score, matched=matched) for score, matched, pk in ranked if pk in partners
    ]


def likely_duplicates(names: list[str], *, country: str | None = None, exclude: int | None = None) -> list[Candidate]:
    """Live partners that one of ``names`` probably already means (score 90 or more), best first; the
    partner ``exclude`` (the one being edited) is left out."""
    found: dict[int, Candidate] = {}
    for name in names:
        for candidate in resolve(name, country=country):
            if candidate.score < DUPLICATE_SCORE or candidate.partner.pk == exclude:
                continue
            known = found.get(candidate.partner.pk)
            if known is None or candidate.score > known.score:
                found[candidate.partner.pk] = candidate
    return sorted(found.values(), key=lambda candidate: (-candidate.score, candidate.partner.pk))
