"""A report's page: its status and steps, what stops it from going further, each section as it reads with the figures
behind it (their sources, the records, the flagged ones with the author's choice), the Word and PDF downloads, and
its revisions side by side with what changed between them."""

from __future__ import annotations

import difflib

from core.views import kept_verb_values
from reports import workflow
from reports.choices import ReportStatus
from reports.drafting import build, problem_lines
from reports.models import Report
from reports.verbs import FIGURE_VERBS, REPORT_VERBS

STATUS_STYLES = {
    ReportStatus.DRAFTING: "text-bg-secondary",
    ReportStatus.REVIEWED: "text-bg-info",
    ReportStatus.APPROVED: "text-bg-primary",
    ReportStatus.SUBMITTED: "text-bg-warning",
    ReportStatus.RECEIVED: "text-bg-success",
    ReportStatus.RETURNED: "text-bg-danger",
}


def _paragraphs(content: dict) -> list[str]:
    return [line for section in content["sections"] for line in [section["title"], *section["paragraphs"]]]


def _figure_row(figure: dict) -> dict:
    """A figure as its section's table shows it: the previous value and the change written as the text writes them
    ("21,8 triệu USD", "tăng 02 đoàn"), "—" where unknown."""
    from reports.drafting import MISSING, change_text, previous_text

    def written(text: str) -> str:
        return "—" if text == MISSING else text

    # A document that states the figure twice (two values of one source) is named once.
    declared = list({(item.get("source_document"), item.get("url")): item for item in figure["declared"]}.values())
    return {
        **figure,
        "declared": declared,
        "previous_text": written(previous_text(figure)),
        "change_text": written(change_text(figure)),
    }


def revision_difference(before: dict, after: dict) -> dict:
    """What changed from one revision to the next: the figures whose value changed, the paragraphs removed and
    added."""
    changed = [
        {"label": figure["label"], "before": before["figures"].get(code, {}).get("text"), "after": figure["text"]}
        for code, figure in after["figures"].items()
        if before["figures"].get(code, {}).get("value") != figure["value"]
    ]
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, _paragraphs(before), _paragraphs(after)).get_opcodes():
        if tag in ("replace", "delete"):
            removed += _paragraphs(before)[i1:i2]
        if tag in ("replace", "insert"):
            added += _paragraphs(after)[j1:j2]
    return {"figures": changed, "removed": removed, "added": added}


def report_detail_context(record: Report, request) -> dict:
    user = request.user
    refused, typed = kept_verb_values(request, record)
    contribution = record.is_contribution
    steps = [
        (REPORT_VERBS[verb], REPORT_VERBS[verb].form(typed if verb == refused else None))
        for verb in workflow.allowed_verbs(record.status)
        if record.policy.may(user, workflow.STEPS[verb].action, record)
        # A part of a province's report is read by the province, not received by the receiving body.
        and not (contribution and workflow.STEPS[verb].action == "receive")
    ]
    revisions = list(record.revisions.order_by("revision"))
    # A central body reads what the unit sent, not the next revision it is preparing after reopening (reports.policy).
    as_sent = bool(revisions) and not record.policy.reads_draft(user, record)
    frozen = as_sent or (record.frozen and revisions and revisions[-1].revision == record.revision)
    content = revisions[-1].content if frozen else build(record).as_content()
    figures = content["figures"]
    may_change = record.policy.may(user, "change", record) and record.status in workflow.EDITABLE
    sections = [
        {**section, "figure_rows": [_figure_row(figures[code]) for code in section["figures"] if code in figures]}
        for section in content["sections"]
    ]
    difference = revision_difference(revisions[-2].content, revisions[-1].content) if len(revisions) > 1 else None
    return {
        "contribution": contribution,
        "contributions": [] if contribution else contributions(record, user),
        "report": record,
        "status_style": STATUS_STYLES.get(record.status, "text-bg-secondary"),
        "steps": steps,
        # The frozen notice tells only who may reopen the report how to change it.
        "may_reopen": any(verb.name == "reopen" for verb, _form in steps),
        "content": content,
        "frozen": frozen,
        # Read as the unit sent it (reports.policy): not what its leader said of a draft.
        "as_sent": as_sent,
        # Reopened by its unit, and read as sent: the number of the last revision sent, which is shown.
        "revising": revisions[-1].revision if as_sent and not record.frozen else None,
        "sections": sections,
        "problems": [] if frozen else problem_lines(content["problems"]),
        "may_change": may_change,
        "editable": record.status in workflow.EDITABLE,
        "choice_verb": FIGURE_VERBS["choose_figure"],
        "revisions": revisions,
        "difference": difference,
    }


def contributions(record: Report, user) -> list[dict]:
    """The parts the province's departments and communes wrote for this report (issue 20, item 2), each with its
    status and, once sent, its paragraphs by section, for the province to compile (two queries)."""
    from core.filtersets import unit_portfolio_q

    province = record.owner
    rows = (
        Report.objects.restrict(user)
        .filter(unit_portfolio_q(province), reporting_period=record.reporting_period)
        .exclude(owner=province)
        .select_related("owner")
        .prefetch_related("revisions")
        .order_by("owner__name")
    )
    found = []
    for row in rows:
        revisions = sorted(row.revisions.all(), key=lambda item: item.revision)
        sent = revisions[-1] if row.frozen and revisions else None
        sections = []
        if sent is not None:
            sections = [
                {"title": section["title"], "paragraphs": section["paragraphs"]}
                for section in sent.content["sections"]
                if section["paragraphs"]
            ]
        found.append({"report": row, "sent": sent, "sections": sections})
    return found
