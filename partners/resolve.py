"""Resolving a written name to the partners it may mean (issue 3, "Resolving names"), and to the foreign
subdivision it names (issue 18, item 9: :func:`resolve_subdivision`).

Documents name one partner in many ways: "Sê Koong", "tỉnh Sê Koong, Lào", "tỉnh giáp biên Sê Koong (Lào)",
"Xekong Province"; "Chăm pa sắc" and "Champasak"; "Stenzendre" for Szentendre. The resolver compares a
written name with every spelling of every live partner: its names in three languages, the spellings met in
documents (aliases) and the names of its ISO 3166-2 subdivision. :func:`resolve_subdivision` compares it the
same way with the names of every subdivision of the reference data (core/reference_data/SOURCES.md: the
Vietnamese names of every first-level unit of Laos, Cambodia, China, Thailand, Korea and Japan, with the
spellings documents use).

How it works:

- Text is compared folded (:func:`core.text.fold`: NFC, no diacritics, case, spaces or hyphens).
- What documents wrap around a name is stripped before matching, from the text and from every spelling in
  the index alike: one Vietnamese generic phrase at the start ("tỉnh", "thành phố", "huyện", "công ty"...),
  one English one at the end ("Province", "City", "-do"...), and qualifiers in parentheses or after a
  comma ("(Hàn Quốc)", ", tỉnh Gyeonggi, Hàn Quốc"). A qualifier that names a country is the country hint
  when none is given; a short parenthesised name ("(KOICA)") is matched on its own. The whole text and its
  core are both looked up exactly and the best score is kept; fuzzily, the core is compared with the cores
  of the index, and the whole text only breaks ties (a shared "thành phố" says nothing about which city).
- The generic words of a name mark its level of place: "tỉnh", "Province", "-do" a first-level region; "thành
  phố", "City", "-si" a city; "huyện", "quận", "District", "Muang", "Srok", "-gun" a district (``LEVEL_WORDS``;
  inside a longer text, the words just before the name). A candidate of a level they exclude ("huyện
  Chămpasắc", a district named like its province, for Champasak province; "thành phố Ubon Ratchathani", the
  province's capital town, for the province) is kept but flagged ``other_level`` and scored 30 lower, below
  every sure match; a capital asked for as a province ("tỉnh Viêng Chăn") only loses ties to the province.
- A text that is exactly a known place's name (a subdivision's spelling, or a Vietnamese province's or
  district's) is no misspelling of another place: "Incheon" does not fuzzily find Icheon, one letter shorter,
  nor "Busan" Osan, nor "Tây Giang" Tây Tạng. Fuzzy matches then stay only for partners in the place named.
  A misspelling that names no place ("Icheonn", "Daejoen") is read as before.
- Vietnamese exonyms ("Viêng Chăn" for Vientiane, "Quảng Tây" for Guangxi) come from ``exonyms.json``,
  in both directions; a written exonym is recognised through a typo, and its other spellings are then
  looked up exactly (and as a word of a longer name), not fuzzily.
- A partner's name inside a longer text ("Đoàn đại biểu thành phố Yongin") and a one-word text inside a
  longer name ("Yokoi" in "Công ty Yokoi Mould Việt Nam") are found too, with lower scores.
- Spellings live in an in-memory index (the subdivisions' own index inside it) built once per process and
  rebuilt when the data changes: saves and deletes in this process invalidate it through signals, and each
  call compares the highest ids of the four tables involved and of their history tables (one query of index
  probes, :class:`_IndexCache`) to see what other processes wrote. Building it for 5,000 partners takes under
  a second. The names of Vietnamese units are read with it but not watched: they change only with the
  reference data, and a new one counts as a known place from the next rebuild.
- Fuzzy matching is rapidfuzz's ``ratio`` over folded strings (``process.extract`` with a cut-off): about
  a millisecond over 20,000 spellings, where ``WRatio`` or ``token_set_ratio`` take 15 to 30. A prefilter
  (:class:`core.fuzzy.RatioIndex`) first leaves out the spellings whose letters cannot reach the cut-off, so
  rapidfuzz reads a fifteenth of them; the answer is the one a pass over all of them gives.

Scores, from 0 to 100, best first: the whole string equals a name or alias 100; equal once generic words
and qualifiers are stripped 99; equal through the exonym table 98; equal to the name of the partner's
subdivision 97; fuzzy matches stay below 97. A country hint adds 2 to partners in that country (never past
the ceiling of their kind of match) and takes 4 from partners elsewhere and 2 from partners with no country:
it reorders, it does not exclude. A level the text's generic words exclude takes 30 off (1 for a capital asked
for as a province). Ties go to the longest matched spelling, then the lowest id.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from rapidfuzz import fuzz, process

from core.choices import UnitLevel
from core.fuzzy import RatioIndex
from core.models import Country, ForeignSubdivision, Unit
from core.text import clean_text, fold, fold_words
from partners.choices import PartnerKind
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
# A text whose generic words mark one level of place ("huyện Chămpasắc", a district) and a candidate of another
# (Champasak province): the candidate is kept, flagged, LEVEL_PENALTY lower, below every sure match; a province
# asked for by a capital's spelling ("tỉnh Viêng Chăn") only loses ties to the province (LEVEL_TIEBREAK).
LEVEL_PENALTY = 30.0
LEVEL_TIEBREAK = 1.0

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
# Generic words that English and romanised names put before the name ("City of Yongin", "Muang Champasak"): in Lao
# and Thai "mueang" is a district (or a town), in Khmer "srok" is one.
ENGLISH_LEADING_WORDS = sorted(
    [
        "city of", "province of", "prefecture of", "county of", "district of", "state of", "the", "mueang", "muang",
        "meuang", "amphoe", "srok",
    ],
    key=lambda words: -len(words.split()),
)  # fmt: skip
# Generic words that English and romanised names put after the name ("Xekong Province", "Chungcheongnam-do").
TRAILING_WORDS = sorted(
    [
        "province", "city", "metropolitan city", "special city", "district", "prefecture", "county",
        "autonomous county", "region", "autonomous region", "zhuang autonomous region",
        "special administrative region", "state", "municipality", "capital", "town", "oblast", "voblast", "krai",
        "department", "departement", "do", "shi", "si", "sheng", "ken", "gu", "gun", "co ltd", "ltd", "inc", "corp",
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

# Levels of place: as the generic words of a text mark them, and as a candidate has them. A first-level region
# (province, prefecture, state), a first-level city (Incheon, Chongqing, Phnom Penh), a city below the first level
# (Yongin), a district or county. Words marking a city name no level between the two kinds of city ("Sejong-si",
# "thành phố Yongin"), but not a province: "thành phố Ubon Ratchathani" is the province's capital town.
PROVINCE, METRO, CITY, LOWER = "province", "metro", "city", "lower"
# The level each generic phrase marks, in fold_words form; the others ("vùng", "công ty", "capital"...) mark none.
LEVEL_WORDS = {
    **dict.fromkeys(["tinh giap bien", "tinh ban", "tinh", "bang", "khu tu tri"], PROVINCE),
    **dict.fromkeys(["thanh pho", "tp", "thu do"], CITY),
    **dict.fromkeys(["huyen", "quan", "quan hat", "thi xa", "thi tran", "thi"], LOWER),
    **dict.fromkeys(["province of", "prefecture of", "state of"], PROVINCE),
    **dict.fromkeys(["city of"], CITY),
    **dict.fromkeys(["county of", "district of", "mueang", "muang", "meuang", "amphoe", "srok"], LOWER),
    **dict.fromkeys(
        [
            "province", "prefecture", "state", "region", "autonomous region", "zhuang autonomous region", "oblast",
            "voblast", "krai", "department", "departement", "do", "ken", "sheng",
        ],
        PROVINCE,
    ),
    **dict.fromkeys(["city", "metropolitan city", "special city", "municipality", "shi", "si", "town"], CITY),
    **dict.fromkeys(["district", "county", "autonomous county", "gu", "gun"], LOWER),
}  # fmt: skip
# The level of a subdivision by its kind (core.choices.SubdivisionKind), and of a partner by its own level when it
# has no subdivision; "other" (Hong Kong, Macao) and organisations have none.
KIND_LEVEL = {
    **dict.fromkeys(["province", "prefecture", "state", "region", "autonomous_region"], PROVINCE),
    **dict.fromkeys(["municipality", "special_city", "capital"], METRO),
    "city": CITY,
    **dict.fromkeys(["district", "county"], LOWER),
}
PARTNER_LEVEL = {"province": PROVINCE, "city": CITY, "district": LOWER, "commune": LOWER}
# The same for a name inside a longer text: the generic phrases written before a name, except syllables of common
# words ("cơ quan", "thành thị", "bảng"), and the English ones after it that are no Vietnamese words ("do" means
# "by").
LEADING_LEVELS = {
    phrase: LEVEL_WORDS[phrase]
    for phrase in [*LEADING_WORDS, *ENGLISH_LEADING_WORDS]
    if phrase in LEVEL_WORDS and phrase not in {"quan", "thi", "bang"}
}
TRAILING_LEVELS = {
    phrase: LEVEL_WORDS[phrase] for phrase in TRAILING_WORDS if phrase in LEVEL_WORDS and len(phrase) > 3
}
# What a level marked in the text says of a candidate's level: a conflict (LEVEL_PENALTY) or a lost tie.
LEVEL_CONFLICTS = {
    PROVINCE: {CITY: LEVEL_PENALTY, LOWER: LEVEL_PENALTY, METRO: LEVEL_TIEBREAK},
    CITY: {PROVINCE: LEVEL_PENALTY},
    LOWER: {PROVINCE: LEVEL_PENALTY, METRO: LEVEL_PENALTY},
}

_GENERIC_WORDS = PAREN_GENERIC_WORDS | {word for phrase in TRAILING_WORDS + LEADING_WORDS for word in phrase.split()}
# Generic words that are also the first syllable of foreign names: stripped only when written in lower case.
LOWER_CASE_ONLY = frozenset({"bang"})

_PARENTHESES = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_SEGMENTS = re.compile(r"[,;]")
# "Tập đoàn Mazda tại Thái Lan": what follows "tại" (at, in) is where, not who.
_LOCATION = re.compile(r"\s+tại\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A partner that a written name may mean, with a score from 0 to 100 and the spelling that matched;
    ``other_level`` when the text's generic words name another level of place ("huyện" for a province)."""

    partner: Partner
    score: float
    matched: str
    other_level: bool = False


