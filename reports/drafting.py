"""A provincial report drafted from its regime's outline (issue 20, item 2).

The outline of a regime (ReportingRegime.outline) names the document's subject lines, its opening and closing
sentences, its parts (I, II, III) and the sections of each: a title, whether the section is required, the indicators
it states, the lists of notable records it may quote, and the text a new report starts from. A section's text is
the author's, one paragraph a line; its figures are not typed but written as placeholders, filled in from the
registries and the declared figures (core.indicators) whenever the report is shown, and frozen when it is sent:

- ``{{outgoing_delegations}}``: the value as the documents write it (``164``, ``khoảng 42 triệu USD``);
- ``{{outgoing_delegations.change}}``: the change against the previous period (``giảm 25``, ``tăng 16 triệu USD``);
- ``{{outgoing_delegations.previous}}``: the previous period's value;
- ``{{central_allocation_requested.next}}``: the value for the next period (what is planned or requested);
- ``{{awards_received.items}}``: the value split as its records split it (``01 Huân chương ITXALA hạng nhì, …``);
- ``{{records.agreements_signed}}``: the notable records of the period, named (the agreements signed, the events);
- ``{{period}}``, ``{{previous_period}}``, ``{{next_period}}``: ``2013``, ``2012``, ``2014``.

A figure whose declared and computed values disagree (two documents, or a document and the registry) is flagged:
the report cannot be sent until its author chooses the value it states and says why (reports.services).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import Qualifier
from core.documents import two_digits
from core.indicators import catalogue, indicator_values
from core.periods import Period

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\s*\}\}")
ASPECTS = ("change", "previous", "items", "next")
PERIOD_WORDS = ("period", "previous_period", "next_period")
MISSING = "…"

# The words the documents put before a figure (core.choices.Qualifier).
QUALIFIER_WORDS = {
    Qualifier.ABOUT: "khoảng",
    Qualifier.NEARLY: "gần",
    Qualifier.AT_LEAST: "trên",
    Qualifier.MORE_THAN: "hơn",
    Qualifier.ABOUT_MORE_THAN: "khoảng trên",
}
CURRENCY_WORDS = {"VND": "đồng", "LAK": "kíp", "KHR": "riel", "CNY": "nhân dân tệ", "JPY": "yên", "KRW": "won"}


@dataclass(frozen=True)
class Part:
    key: str
    title: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    part: str
    heading: bool = True
    required: bool = True
    indicators: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Outline:
    subject: tuple[str, ...]
    opening: str
    opening_answering: str
    closing: str
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


def outline(regime) -> Outline:
    """The regime's outline; an outline stored as a bare list is its sections, in one part."""
    data = regime.outline if isinstance(regime.outline, dict) else {"sections": regime.outline or []}
    parts = tuple(Part(part["key"], part.get("title_vi", "")) for part in data.get("parts", [])) or (Part("main", ""),)
    sections = tuple(
        Section(
            key=item["key"],
            title=item.get("title_vi", ""),
            part=item.get("part", parts[0].key),
            heading=item.get("heading", True),
            required=item.get("required", True),
            indicators=tuple(item.get("indicators", ())),
            lists=tuple(item.get("lists", ())),
            text="\n".join(item["text_vi"]) if isinstance(item.get("text_vi"), list) else item.get("text_vi", ""),
        )
        for item in data.get("sections", [])
    )
    return Outline(
        subject=tuple(data.get("subject_vi", ()) or (regime.name_vi + " {period}",)),
        opening=data.get("opening_vi", "{committee} báo cáo {subject} như sau:"),
        opening_answering=data.get("opening_answering_vi", "Thực hiện {request}, {committee} báo cáo như sau:"),
        closing=data.get("closing_vi", "Trên đây là {subject}, {committee} kính báo cáo {recipient}./."),
        parts=parts,
        sections=sections,
    )


def initial_sections(regime) -> dict[str, str]:
    """The text a new report starts from: each section's sentence with its placeholders."""
    return {section.key: section.text for section in outline(regime).sections}


# Words ----------------------------------------------------------------------------------------------------------


