"""The annual report of a unit on international agreements: what was signed in the year, how the agreements in
force were carried out, what is planned for the next year, and the requests to the Ministry of Foreign Affairs
(the report the Ministry asks provinces for each year, modelled on Quảng Nam's report for 2013).

The lists and counts are computed from the registry each time the report is rendered (DESIGN.md: figures are
never typed); the paragraphs people write (the assessment of compliance, the overview, the shortcomings, the
requests, the recipients and the signature block) are kept in ``AgreementReport`` and only placed here. The
document is laid out by ``core.documents.Decree30Document``.

- :func:`build_agreements_annual` gathers the data,
- :func:`render_agreements_annual` writes it as Word, Excel (the attached list) or PDF; it is the report kind
  ``agreements_annual`` of ``manage.py render_report``,
- :class:`ReportRenderView` starts the job that renders it for a user.
"""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from agreements import workflow
from agreements.choices import SIGNED_STATUSES, AgreementKind, AgreementStatus, ItemStatus
from agreements.indicators import in_force_at, planned_for, signed_in
from agreements.models import Agreement, AgreementReport, Consultation, Evaluation, ImplementationItem
from core.choices import ORGANISATION_KINDS, vietnamese_label
from core.documents import Decree30Document, GroupRow, docx_to_pdf, two_digits
from core.filtersets import unit_portfolio_q
from core.models import Unit
from core.periods import Period, partial_date
from core.report_kinds import (
    CONTENT_TYPES,
    FORMATS,
    RenderedDocument,
    document_filename,
    period_for_files,
    report_job_start,
    report_kind,
    unit_for_files,
)
from core.scope import scope_for
from core.tabular import safe_cell
from core.text import fold
from partners.choices import InteractionKind, PartnerKind
from partners.models import Interaction, Partner

KIND = "agreements_annual"

# ---------------------------------------------------------------------------------------------------------------
# Vietnamese text of the document. The report is written in Vietnamese whatever the reader's language: these
# strings are data of the document format (worded as the provinces' reports word them), not interface strings,
# so they are not translated.