@dataclass(frozen=True)
class SubdivisionCandidate:
    """A foreign subdivision that a written name may mean, scored as :class:`Candidate`."""

    subdivision: ForeignSubdivision
    score: float
    matched: str
    other_level: bool = False


# What a Vietnamese province's or district's name names among known places (no subdivision has id 0).
VIETNAMESE_PLACE = frozenset({0})

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
    """Every spelling of every live partner (or of every subdivision: ``subdivisions``), folded, and what is needed
    to read qualifiers, levels and the places a text names."""

    exact: dict[str, list[_Entry]]
    # What fuzzy matching compares with: every spelling, and the cores alone (a spelling without generic
    # words, or as it is when it has none), each with the entries that hold it.
    choices: list[str]
    choice_entries: list[list[_Entry]]
    core_choices: list[str]
    core_choice_entries: list[list[_Entry]]
    # The same spellings ready for rapidfuzz, with the prefilter that skips those too far off (core.fuzzy).
    fuzzy: RatioIndex
    core_fuzzy: RatioIndex
    words: dict[str, list[_Entry]]
    # The whole spellings of each partner (names and aliases, folded), to break ties between fuzzy matches.
    spellings: dict[int, list[str]]
    partner_country: dict[int, str | None]
    countries: dict[str, str]
    # The level of each partner (PROVINCE, METRO, CITY, LOWER or None) and its subdivision's id.
    partner_level: dict[int, str | None]
    partner_place: dict[int, int]
    # Every spelling of every subdivision of the reference data (whole and core, folded) to the ids of the
    # subdivisions it names, and every name of a Vietnamese province or district (VIETNAMESE_PLACE): a text that
    # names one place exactly is no misspelling of another.
    places: dict[str, frozenset[int]]
    # The same index over the subdivisions themselves (:func:`resolve_subdivision`); None in that index.
    subdivisions: _Index | None = None