def grouped(number: Decimal) -> str:
    """``20.000``, ``37,5``: Vietnamese grouping and decimal comma, at most two decimals, no trailing zeros."""
    number = Decimal(number).quantize(Decimal("0.01")).normalize()
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _dot, fraction = text.partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + fraction if fraction else "")


def count_text(number: Decimal) -> str:
    """A count as the documents write it: two digits under ten (``05``), grouped above a thousand; none is ``0``
    (never ``00``)."""
    number = Decimal(number)
    if number == number.to_integral_value() and 0 < number < 10:
        return two_digits(int(number))
    return grouped(number)


def money_text(number: Decimal, currency: str) -> str:
    """``37,5 triệu USD``, ``200 tỷ đồng``, ``800.000 kíp``."""
    word = CURRENCY_WORDS.get(currency, currency)
    size = abs(Decimal(number))
    if size >= Decimal("1e9") and currency == "VND":
        return f"{grouped(Decimal(number) / Decimal('1e9'))} tỷ {word}".strip()
    if size >= Decimal("1e6"):
        return f"{grouped(Decimal(number) / Decimal('1e6'))} triệu {word}".strip()
    return f"{grouped(Decimal(number))} {word}".strip()


def amount_text(number: Decimal, figure: dict) -> str:
    return money_text(number, figure["currency"]) if figure["money"] else count_text(number)


def value_text(figure: dict) -> str:
    if figure["value"] is None:
        return MISSING
    value = Decimal(figure["value"])
    if figure["qualifier"] == Qualifier.RANGE and figure.get("value_max") is not None:
        low, high = amount_text(value, figure), amount_text(Decimal(figure["value_max"]), figure)
        return f"từ {low.split(' ')[0]} - {high}" if figure["money"] else f"từ {low} - {high}"
    words = QUALIFIER_WORDS.get(figure["qualifier"], "")
    return f"{words} {amount_text(value, figure)}".strip()


def change_text(figure: dict) -> str:
    if figure["change"] is None:
        return MISSING
    change = Decimal(figure["change"])
    if change == 0:
        return "không thay đổi"
    return f"{'tăng' if change > 0 else 'giảm'} {amount_text(abs(change), figure)}"


def previous_text(figure: dict) -> str:
    return MISSING if figure["previous"] is None else amount_text(Decimal(figure["previous"]), figure)


def items_text(figure: dict) -> str:
    items = [(name, count) for breakdown in figure["breakdown"].values() for name, count in breakdown.items()]
    # A kind whose count is not known (a record without its quantity) is named without a number, never "00".
    return ", ".join(f"{count_text(Decimal(count))} {name}" if count else name for name, count in items) or MISSING


def next_text(figure: dict) -> str:
    following = figure.get("next")
    if not following:
        return MISSING
    return value_text({**figure, **following, "currency": following["currency"] or figure["currency"]})


# What a placeholder's aspect says, as a problem names it (problem_lines).
ASPECT_NAMES = {
    "change": gettext_lazy("its change against the period compared with"),
    "previous": gettext_lazy("its value in the period compared with"),
    "next": gettext_lazy("its value planned for the next period"),
    "items": gettext_lazy("its breakdown"),
}

ASPECT_TEXT = {
    None: value_text,
    "change": change_text,
    "previous": previous_text,
    "items": items_text,
    "next": next_text,
}


# Figures ----------------------------------------------------------------------------------------------------------


def used_codes(texts, *, aspect: str | None = None) -> list[str]:
    """The indicator codes the placeholders of ``texts`` name (those with ``aspect`` only, if given), in order of
    first use."""
    codes: list[str] = []
    for text in texts:
        for code, used in PLACEHOLDER.findall(text or ""):
            if code in PERIOD_WORDS or code == "records" or code in codes:
                continue
            if aspect is None or used == aspect:
                codes.append(code)
    return codes