KIND_TITLE = "BÁO CÁO"
# What a reader calls the document: its file's name and its job's page read it.
DOCUMENT_TITLE = "Báo cáo tình hình ký kết và thực hiện thỏa thuận quốc tế"
SUBJECT_LINES = ("Tình hình ký kết và thực hiện thỏa thuận quốc tế", "năm {year}, kế hoạch năm {next_year}")
OPENING_ANSWERING = "Thực hiện {request}, {committee} báo cáo như sau:"
OPENING = (
    "{committee} báo cáo tình hình ký kết và thực hiện thỏa thuận quốc tế năm {year}, kế hoạch năm {next_year} như sau:"
)
PART_SIGNING = "Tình hình ký kết thỏa thuận quốc tế"
SIGNED_HEADING = "Các thỏa thuận quốc tế đã ký kết trong năm {year}"
SIGNED_SENTENCE = "Trong năm {year}, {unit} đã ký kết {count} thỏa thuận quốc tế, đó là:"
SIGNED_NONE = "Trong năm {year}, {unit} không ký kết thỏa thuận quốc tế nào."
BETWEEN = "giữa {vn} và {foreign}"
AT_PLACE = "tại {place}"
# An agreement is "Thỏa thuận này"; a memorandum or minutes, "Văn bản này" (as the provinces write them).
CONSULTED = "(Thỏa thuận này đã xin ý kiến của {bodies})"
CONSULTED_DOCUMENT = "(Văn bản này đã xin ý kiến của {bodies})"
# Working minutes of a visit record what two sides agreed to pursue: not an international agreement (Law
# 70/2020/QH14, Art. 2), they are mentioned after the agreements signed, as the provinces' reports do.
VISIT_MINUTES = {
    "visit_out": "trong chuyến thăm và làm việc của {people} tại {place}, hai bên đã lập biên bản làm việc {outcome}.",
    "visit_in": "trong chuyến thăm và làm việc tại {unit} của {people}, hai bên đã lập biên bản làm việc {outcome}.",
}
VISIT_MINUTES_FIRST = "Bên cạnh đó, {text}"
VISIT_PEOPLE = "đoàn đại biểu {unit}"
ATTACHED = "(Đính kèm Danh mục)"
COMPLIANCE_HEADING = "Đánh giá việc thực hiện thủ tục theo quy định của pháp luật"
# Decisions and signings that went ahead without every written opinion the law requires, with their reasons
# (Law 70/2020/QH14, Ch. II; agreements.services.agreement_approve and agreement_sign).
OVERRIDES_SENTENCE = (
    "Thỏa thuận quốc tế được quyết định ký hoặc được ký khi chưa nhận đủ ý kiến bằng văn bản của cơ quan liên quan:"
)
DECIDED_WITHOUT = (
    "{title}: Quyết định số {number} ngày {day} ({signer}) cho phép ký khi chưa nhận được ý kiến bằng văn bản của "
    "{bodies}; lý do: {reason}."
)
SIGNED_WITHOUT = "{title}: ký khi chưa nhận được ý kiến bằng văn bản của {bodies}; lý do: {reason}."
BODIES_CONCERNED = "các cơ quan liên quan"
PART_IMPLEMENTATION = "Tình hình thực hiện thỏa thuận quốc tế"
IN_FORCE_SENTENCE = "Thỏa thuận quốc tế đang còn hiệu lực hiện nay bao gồm:"
IN_FORCE_NONE = "Đến ngày {day}, {unit} không có thỏa thuận quốc tế nào còn hiệu lực."
SIGNED_WHEN = {"year": "ký năm {when}", "month": "ký tháng {when}", "day": "ký ngày {when}"}
RESULTS = "Kết quả thực hiện trong năm {year}: {items}."
PART_PLAN = "Dự kiến kế hoạch thực hiện năm {next_year}"
PLANNED_SENTENCE = "Trong năm {next_year}, {unit} dự kiến ký kết các thỏa thuận quốc tế sau:"
PLANNED_NONE = "Trong năm {next_year}, {unit} chưa dự kiến ký kết thỏa thuận quốc tế nào."
PART_REQUESTS = "Kiến nghị với Bộ Ngoại giao"
CLOSING = (
    "Trên đây là báo cáo tình hình ký kết, thực hiện các thỏa thuận quốc tế năm {year}, dự kiến kế hoạch thực "
    "hiện năm {next_year}, {committee} kính báo cáo./."
)
# Where a paragraph people write is still empty, the document leaves a dotted line to write on, as a printed
# form does: no instruction or address is left in a document (Decree 30/2020/NĐ-CP). They are typed on the
# page of the unit's report for the year (AgreementReport).
BLANK_LINE = "…" * 60
NARRATIVES = ("compliance_assessment", "implementation_overview", "shortcomings", "requests")
DEFAULT_RECIPIENTS = (
    "Bộ Ngoại giao (Vụ Luật pháp và Điều ước quốc tế);",
    "TT {party}, TT HĐND {word};",
    "CT, các PCT UBND {word};",
    "Sở Ngoại vụ;",
    "Lưu: VT.",
)
PARTY_COMMITTEE = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy"}
APPENDIX_TITLE = "Danh mục"
APPENDIX_SUBTITLE = "Thỏa thuận quốc tế ký kết năm {year} và dự kiến ký kết năm {next_year}"
APPENDIX_NOTE = "(Kèm theo Báo cáo số {number}{date} của {committee})"
APPENDIX_DATE = " ngày {day}"
CATALOGUE_HEADERS = ("TT", "Tên văn bản", "Các bên ký kết", "Thời gian, địa điểm ký", "Tình trạng")
CATALOGUE_WIDTHS_MM = (10, 55, 47, 29, 24)
CATALOGUE_SHEET = "Danh mục"
GROUP_SIGNED = ("A", "Thỏa thuận quốc tế đã ký kết năm {year}")
GROUP_PLANNED = ("B", "Thỏa thuận quốc tế dự kiến ký kết năm {next_year}")
NONE_ROW = "Không có"
PLANNED_WHEN = "Dự kiến năm {year}"
# The status column of the list says where each agreement stood at the end of the year reported on.
STATUS_PLANNED = "Dự kiến ký kết"
COMMITTEE = "Ủy ban nhân dân {unit}"
COMMITTEE_SHORT = "UBND {unit}"
CONSULTED_BODIES = {
    "mofa": "Bộ Ngoại giao",
    "foreign_affairs_department": "Sở Ngoại vụ",
    "justice": "Sở Tư pháp",
    "police": "cơ quan Công an",
    "defence": "cơ quan quân sự",
    "border_guard": "Bộ đội Biên phòng",
    "planning_investment": "cơ quan kế hoạch và đầu tư",
    "finance": "cơ quan tài chính",
    "other": "cơ quan khác",
}
# The word before a Vietnamese unit's name ("tỉnh Quảng Nam") and before a foreign locality's ("thành phố Yongin").
UNIT_WORDS = {
    "province": "tỉnh",
    "municipality": "thành phố",
    "district": "huyện",
    "commune": "xã",
    "ward": "phường",
    "special_zone": "đặc khu",
}
PARTNER_WORDS = {"province": "tỉnh", "city": "thành phố", "district": "huyện"}