def _strip_words(
    words: list[str], generic: list[str], *, leading: bool, repeat: bool = False, stripped: list[str] | None = None
) -> list[str]:
    """``words`` without one generic phrase at its start (or end), or every one with ``repeat``, keeping at
    least one word; the phrases taken off are appended to ``stripped``. Once is the default: in "Thành phố Bang
    Viêng" only "Thành phố" is generic."""
    while len(words) > 1:
        for phrase in generic:
            parts = phrase.split()
            if len(parts) < len(words) and (words[: len(parts)] if leading else words[-len(parts) :]) == parts:
                words = words[len(parts) :] if leading else words[: -len(parts)]
                if stripped is not None:
                    stripped.append(phrase)
                break
        else:
            return words
        if not repeat:
            return words
    return words


def _core_words(text: str, *, vietnamese: bool = True, stripped: list[str] | None = None) -> list[str]:
    """The name inside one segment of text, without generic words around it, as folded words; the generic
    phrases taken off are appended to ``stripped``. Vietnamese generic words are looked for only in Vietnamese
    text (``vietnamese``); "bang" (state) only when written in lower case, since "Bang" begins many Lao and Thai
    names."""
    kept = _LOCATION.split(text, maxsplit=1)[0]
    words = fold_words(kept).split()
    leading = ENGLISH_LEADING_WORDS
    if vietnamese:
        first = kept.split()[:1]
        leading = [phrase for phrase in LEADING_WORDS if phrase not in LOWER_CASE_ONLY or first == [phrase]] + leading
    words = _strip_words(words, leading, leading=True, stripped=stripped)
    return _strip_words(words, TRAILING_WORDS, leading=False, stripped=stripped)


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