def text_errors(text: str, lists: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with the placeholders of ``text``: an unknown indicator, aspect or list, each named."""
    errors = []
    known = catalogue()
    for match in PLACEHOLDER.finditer(text or ""):
        code, aspect = match.group(1), match.group(2) or None
        if code == "records":
            if aspect not in RECORD_LISTS:
                errors.append(
                    _("“%(placeholder)s”: no such list of records; one of %(known)s.")
                    % {"placeholder": match.group(0), "known": ", ".join(f"records.{key}" for key in RECORD_LISTS)}
                )
        elif code in PERIOD_WORDS:
            if aspect:
                errors.append(_("“%(placeholder)s”: a period has no parts.") % {"placeholder": match.group(0)})
        elif code not in known:
            errors.append(_("“%(placeholder)s”: no figure has this code.") % {"placeholder": match.group(0)})
        elif aspect and aspect not in ASPECTS:
            errors.append(
                _("“%(placeholder)s”: write .change, .previous, .next or .items after the code.")
                % {"placeholder": match.group(0)}
            )
    return errors


def _number(value) -> str | None:
    """A value as the content keeps it: a plain decimal string (``730``, ``37500000``, ``0.5``), never ``7.3E+2``."""
    return None if value is None else format(Decimal(value).normalize(), "f")


def _candidates(row: dict) -> list[dict]:
    """The values a flagged figure may take: the registry's, then each document's."""
    found = []
    computed = row.get("computed", row["value"] if row["source"] == "computed" else None)
    if computed is not None:
        found.append({"value": _number(computed), "qualifier": Qualifier.EXACT, "source": _("Computed from records")})
    for declared in row["declared"]:
        if all(item["value"] != _number(declared["value"]) for item in found):
            found.append(
                {
                    "value": _number(declared["value"]),
                    "qualifier": declared["qualifier"],
                    "source": declared["source_document"],
                }
            )
    return found


def figures(report) -> dict[str, dict]:
    """Every figure the report states (its regime's indicators and those its text names), by code: the value
    (the author's choice where the sources disagree), the previous period's, the change, where each comes from,
    the link to the records behind it, and whether it is flagged."""
    known = catalogue()
    regime = report.reporting_period.regime
    codes = [
        code for code in dict.fromkeys([*regime.indicators, *used_codes(report.sections.values())]) if code in known
    ]
    period = Period.parse(report.reporting_period.period)
    rows = (
        indicator_values(unit=report.owner, period=period, codes=codes, previous=period.year_before()) if codes else []
    )
    next_codes = [code for code in used_codes(report.sections.values(), aspect="next") if code in known]
    following = {}
    if next_codes:
        for row in indicator_values(unit=report.owner, period=next_period(period), codes=next_codes):
            following[row["indicator"]] = {
                "currency": next((item["currency"] for item in row["declared"] if item["currency"]), ""),
                "value": _number(row["value"]),
                "qualifier": row["qualifier"] or Qualifier.EXACT,
                "value_max": _number(row["declared"][0]["value_max"]) if row["declared"] else None,
            }
    found = {}
    for row in rows:
        indicator = known[row["indicator"]]
        currency = indicator.currency or next((item["currency"] for item in row["declared"] if item["currency"]), "")
        candidates = _candidates(row)
        disagree = len(candidates) > 1
        choice = report.figure_choices.get(row["indicator"]) or {}
        chosen = next((item for item in candidates if item["value"] == choice.get("value")), None) if disagree else None
        value, qualifier = _number(row["value"]), row["qualifier"]
        if chosen is not None:
            value, qualifier = chosen["value"], chosen["qualifier"]
        previous = _number(row["previous"]["value"])
        figure = {
            "code": row["indicator"],
            "label": row["label"],
            "measure": row["measure"],
            "value": value,
            "value_max": _number(row["declared"][0]["value_max"]) if row["declared"] else None,
            "qualifier": qualifier or Qualifier.EXACT,
            "source": row["source"],
            "money": indicator.money,
            "currency": currency,
            "previous_period": row["previous"]["period"],
            "previous": previous,
            "change": _number(Decimal(value) - Decimal(previous))
            if value is not None and previous is not None
            else None,
            # The list of the records counted, where there are records behind the figure (a figure only declared
            # links to its documents instead, "declared").
            "records_url": row["records_url"] if row["source"] == "computed" or "computed" in row else "",
            "breakdown": row["breakdown"],
            "declared": [
                {
                    "value": _number(item["value"]),
                    "source_document": item["source_document"],
                    "quote": item["quote"],
                    "url": item.get("url", ""),
                }
                for item in row["declared"]
            ],
            "candidates": candidates if disagree else [],
            "flagged": disagree and chosen is None,
            "chosen_reason": choice.get("reason", "") if chosen is not None else "",
            "next": following.get(row["indicator"]),
        }
        figure["text"] = value_text(figure)
        found[row["indicator"]] = figure
    return found


# Notable records ------------------------------------------------------------------------------------------------


def _agreements_signed(unit, period: Period) -> list[dict]:
    from agreements.models import Agreement
    from core.filtersets import unit_portfolio_q

    rows = (
        Agreement.objects.unrestricted("a unit the report's reader may see")
        .filter(unit_portfolio_q(unit), signed_on__gte=period.start, signed_on__lte=period.end)
        .order_by("signed_on", "pk")
    )
    return [{"text": row.title, "url": row.get_absolute_url()} for row in rows]


def _events(unit, period: Period) -> list[dict]:
    from activities.models import Event
    from core.filtersets import unit_portfolio_q

    rows = (
        Event.objects.unrestricted("a unit the report's reader may see")
        .filter(unit_portfolio_q(unit), starts_on__gte=period.start, starts_on__lte=period.end)
        .order_by("starts_on", "pk")
    )
    return [{"text": row.name, "url": row.get_absolute_url()} for row in rows]


def _awards(unit, period: Period) -> list[dict]:
    from activities.models import Award
    from core.filtersets import unit_portfolio_q

    rows = (
        Award.objects.unrestricted("a unit the report's reader may see")
        .filter(unit_portfolio_q(unit), decided_on__gte=period.start, decided_on__lte=period.end)
        .order_by("decided_on", "pk")
    )
    return [
        {
            "text": " ".join(part for part in (count_text(Decimal(row.count or 0)), row.name, row.award_class) if part),
            "url": row.get_absolute_url(),
        }
        for row in rows
    ]


def _leaders_delegations(unit, period: Period) -> list[dict]:
    from activities.choices import Direction
    from activities.models import Delegation
    from core.filtersets import unit_portfolio_q

    rows = (
        Delegation.objects.unrestricted("a unit the report's reader may see")
        .filter(unit_portfolio_q(unit), direction=Direction.OUTGOING, departs_on__gte=period.start)
        .filter(departs_on__lte=period.end)
        .exclude(leader_name="")
        .order_by("departs_on", "pk")
    )
    return [
        {
            "text": f"{row.leader_name}{', ' + row.leader_position if row.leader_position else ''}: {row.purpose}",
            "url": row.get_absolute_url(),
        }
        for row in rows
    ]


RECORD_LISTS = {
    "leaders_delegations": (_leaders_delegations, "Đoàn ra do lãnh đạo làm trưởng đoàn"),
    "agreements_signed": (_agreements_signed, "Thỏa thuận quốc tế đã ký kết"),
    "events": (_events, "Sự kiện có yếu tố nước ngoài"),
    "awards": (_awards, "Khen thưởng đối ngoại"),
}


# The report -------------------------------------------------------------------------------------------------------


def fill(
    text: str,
    found: dict[str, dict],
    words: dict[str, str],
    lists: dict[str, list[dict]],
    missing: list[str] | None = None,
) -> str:
    """``text`` with its placeholders filled in; each one that has nothing to say is written "…" and, with
    ``missing``, named there (the figure's label, or the list's title)."""

    def replace(match: re.Match) -> str:
        code, aspect = match.group(1), match.group(2) or None
        if code in words:
            return words[code]
        if code == "records":
            written = "; ".join(item["text"] for item in lists.get(aspect or "", []))
            name = RECORD_LISTS[aspect][1] if aspect in RECORD_LISTS else aspect
        else:
            figure = found.get(code)
            written = ASPECT_TEXT[aspect](figure) if figure is not None and aspect in ASPECT_TEXT else MISSING
            written = "" if written == MISSING else written
            known = catalogue()
            name = figure["label"] if figure is not None else known[code].label if code in known else code
            if aspect in ASPECT_NAMES:
                # "Đoàn vào (mức tăng, giảm so với kỳ trước)": the value may be there while its change is not.
                name = f"{name} ({ASPECT_NAMES[aspect]})"
        if not written and missing is not None and str(name) not in missing:
            missing.append(str(name))
        return written or MISSING

    return PLACEHOLDER.sub(replace, text)


@dataclass
class Draft:
    """The report as it reads now: what is shown, rendered and frozen when it is sent."""

    header: dict
    sections: list[dict]
    figures: dict[str, dict]
    problems: dict[str, list[str]] = field(default_factory=dict)

    def as_content(self) -> dict:
        return {"header": self.header, "sections": self.sections, "figures": self.figures, "problems": self.problems}


def next_period(period: Period) -> Period:
    """The period of the same length just after: 2014 for 2013, 2017-H2 for 2017-H1, 2018-H1 for 2017-H2."""
    if period.kind == "half_year":
        year = period.end.year
        return Period.parse(f"{year}-H2") if period.label.endswith("H1") else Period.parse(f"{year + 1}-H1")
    years = period.end.year - period.start.year + 1
    start, end = period.start.year + years, period.end.year + years
    return Period.parse(str(start) if years == 1 else f"{start}/{end}")


def period_words(label: str, regime=None) -> dict[str, str]:
    """The words ``{{period}}``, ``{{previous_period}}`` and ``{{next_period}}`` of ``regime``'s texts. A regime that
    reports half-years and years writes a year in full ("năm 2025"), since one text serves both ("Trong
    {{period}}, ..."); a yearly regime's texts write "năm {{period}}" themselves, as the documents do."""
    from reports.choices import Frequency

    period = Period.parse(label)
    full = regime is not None and regime.frequency == Frequency.HALF_YEAR
    return {
        "period": _period_phrase(period, full),
        "previous_period": _period_phrase(period.year_before(), full),
        "next_period": _period_phrase(next_period(period), full),
    }


def _period_phrase(period: Period, full: bool = False) -> str:
    """``2013`` (``năm 2013`` in ``full``); a half-year as the documents write it: ``6 tháng đầu năm 2017``,
    ``6 tháng cuối năm 2016``."""
    if period.kind == "half_year":
        return f"6 tháng {'đầu' if period.label.endswith('H1') else 'cuối'} năm {period.end.year}"
    if full and period.kind == "year":
        return f"năm {period.label}"
    return period.label


def draft_header(report, plan) -> dict:
    """The report's header as a sent revision keeps it: who issues it, its number, place and date, subject, opening,
    parts, closing, recipients and signature (reports.document writes it; a synthetic report's too)."""
    from agreements.report import COMMITTEE, COMMITTEE_SHORT, _committee, issuer

    regime = report.reporting_period.regime
    unit = report.owner
    words = period_words(report.reporting_period.period, report.reporting_period.regime)
    period = Period.parse(report.reporting_period.period)
    committee = _committee(unit)
    names = {"committee": committee, "committee_short": _committee(unit, COMMITTEE_SHORT)}
    subject_values = {**words, "year": str(period.end.year), "next_year": str(period.end.year + 1)}
    subject_lines = [line.format(**subject_values) for line in plan.subject]
    subject = " ".join(subject_lines)
    subject = subject[:1].lower() + subject[1:]
    recipient = regime.recipient.name
    superior, issuer_lines = issuer(unit)
    return {
        "unit": unit.key,
        "unit_name": unit.name,
        "regime": regime.key,
        "regime_name": regime.name_vi,
        "period": report.reporting_period.period,
        "revision": report.revision,
        "superior_lines": superior,
        "issuer_lines": issuer_lines,
        "committee": committee,
        "committee_kind": COMMITTEE.format(unit="").strip(),
        "number": report.number,
        "place": report.place,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "year": period.end.year,
        "subject_lines": subject_lines,
        "opening": (
            plan.opening_answering.format(request=report.responds_to, subject=subject, **names)
            if report.responds_to
            else plan.opening.format(subject=subject, **names)
        ),
        "closing": plan.closing.format(subject=subject, recipient=recipient, **names),
        "parts": [{"key": part.key, "title": part.title.format(**subject_values)} for part in plan.parts],
        "recipients": [line.strip() for line in report.recipients.splitlines() if line.strip()],
        "signature": {
            "authority_lines": [line for line in report.signature_authority.splitlines() if line.strip()],
            "title": report.signer_title,
            "name": report.signer_name,
        },
    }


def build(report) -> Draft:
    """The report from its text and the figures of today (a sent report is read from its revision instead)."""
    regime = report.reporting_period.regime
    plan = outline(regime)
    found = figures(report)
    unit = report.owner
    words = period_words(report.reporting_period.period, report.reporting_period.regime)
    period = Period.parse(report.reporting_period.period)
    list_keys = {key for section in plan.sections for key in section.lists} | {
        aspect
        for text in report.sections.values()
        for code, aspect in PLACEHOLDER.findall(text or "")
        if code == "records"
    }
    lists = {key: RECORD_LISTS[key][0](unit, period) for key in sorted(list_keys) if key in RECORD_LISTS}
    sections, empty, unresolved, missing = [], [], [], []
    for section in plan.sections:
        text = report.sections.get(section.key, "")
        unfilled: list[str] = []
        paragraphs = [fill(line.strip(), found, words, lists, unfilled) for line in text.splitlines() if line.strip()]
        missing += [f"{section.title}: {name}" for name in unfilled]
        codes = list(dict.fromkeys([*used_codes([text]), *section.indicators]))
        if section.required and not paragraphs:
            empty.append(section.title)
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "part": section.part,
                "heading": section.heading,
                "required": section.required,
                "paragraphs": paragraphs,
                "figures": [code for code in codes if code in found],
                "lists": [
                    {"key": key, "title": RECORD_LISTS[key][1], "items": lists.get(key, [])}
                    for key in section.lists
                    if key in RECORD_LISTS
                ],
            }
        )
    unresolved = [figure["label"] for figure in found.values() if figure["flagged"]]
    percentages = [item for section in sections for line in section["paragraphs"] for item in wrong_percentages(line)]
    header = draft_header(report, plan)
    problems = {
        "empty_sections": empty,
        "flagged_figures": unresolved,
        "wrong_percentages": percentages,
        "missing_values": missing,
    }
    return Draft(header, sections, found, problems)


# "41/59 địa phương (69,5%)": a count among a whole with the percentage a document states for it.
STATED_SHARE = re.compile(r"(\d+)\s*/\s*(\d+)[^()%/]{0,60}?\((\d+(?:[,.]\d+)?)\s*%\)")


def wrong_percentages(text: str) -> list[str]:
    """The stated percentages of ``text`` that do not match their N/M ("41/59 (70%)": 69,5%), each as written with
    the right value; half a point of rounding is allowed."""
    found = []
    for match in STATED_SHARE.finditer(text or ""):
        part, whole = int(match.group(1)), int(match.group(2))
        stated = Decimal(match.group(3).replace(",", "."))
        if not whole:
            continue
        actual = Decimal(part) * 100 / whole
        if abs(actual - stated) > Decimal("0.5"):
            right = str(actual.quantize(Decimal("0.1"))).replace(".", ",")
            found.append(f"{match.group(0)} → {right}%")
    return found


def problem_lines(problems: dict) -> list[str]:
    """What stops a report from being approved or sent: each required section left empty, each figure whose sources
    disagree without the author's choice, named."""
    return (
        [_("Section “%(title)s” is empty.") % {"title": title} for title in problems["empty_sections"]]
        + [
            _("Figure “%(label)s”: its sources disagree; choose the value the report states and say why.")
            % {"label": label}
            for label in problems["flagged_figures"]
        ]
        + [
            _("A percentage does not match its count: %(text)s.") % {"text": text}
            for text in problems.get("wrong_percentages", [])
        ]
        + [
            _(
                "%(what)s: nothing to state (the text shows “…”); declare the figure, record what is behind it or "
                "take it out of the text."
            )
            % {"what": what}
            for what in problems.get("missing_values", [])
        ]
    )


def issued_on(content: dict) -> dt.date | None:
    value = content["header"].get("issued_on")
    return dt.date.fromisoformat(value) if value else None


def decimal_or_none(text) -> Decimal | None:
    try:
        return Decimal(text) if text not in (None, "") else None
    except (InvalidOperation, TypeError):
        return None