# ---------------------------------------------------------------------------------------------------------------
# Names


def unit_phrase(unit: Unit) -> str:
    """``tỉnh Quảng Nam``, ``thành phố Đà Nẵng``, ``thành phố Bắc Giang`` (a city of a province is no district: its
    full name says which it is); an organisation by its own name (``Sở Ngoại vụ Bắc Ninh``)."""
    word = UNIT_WORDS.get(unit.kind)
    full = (unit.full_name or "").strip()
    if word and full and fold(full).endswith(fold(unit.name)) and len(full) > len(unit.name):
        return full[0].lower() + full[1:]
    return f"{word} {unit.name}" if word and not fold(unit.name).startswith(fold(word)) else unit.name


def _committee(unit: Unit, template: str = COMMITTEE) -> str:
    """The body that reports: the People's Committee of an administrative unit, or the organisation itself."""
    return unit.name if unit.kind in ORGANISATION_KINDS else template.format(unit=unit_phrase(unit))


def _province(unit: Unit) -> Unit:
    root = unit.root if unit.root_id and unit.root_id != unit.pk else unit
    return root if root.kind in UNIT_WORDS else unit


def issuer(unit: Unit) -> tuple[list[str], list[str]]:
    """The superior body's lines and the issuer's lines of the header. Decree 30/2020/NĐ-CP, Appendix I: the
    issuer is written in full (``ỦY BAN NHÂN DÂN`` / ``TỈNH QUẢNG NAM``); only the superior body above an
    organisation may be abbreviated (``UBND TỈNH QUẢNG NAM`` above ``SỞ NGOẠI VỤ``)."""
    if unit.kind in ORGANISATION_KINDS:
        province = _province(unit)
        superior = [_committee(province, COMMITTEE_SHORT).upper()] if province != unit else []
        return superior, [unit.name.upper()]
    return [], [COMMITTEE.format(unit="").strip().upper(), unit_phrase(unit).upper()]


def partner_label(partner: Partner) -> str:
    """A foreign party as the documents write it: ``thành phố Yongin, tỉnh Gyeonggi (Hàn Quốc)``."""

    def named(item: Partner) -> str:
        name = item.name_vi or item.name_en or item.name_original
        word = PARTNER_WORDS.get(item.level) if item.kind == PartnerKind.LOCALITY else None
        return f"{word} {name}" if word and not fold(name).startswith(fold(word)) else name

    parts = [named(partner)]
    if partner.parent_id and partner.parent.kind == PartnerKind.LOCALITY:
        parts.append(named(partner.parent))
    text = ", ".join(parts)
    if partner.country_id:
        text += f" ({partner.country.name_vi or partner.country.name_en})"
    return text


def when_signed(agreement: Agreement) -> str:
    """The signing date as precisely as it is known: ``2013``, ``04/2013`` or ``10/04/2013``."""
    if agreement.signed_on is None:
        return PLANNED_WHEN.format(year=agreement.planned_year) if agreement.planned_year else ""
    return partial_date(agreement.signed_on, agreement.signed_precision)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------------------------
# Data