def _cores(
    text: str, countries: dict[str, str], *, vietnamese: bool = True
) -> tuple[str, list[str], str | None, str | None]:
    """The folded core of ``text`` (its name without generic words and qualifiers), the short names in
    parentheses inside it (an acronym: "KOICA"), the country that one of its qualifiers names, and the level of
    place that the generic words of its name mark (the first that marks one: "huyện", "Province", "-si")."""
    first, inside, after = _split(text)
    stripped: list[str] = []
    core = "".join(_core_words(first, vietnamese=vietnamese, stripped=stripped)) if first else ""
    level = next((LEVEL_WORDS[phrase] for phrase in stripped if phrase in LEVEL_WORDS), None)
    parens, hint = [], None
    for part in [*inside, *after]:
        country = _country_of(part, countries)
        if country is not None:
            hint = hint or country
        elif part in inside and len(fold_words(part).split()) <= PAREN_MAX_WORDS and not _generic(part):
            parens.append("".join(_core_words(part, vietnamese=vietnamese)))
    return core, [paren for paren in parens if paren], hint, level


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


class _Builder:
    """Collects the spellings of one kind of owner (partners, or subdivisions) into an :class:`_Index`."""

    def __init__(self, countries: dict[str, str]) -> None:
        self.countries = countries
        self.exact: dict[str, list[_Entry]] = defaultdict(list)
        self.words: dict[str, list[_Entry]] = defaultdict(list)
        self.seen: set[tuple[int, str, int]] = set()
        self.parens_met: dict[str, list[_Entry]] = defaultdict(list)
        self.cores: dict[str, list[_Entry]] = defaultdict(list)
        self.spellings: dict[int, list[str]] = defaultdict(list)

    def add(self, owner_id: int, text: str, subdivision: bool, vietnamese: bool = True) -> None:
        text = clean_text(text or "")
        full = fold(text)
        if not full:
            return
        core, parens, _hint, _level = _cores(text, self.countries, vietnamese=vietnamese)
        own, stripped = (_SUBDIVISION, _SUBDIVISION) if subdivision else (_NAME, _NAME_CORE)
        if not subdivision and full not in self.spellings[owner_id]:
            self.spellings[owner_id].append(full)
        forms = [(full, own, False), (core, stripped, False), *((paren, stripped, True) for paren in parens)]
        for folded, kind, paren in forms:
            if not folded or (folded == full and kind != own):
                continue
            entry = _Entry(owner_id, text, kind)
            if paren:
                self.parens_met[folded].append(entry)
            if (owner_id, folded, kind) in self.seen:
                continue
            self.seen.add((owner_id, folded, kind))
            self.exact[folded].append(entry)
            if folded == (core or full) or paren:
                self.cores[folded].append(entry)
            if kind == _NAME:
                for word in set(fold_words(text).split()):
                    if len(word) >= WORD_MIN_LENGTH and word != full:
                        self.words[word].append(entry)

    def prune_parens(self) -> None:
        """Leave out of the lookups a parenthesised word that many owners share ("(Ortsteil)"): it says what kind
        they are, not which."""
        for paren, entries in self.parens_met.items():
            if len({entry.partner_id for entry in entries}) > PAREN_MAX_PARTNERS:
                for table in (self.exact, self.cores):
                    table[paren] = [entry for entry in table.get(paren, []) if entry not in entries]
                    if not table[paren]:
                        del table[paren]
        self.parens_met.clear()

    def build(self, **owners) -> _Index:
        """The index, with what is known of the owners (``partner_country``, ``partner_level``...)."""
        self.prune_parens()
        choices, core_choices = sorted(self.exact), sorted(self.cores)
        return _Index(
            exact=dict(self.exact),
            choices=choices,
            choice_entries=[self.exact[choice] for choice in choices],
            core_choices=core_choices,
            core_choice_entries=[self.cores[choice] for choice in core_choices],
            fuzzy=RatioIndex(choices),
            core_fuzzy=RatioIndex(core_choices),
            spellings=dict(self.spellings),
            # A word shared by hundreds of names ("province", "friendship") says nothing about which one is meant.
            words={word: entries for word, entries in self.words.items() if len(entries) <= WORD_MAX_PARTNERS},
            countries=self.countries,
            **owners,
        )