def _annual(period: Period) -> int:
    if period.kind != "year":
        raise ValidationError(
            _("The annual agreements report covers one year: give a year such as 2013."), code="invalid_period"
        )
    return period.start.year


def _agreements(unit: Unit):
    """The unit's portfolio (its own agreements, its units' and its predecessors'), live rows only, with what the
    report prints of each fetched in a fixed number of queries."""
    partners = (
        Partner.all_objects.select_related("country", "parent")
        .prefetch_related("aliases")
        .order_by("name_vi", "name_en")
    )
    # Every consultation: the answered ones are named, and the unanswered tell what a decision went ahead without.
    consultations = Consultation.objects.unrestricted(
        "the report of a unit the caller may see (render_report checks it)"
    ).order_by("body", "pk")
    return (
        Agreement.objects.unrestricted("the report of a unit the caller may see (render_report checks it)")
        .filter(unit_portfolio_q(unit))
        .select_related("owner")
        .prefetch_related(Prefetch("partners", queryset=partners), Prefetch("consultations", queryset=consultations))
        .order_by("signed_on", "title", "pk")
    )


def _overrides(agreement: Agreement, consultations: list[Consultation]) -> list[str]:
    """What the report says of a decision or a signing that went ahead without every required written opinion:
    the decision or the signing, the bodies whose opinion had not come by its date (as the decision recorded them;
    for a signing, from the consultations), and the reason."""
    title = agreement.title.strip().rstrip(".")
    lines = []

    def bodies(missing: list[str]) -> str:
        return ", ".join(CONSULTED_BODIES.get(body, body) for body in missing) or BODIES_CONCERNED

    def reason(text: str) -> str:
        return " ".join(text.split()).rstrip(".")

    if agreement.approval_override_reason and agreement.decision_on:
        lines.append(
            DECIDED_WITHOUT.format(
                title=title,
                number=agreement.decision_number,
                day=agreement.decision_on.strftime("%d/%m/%Y"),
                signer=agreement.decision_signer,
                bodies=bodies(agreement.approval_override_bodies),
                reason=reason(agreement.approval_override_reason),
            )
        )
    if agreement.override_reason:
        lines.append(
            SIGNED_WITHOUT.format(
                title=title,
                bodies=bodies(
                    workflow.missing_opinions(agreement, by=agreement.signed_on, consultations=consultations)
                ),
                reason=reason(agreement.override_reason),
            )
        )
    return lines


def _named_in(partner: Partner, folded_title: str) -> bool:
    """Whether a title names the partner, by its name or any spelling the registry knows of it ("Chăm pa sắc"
    for Champasak)."""
    names = [partner.name_vi, partner.name_en, partner.name_original, *(alias.name for alias in partner.aliases.all())]
    return any(fold(name) and fold(name) in folded_title for name in names)


def _row(agreement: Agreement) -> dict:
    partners = list(agreement.partners.all())
    folded_title = fold(agreement.title)
    consultations = list(agreement.consultations.all())
    bodies = []
    for consultation in consultations:
        if not consultation.opinion:
            continue
        body = consultation.body_name or CONSULTED_BODIES.get(consultation.body, consultation.body)
        if body not in bodies:
            bodies.append(body)
    return {
        "id": agreement.pk,
        "title": agreement.title.strip().rstrip("."),
        "kind": agreement.kind,
        "status": agreement.status,
        "status_label": vietnamese_label(AgreementStatus, agreement.status),
        "vn_party": _committee(agreement.owner, COMMITTEE_SHORT),
        "foreign_parties": [partner_label(partner) for partner in partners],
        # Titles usually name the foreign party ("... với thành phố Yongin"): the sentence then does not repeat it.
        "parties_in_title": bool(partners) and all(_named_in(partner, folded_title) for partner in partners),
        "signed_on": agreement.signed_on,
        "precision": agreement.signed_precision,
        "when": when_signed(agreement),
        "place": agreement.place_signed,
        "consulted": bodies,
        "consulted_wording": CONSULTED if agreement.kind == AgreementKind.AGREEMENT else CONSULTED_DOCUMENT,
        "overrides": _overrides(agreement, consultations),
        "planned_year": agreement.planned_year,
    }


def _at_year_end(rows: list[dict], day: dt.date, in_force_ids: set[int], portfolio) -> None:
    """Set each row's status as it stood on ``day`` (the last day of the year reported on), not as it stands
    when the report is rendered: from the dates the procedure recorded (signing, entry into force, end), and
    before signing from the record's history (the status it had then); an agreement not yet recorded then is
    a plan."""
    history = {}
    unsigned = [row["id"] for row in rows if not (row["signed_on"] and row["signed_on"] <= day)]
    if unsigned:
        end = dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        versions = (
            Agreement.history.filter(id__in=unsigned, history_date__lte=end)
            .order_by("id", "-history_date")
            .values_list("id", "status")
        )
        for pk, status in versions:
            history.setdefault(pk, status)
    ends = dict(portfolio.filter(pk__in=[row["id"] for row in rows]).values_list("pk", "terminated_on"))
    for row in rows:
        if row["id"] in in_force_ids:
            status = AgreementStatus.IN_FORCE
        elif ends.get(row["id"]) and ends[row["id"]] <= day:
            status = AgreementStatus.TERMINATED
        elif row["signed_on"] and row["signed_on"] <= day and row["status"] in SIGNED_STATUSES:
            status = AgreementStatus.EXPIRED if row["status"] == AgreementStatus.EXPIRED else AgreementStatus.SIGNED
        elif history.get(row["id"]) and history[row["id"]] not in SIGNED_STATUSES:
            status = history[row["id"]]
        else:
            row["status_label"] = STATUS_PLANNED
            continue
        row["status_label"] = vietnamese_label(AgreementStatus, status)


def _visits_with_minutes(unit: Unit, period: Period) -> list[dict]:
    """The unit's visits of the year that drew up working minutes (partners.Interaction), as the report
    mentions them after the agreements signed."""
    visits = (
        Interaction.objects.unrestricted("the report of a unit the caller may see (render_report checks it)")
        .filter(unit_portfolio_q(unit), working_minutes=True, on__gte=period.start, on__lte=period.end)
        .filter(kind__in=[InteractionKind.VISIT_OUT, InteractionKind.VISIT_IN])
        .select_related("owner", "relationship__partner__country", "relationship__partner__parent")
        .order_by("on", "pk")
    )
    return [
        {
            "kind": visit.kind,
            "people": " ".join(visit.people.split()) or VISIT_PEOPLE.format(unit=unit_phrase(visit.owner)),
            "place": partner_label(visit.relationship.partner),
            "unit": unit_phrase(visit.owner),
            "outcome": " ".join(visit.outcome.split()).rstrip("."),
        }
        for visit in visits
    ]


def _signed_within(row: dict, period: Period) -> bool:
    return row["signed_on"] is not None and period.start <= row["signed_on"] <= period.end