def _subdivision_names(name: str, name_vi: str, aliases) -> list[tuple[str, bool]]:
    """A subdivision's spellings, each with whether it is Vietnamese (its generic words are looked for)."""
    return [
        (name, False),
        (name_vi, True),
        *((alias, True) for alias in (aliases if isinstance(aliases, list) else [])),
    ]


def _build_index() -> _Index:
    """The index of every live partner, and inside it (``subdivisions``) the index of every subdivision."""
    countries = _countries()
    places_builder = _Builder(countries)
    place_names: dict[int, list[tuple[str, bool]]] = {}
    place_country: dict[int, str | None] = {}
    place_level: dict[int, str | None] = {}
    for pk, iso2, kind, name, name_vi, aliases in ForeignSubdivision.objects.values_list(
        "pk", "country__iso2", "kind", "name", "name_vi", "aliases"
    ):
        place_names[pk] = _subdivision_names(name, name_vi, aliases)
        place_country[pk] = iso2.upper() if iso2 else None
        place_level[pk] = KIND_LEVEL.get(kind)
        for text, vietnamese in place_names[pk]:
            if isinstance(text, str):
                places_builder.add(pk, text, False, vietnamese=vietnamese)
    places_builder.prune_parens()
    places: dict[str, frozenset[int]] = {
        folded: frozenset(entry.partner_id for entry in entries) for folded, entries in places_builder.exact.items()
    }
    # Vietnamese provinces and districts are known places too: "Tây Giang" (Quảng Nam) is not Tây Tạng misspelt.
    for name in (
        Unit.objects.unrestricted("names of Vietnamese places, for the name resolver")
        .filter(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT])
        .values_list("name", flat=True)
    ):
        for folded in {fold(name), _cores(name, countries)[0]} - {""}:
            places[folded] = places.get(folded, frozenset()) | VIETNAMESE_PLACE
    subdivisions = places_builder.build(
        partner_country=place_country,
        partner_level=place_level,
        partner_place={pk: pk for pk in place_names},
        places=places,
    )

    builder = _Builder(countries)
    partner_country: dict[int, str | None] = {}
    partner_level: dict[int, str | None] = {}
    partner_place: dict[int, int] = {}
    for pk, name_vi, name_en, name_original, iso2, kind, level, subdivision_id in Partner.objects.values_list(
        "pk", "name_vi", "name_en", "name_original", "country__iso2", "kind", "level", "subdivision_id"
    ):
        partner_country[pk] = iso2.upper() if iso2 else None
        if kind == PartnerKind.LOCALITY:
            # The subdivision's kind says more than the partner's level ("city" is Daejeon as well as Yongin); an
            # organisation's subdivision is where it is, not what it is.
            partner_level[pk] = place_level.get(subdivision_id) or PARTNER_LEVEL.get(level)
        builder.add(pk, name_vi, False)
        builder.add(pk, name_en, False, vietnamese=False)
        builder.add(pk, name_original, False, vietnamese=False)
        if subdivision_id:
            partner_place[pk] = subdivision_id
    for partner_id, name in PartnerAlias.objects.filter(partner__deleted_at__isnull=True).values_list(
        "partner_id", "name"
    ):
        builder.add(partner_id, name, False)
    for partner_id, subdivision_id in partner_place.items():
        for text, vietnamese in place_names.get(subdivision_id, []):
            if isinstance(text, str):
                builder.add(partner_id, text, True, vietnamese=vietnamese)
    return builder.build(
        partner_country=partner_country,
        partner_level=partner_level,
        partner_place=partner_place,
        places=places,
        subdivisions=subdivisions,
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
      rows and versions with it, so the key moves back and the index is rebuilt too. That query is asked at
      most every ``RESOLVER_RECHECK_SECONDS`` while this process saved nothing: a burst of calls (a page of
      names to match, an import) reads the index it already checked.

    What neither sees is a queryset ``update()`` in another process, which writes no version: a partner moved
    to the trash that way is still left out of the answers (:func:`resolve` reads ``deleted_at`` of the partners
    it returns), and a name changed that way is seen at the next change.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.key: tuple | None = None
        self.index: _Index | None = None
        self.checked_at = float("-inf")

    def changed(self, **kwargs) -> None:
        self.generation += 1

    def get(self) -> _Index:
        now = time.monotonic()
        index, key = self.index, self.key
        recheck = settings.RESOLVER_RECHECK_SECONDS
        if index is not None and key is not None and key[0] == self.generation and now - self.checked_at < recheck:
            return index
        key = (self.generation, _data_key())
        self.checked_at = now
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
    """The best score and matched spelling for each partner met so far; for one whose best match lies inside a
    longer text, the level of place that the words around it mark (``inside``: "... của huyện Chămpasắc")."""

    def __init__(self) -> None:
        self.best: dict[int, tuple[float, str]] = {}
        self.inside: dict[int, str | None] = {}

    def offer(self, entry: _Entry, score: float, *, inside: bool = False, level: str | None = None) -> None:
        found = self.best.get(entry.partner_id)
        if found is None or (score, len(entry.matched)) > (found[0], len(found[1])):
            self.best[entry.partner_id] = (score, entry.matched)
            if inside:
                self.inside[entry.partner_id] = level
            else:
                self.inside.pop(entry.partner_id, None)


def _exact_score(variant: int, entry: _Entry) -> float:
    if entry.kind == _SUBDIVISION:
        return SUBDIVISION - (1 if variant == _EXONYM else 0)
    if variant == _EXONYM:
        return EXONYM
    return EXACT if variant == _WHOLE and entry.kind == _NAME else EXACT_CORE


@dataclass(frozen=True)
class _Query:
    """What a text asks for: the strings to look up (folded string, kind of variant, weight), the country and the
    level of place it names, and the known places (subdivision ids) that it names exactly."""

    variants: list[tuple[str, int, float]]
    hint: str | None
    level: str | None
    named: frozenset[int]


def _variants(text: str, index: _Index) -> _Query:
    """What to look up for ``text``."""
    whole = fold(text)
    core, parens, hint, level = _cores(text, index.countries)
    cores = [other for other in [core, *parens] if other]
    variants: list[tuple[str, int, float]] = [(whole, _WHOLE, 1.0)]
    variants += [(other, _CORE, 1.0) for other in cores if other != whole]
    named = frozenset().union(*(index.places.get(folded, ()) for folded in {whole, *cores}))
    exonyms = _exonyms()
    for folded in {whole, *cores}:
        others = exonyms.get(folded)
        weight = 1.0
        if others is None and not named and len(folded) >= EXONYM_FUZZY_MIN_LENGTH:
            # Not for the name of a known place: "Incheon" is no misspelling of anything.
            close = process.extractOne(folded, list(exonyms), scorer=fuzz.ratio, score_cutoff=EXONYM_FUZZY_CUTOFF)
            if close is not None:
                others, weight = exonyms[close[0]], close[1] / 100
        variants += [(other, _EXONYM, weight) for other in sorted(others or ())]
    seen, unique = set(), []
    for variant in variants:
        if variant[0] and variant[0] not in seen:
            seen.add(variant[0])
            unique.append(variant)
    named |= frozenset().union(
        *(index.places.get(folded, ()) for folded, kind, weight in unique if kind == _EXONYM and weight == 1)
    )
    return _Query(unique, hint, level, named)


def _fuzzy(folded: str, choices: RatioIndex, entries: list[list[_Entry]], limit: int):
    """Spellings close to ``folded`` (rapidfuzz ratio, 0-100), each with its rapidfuzz ratio and the entries that
    hold it."""
    found = choices.extract(folded, limit=limit, score_cutoff=FUZZY_CUTOFF)
    return [(choice, raw, entries[position]) for choice, raw, position in found]


def _match(text: str, index: _Index, limit: int) -> tuple[_Scores, _Query]:
    scores = _Scores()
    query = _variants(text, index)
    fuzzy_limit = max(limit * 3, 30)
    stripped = any(kind == _CORE for _folded, kind, _weight in query.variants)
    for folded, kind, weight in query.variants:
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
            found = _fuzzy(folded, index.core_fuzzy, index.core_choice_entries, fuzzy_limit)
        else:
            found = _fuzzy(folded, index.fuzzy, index.choice_entries, fuzzy_limit)
        for choice, raw, entries in found:
            if query.named and not query.named & index.places.get(choice, frozenset()):
                # The text names a known place exactly ("Incheon"): a close spelling of another place ("Icheon",
                # one letter less) is that other place, not a misspelling; it stays only for partners in the
                # place named.
                entries = [entry for entry in entries if index.partner_place.get(entry.partner_id) in query.named]
            for entry in entries:
                scores.offer(entry, raw * FUZZY_SCALE * (SUBDIVISION_WEIGHT if entry.kind == _SUBDIVISION else 1))
    if stripped:
        _break_ties(fold(text), index, scores)
    _match_parts(text, query.variants, index, scores)
    return scores, query


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
            entries = index.exact.get(span, ())
            if not entries:
                continue
            level = _level_around(words, start, start + size)
            for entry in entries:
                score = SPAN_BASE + SPAN_RANGE * len(span) / len(whole)
                weight = SUBDIVISION_WEIGHT if entry.kind == _SUBDIVISION else 1.0
                scores.offer(entry, score * weight, inside=True, level=level)
    for folded, _kind, _weight in variants:
        if len(folded) < WORD_MIN_LENGTH:
            continue
        for entry in index.words.get(folded, ()):
            scores.offer(entry, WORD_BASE + WORD_RANGE * len(folded) / max(len(fold(entry.matched)), len(folded)))


def _level_around(words: list[str], start: int, end: int) -> str | None:
    """The level of place that the generic words just before ``words[start:end]`` mark ("huyện", "city of"), or
    else an English one just after it ("District"; not "do" or "si", which are Vietnamese words too)."""
    for size in (3, 2, 1):
        if start >= size and (phrase := " ".join(words[start - size : start])) in LEADING_LEVELS:
            return LEADING_LEVELS[phrase]
    for size in (3, 2, 1):
        if end + size <= len(words) and (phrase := " ".join(words[end : end + size])) in TRAILING_LEVELS:
            return TRAILING_LEVELS[phrase]
    return None


def _adjust(score: float, partner_country: str | None, hint: str | None) -> float:
    if not hint:
        return score
    if partner_country == hint:
        ceiling = EXACT if score > FUZZY_CEILING else FUZZY_CEILING
        return min(score + COUNTRY_BOOST, max(ceiling, score))
    penalty = NO_COUNTRY_PENALTY if partner_country is None else OTHER_COUNTRY_PENALTY
    return max(score - penalty, 0.0)


def _level_penalty(asked: str | None, level: str | None) -> float:
    """What a candidate of ``level`` loses when the text's generic words mark ``asked`` (LEVEL_CONFLICTS)."""
    if asked is None or level is None:
        return 0.0
    return LEVEL_CONFLICTS.get(asked, {}).get(level, 0.0)


def _clean(name) -> str:
    if not isinstance(name, str):
        return ""
    return clean_text(name[: MAX_NAME * 2])[:MAX_NAME]


def _ranked(text: str, index: _Index, country: str | None, limit: int) -> list[tuple[float, str, int, bool]]:
    """The best ``limit`` owners of ``index`` for ``text``: (score, matched spelling, id, other level), best
    first; ties go to the longest matched spelling, then the lowest id."""
    scores, query = _match(text, index, limit)
    hint = country.strip().upper()[:2] if isinstance(country, str) and country.strip() else query.hint
    rows = []
    for pk, (score, matched) in scores.best.items():
        score = _adjust(score, index.partner_country.get(pk), hint)
        asked = scores.inside[pk] if pk in scores.inside else query.level
        penalty = _level_penalty(asked, index.partner_level.get(pk))
        rows.append((round(max(score - penalty, 0.0), 3), matched, pk, penalty >= LEVEL_PENALTY))
    return sorted(rows, key=lambda row: (-row[0], -len(row[1]), row[2]))[:limit]


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
    ranked = _ranked(text, _CACHE.get(), country, limit)
    # By primary key alone, without the default ordering: with "deleted_at IS NULL" and the default order in the
    # query, PostgreSQL may scan the trash index over every partner instead.
    rows = among if among is not None else Partner.all_objects
    found = rows.select_related("country").order_by().filter(pk__in=[pk for _s, _m, pk, _o in ranked])
    partners = {partner.pk: partner for partner in found if partner.deleted_at is None}
    return [
        Candidate(partner=partners[pk], score=score, matched=matched, other_level=other)
        for score, matched, pk, other in ranked
        if pk in partners
    ]


def resolve_subdivision(name: str, *, country: str | None = None, limit: int = 10) -> list[SubdivisionCandidate]:
    """Candidate foreign subdivisions of the reference data for ``name`` as a document writes it ("tỉnh
    Chăm-pa-xắc", "Kinh Kỳ", "U-bon Rát-cha-tha-ni"), scored and ordered as :func:`resolve` orders partners; a
    subdivision of another level than the text's generic words mark ("huyện Chămpasắc" for the province) comes
    flagged ``other_level``, LEVEL_PENALTY lower. Two queries, as :func:`resolve`."""
    text = _clean(name)
    if not fold(text) or limit < 1:
        return []
    index = _CACHE.get().subdivisions
    if index is None:
        return []
    ranked = _ranked(text, index, country, limit)
    found = ForeignSubdivision.objects.select_related("country").in_bulk([pk for _s, _m, pk, _o in ranked])
    return [
        SubdivisionCandidate(subdivision=found[pk], score=score, matched=matched, other_level=other)
        for score, matched, pk, other in ranked
        if pk in found
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