def build_agreements_annual(unit: Unit, period: Period) -> dict:
    """The data of the annual agreements report of ``unit`` for the year ``period``.

    Computed from the registry: ``signed`` (agreements signed in the year, ``signed_in``), ``in_force``
    (agreements in force on 31 December, ``in_force_at``, each with its implementation activities done in the
    year and its latest evaluation of the year), ``planned`` (agreements planned for the next year,
    ``planned_for``). Typed in the unit's ``AgreementReport`` for the year (defaults when there is none):
    number, place, date, the request answered, the four narratives (lists of paragraphs), the recipients and
    the signature block. Raises ValidationError when ``period`` is not a single year."""
    year = _annual(period)
    next_period = Period.parse(str(year + 1))
    report = (
        AgreementReport.objects.unrestricted("the report of a unit the caller may see (render_report checks it)")
        .filter(owner=unit, period=period.label)
        .first()
    )
    saved = report is not None
    if report is None:
        # The model's defaults (number "…/BC-UBND", the signature block) stand in until the report is typed.
        report = AgreementReport(owner=unit, period=period.label)
    portfolio = _agreements(unit)
    done = (
        ImplementationItem.objects.unrestricted("the report of a unit the caller may see (render_report checks it)")
        .filter(status=ItemStatus.DONE)
        .filter(
            # Activities carry a deadline but no completion date: those due in the year, or undated, count as done.
            Q(deadline__isnull=True) | Q(deadline__gte=period.start, deadline__lte=period.end)
        )
    )
    evaluations = (
        Evaluation.objects.unrestricted("the report of a unit the caller may see (render_report checks it)")
        .filter(on__gte=period.start, on__lte=period.end)
        .order_by("-on", "-pk")
    )
    in_force = []
    for agreement in in_force_at(portfolio, period.end).prefetch_related(
        Prefetch("implementation_items", queryset=done.order_by("deadline", "pk"), to_attr="done_items"),
        Prefetch("evaluations", queryset=evaluations, to_attr="year_evaluations"),
    ):
        row = _row(agreement)
        row["results"] = [(item.activity.strip().rstrip("."), item.result.strip()) for item in agreement.done_items]
        # The year's evaluation is what the unit wrote of the agreement's implementation that year: the report
        # quotes the latest whole, paragraph by paragraph; without one, the activities done speak for it.
        latest = agreement.year_evaluations[0] if agreement.year_evaluations else None
        row["evaluation"] = _lines(latest.assessment) if latest else []
        in_force.append(row)
    signed = [_row(agreement) for agreement in signed_in(portfolio, period)]
    planned = [_row(agreement) for agreement in planned_for(portfolio, next_period)]
    _at_year_end([*signed, *planned], period.end, {row["id"] for row in in_force}, portfolio)
    province = _province(unit)
    word = UNIT_WORDS.get(province.kind, "tỉnh")
    default_recipients = [
        line.format(party=PARTY_COMMITTEE.get(word, "Tỉnh ủy"), word=word) for line in DEFAULT_RECIPIENTS
    ]
    superior_lines, issuer_lines = issuer(unit)
    return {
        "unit": unit,
        "period": period,
        "year": year,
        "next_year": next_period.start.year,
        "report": report,
        "report_saved": saved,
        "superior_lines": superior_lines,
        "issuer_lines": issuer_lines,
        "number": report.number or "…/BC-UBND",
        "place": report.place or province.name,
        "issued_on": report.issued_on,
        "responds_to": report.responds_to.strip().rstrip(",."),
        "unit_name": unit_phrase(unit),
        "committee": _committee(unit),
        "committee_short": _committee(unit, COMMITTEE_SHORT),
        "signed": signed,
        "visits": _visits_with_minutes(unit, period),
        # Section II lists the agreements signed before the year that are still in force (the seed's "đang còn
        # hiệu lực"); those signed in the year are in section I, and what they achieved comes first in II.
        "in_force": [row for row in in_force if not _signed_within(row, period)],
        "signed_results": [
            row for row in in_force if _signed_within(row, period) and (row["results"] or row["evaluation"])
        ],
        "planned": planned,
        "narratives": {name: _lines(getattr(report, name)) for name in NARRATIVES},
        "recipients": _lines(report.recipients) or default_recipients,
        "signature": {
            "authority_lines": _lines(report.signature_authority),
            "title": report.signer_title,
            "name": report.signer_name,
        },
    }


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def _sentence_of(row: dict, *, with_place: bool = True, with_date: bool = False, with_opinions: bool = True) -> str:
    text = row["title"]
    if row["foreign_parties"] and not row["parties_in_title"]:
        text += ", " + BETWEEN.format(vn=row["vn_party"], foreign=" và ".join(row["foreign_parties"]))
    if with_date and row["signed_on"]:
        text += ", " + SIGNED_WHEN.get(row["precision"], SIGNED_WHEN["day"]).format(when=row["when"])
    if with_place and row["place"]:
        text += " " + AT_PLACE.format(place=row["place"])
    if with_opinions and row["consulted"]:
        text += " " + row["consulted_wording"].format(bodies=", ".join(row["consulted"]))
    return text + "."


def _narrative(doc: Decree30Document, data: dict, name: str) -> None:
    for text in data["narratives"][name] or [BLANK_LINE]:
        doc.paragraph(text)


def _visits(doc: Decree30Document, data: dict) -> None:
    for index, visit in enumerate(data["visits"]):
        text = VISIT_MINUTES.get(visit["kind"], VISIT_MINUTES["visit_out"]).format(**visit)
        doc.paragraph(VISIT_MINUTES_FIRST.format(text=text) if index == 0 else text[0].upper() + text[1:])


def catalogue_rows(data: dict) -> list:
    """The attached list: group A (signed in the year) and group B (planned for the next year), one row per
    agreement with the columns of ``CATALOGUE_HEADERS``."""
    rows: list = []
    groups = (
        (GROUP_SIGNED, data["signed"]),
        (GROUP_PLANNED, data["planned"]),
    )
    for (number, title), items in groups:
        rows.append(GroupRow(number, title.format(year=data["year"], next_year=data["next_year"])))
        if not items:
            rows.append(("", NONE_ROW, "", "", ""))
        for index, row in enumerate(items, start=1):
            parties = "\n".join([row["vn_party"], *row["foreign_parties"]])
            when = ", ".join(part for part in (row["when"], row["place"]) if part)
            rows.append((str(index), row["title"], parties, when, row["status_label"]))
    return rows


def _results(doc: Decree30Document, row: dict, year: int) -> None:
    """What an agreement achieved in the year: the unit's evaluation of the year, whole, or without one the
    activities of its plan done in the year."""
    if row["evaluation"]:
        for text in row["evaluation"]:
            doc.paragraph(text)
    elif row["results"]:
        items = "; ".join(f"{activity} ({result})" if result else activity for activity, result in row["results"])
        doc.paragraph(RESULTS.format(year=year, items=items))


def agreements_annual_docx(data: dict) -> bytes:
    """The report as a Word document laid out by Decree 30/2020/NĐ-CP."""
    year, next_year, unit_name = data["year"], data["next_year"], data["unit_name"]
    doc = Decree30Document(
        superior_lines=data["superior_lines"],
        issuer_lines=data["issuer_lines"],
        number=data["number"],
        place=data["place"],
        issued_on=data["issued_on"],
        # A report on a year is made at its end (the Ministry asks in November).
        year=data["issued_on"].year if data["issued_on"] else year,
        kind_title=KIND_TITLE,
        subject_lines=[line.format(year=year, next_year=next_year) for line in SUBJECT_LINES],
    )
    values = {"committee": data["committee"], "year": year, "next_year": next_year, "unit": unit_name}
    if data["responds_to"]:
        doc.paragraph(OPENING_ANSWERING.format(request=data["responds_to"], **values))
    else:
        doc.paragraph(OPENING.format(**values))

    doc.heading(PART_SIGNING)
    doc.heading(SIGNED_HEADING.format(year=year), level=2)
    if data["signed"]:
        doc.paragraph(SIGNED_SENTENCE.format(count=two_digits(len(data["signed"])), **values))
        for row in data["signed"]:
            doc.bullet(_sentence_of(row))
        _visits(doc, data)
        doc.paragraph(ATTACHED)
    else:
        doc.paragraph(SIGNED_NONE.format(**values))
        _visits(doc, data)
    doc.heading(COMPLIANCE_HEADING, level=2)
    _narrative(doc, data, "compliance_assessment")
    overrides = [line for row in data["signed"] for line in row["overrides"]]
    if overrides:
        doc.paragraph(OVERRIDES_SENTENCE)
        for line in overrides:
            doc.bullet(line)

    doc.heading(PART_IMPLEMENTATION)
    _narrative(doc, data, "implementation_overview")
    for row in data["signed_results"]:
        doc.bullet(_sentence_of(row, with_place=False, with_date=True, with_opinions=False))
        _results(doc, row, year)
    if data["in_force"]:
        doc.paragraph(IN_FORCE_SENTENCE)
        for row in data["in_force"]:
            doc.bullet(_sentence_of(row, with_place=False, with_date=True, with_opinions=False))
            _results(doc, row, year)
    else:
        doc.paragraph(IN_FORCE_NONE.format(day=dt.date(year, 12, 31).strftime("%d/%m/%Y"), unit=unit_name))
    _narrative(doc, data, "shortcomings")

    doc.heading(PART_PLAN.format(next_year=next_year))
    if data["planned"]:
        doc.paragraph(PLANNED_SENTENCE.format(**values))
        for row in data["planned"]:
            doc.bullet(_sentence_of(row, with_place=False))
        doc.paragraph(ATTACHED)
    else:
        doc.paragraph(PLANNED_NONE.format(**values))

    doc.heading(PART_REQUESTS)
    _narrative(doc, data, "requests")
    doc.paragraph(CLOSING.format(**values))

    doc.recipients(data["recipients"])
    signature = data["signature"]
    doc.signature(signature["authority_lines"], signature["title"], signature["name"])

    date = APPENDIX_DATE.format(day=data["issued_on"].strftime("%d/%m/%Y")) if data["issued_on"] else ""
    doc.appendix(
        APPENDIX_TITLE,
        [APPENDIX_SUBTITLE.format(year=year, next_year=next_year)],
        note=APPENDIX_NOTE.format(number=data["number"], date=date, committee=data["committee_short"]),
    )
    doc.table(
        CATALOGUE_HEADERS,
        catalogue_rows(data),
        widths_mm=CATALOGUE_WIDTHS_MM,
        align=("center", "left", "left", "left", "left"),
    )
    return doc.to_bytes()


def agreements_annual_xlsx(data: dict) -> bytes:
    """The attached list as an Excel workbook, with the columns and rows of the Word table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CATALOGUE_SHEET
    sheet.append(list(CATALOGUE_HEADERS))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for row in catalogue_rows(data):
        if isinstance(row, GroupRow):
            sheet.append([row.number, safe_cell(row.title)])
            line = sheet.max_row
            sheet.merge_cells(start_row=line, start_column=2, end_row=line, end_column=len(CATALOGUE_HEADERS))
            for cell in sheet[line]:
                cell.font = bold
            continue
        sheet.append([safe_cell(value) for value in row])
    for column, width in zip("ABCDE", (6, 60, 40, 30, 22), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@report_kind(
    KIND, formats=FORMATS, description="Annual report of a unit on international agreements", title=DOCUMENT_TITLE
)
def render_agreements_annual(unit: Unit, period: Period, fmt: str = "docx") -> RenderedDocument:
    """The annual agreements report of ``unit`` for the year ``period`` as ``docx``, ``xlsx`` (the attached
    list) or ``pdf`` (the Word document converted by LibreOffice): ``(bytes, filename, content_type)``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    data = build_agreements_annual(unit, period)
    if fmt == "xlsx":
        content = agreements_annual_xlsx(data)
    else:
        content = agreements_annual_docx(data)
        if fmt == "pdf":
            content = docx_to_pdf(content)
    filename = document_filename(DOCUMENT_TITLE, unit_for_files(unit), period_for_files(period.label), extension=fmt)
    return RenderedDocument(content, filename, CONTENT_TYPES[fmt])


# ---------------------------------------------------------------------------------------------------------------
# The web entry point


class ReportRenderForm(forms.Form):
    """The year and format asked for on the unit's page."""

    period = forms.CharField(label=gettext_lazy("Year"), max_length=20)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[(name, name) for name in FORMATS])

    def clean_period(self) -> Period:
        period = Period.parse(self.cleaned_data["period"])
        _annual(period)
        return period


class ReportRenderView(LoginRequiredMixin, View):
    """Start the job that renders a unit's annual agreements report, then show its page (progress and the
    download). The unit must be one the user reaches; any other answers 404 (DESIGN.md: scope)."""

    http_method_names = ["post"]

    def post(self, request, key: str, period: str | None = None):
        unit = get_object_or_404(Unit.objects.restrict(request.user), key=key)
        if not scope_for(request.user, "view").covers(unit):
            raise Http404
        form = ReportRenderForm(
            {
                "period": period or request.POST.get("period") or request.GET.get("period", ""),
                "format": request.POST.get("format") or request.GET.get("format") or "docx",
            }
        )
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(unit.get_absolute_url())
        job = report_job_start(
            user=request.user,
            kind=KIND,
            unit=unit,
            period=form.cleaned_data["period"],
            fmt=form.cleaned_data["format"],
        )
        return redirect(job.get_absolute_url())
