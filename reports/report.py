"""The provincial reports as report kinds of ``render_report`` (core.documents): ``foreign_affairs_annual`` and
``local_foreign_affairs`` for a unit and period. A report sent is rendered as it was sent (its last revision); one
being drafted as it reads now; a unit without a report yet gets the draft its regime's outline makes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.periods import Period
from core.report_kinds import RenderedDocument, report_kind
from reports import national_document  # noqa: F401 - the kind ``national`` (the receiving body's report)
from reports.document import rendered
from reports.drafting import build
from reports.models import Report
from reports.regimes import regime_named, reporting_period

PDF_AND_WORD = ("docx", "pdf")


def report_content(unit, regime_key: str, period: Period, reader=None) -> dict:
    """The content of ``unit``'s report to the regime for ``period``: the revision sent, else the draft. A
    ``reader`` who reads the unit's report only once sent (a central body, reports.policy) gets the last revision
    sent, or the report drafted afresh from the records when none was sent (the text the unit is writing stays
    with it)."""
    regime = regime_named(regime_key)
    found = reporting_period(regime, period.label, create=False)
    report = None
    if found is not None:
        report = (
            Report.objects.unrestricted("render_report checks the unit's scope (core.report_kinds.render_report_job)")
            .filter(owner=unit, reporting_period=found)
            .first()
        )
    if report is not None and reader is not None and not Report.policy.reads_draft(reader, report):
        sent = report.revisions.order_by("-revision").first()
        if sent is not None:
            return sent.content
        report = None
    if report is not None and report.frozen:
        revision = report.revisions.filter(revision=report.revision).first()
        if revision is not None:
            return revision.content
    if report is None:
        from reports.drafting import initial_sections

        if unit.level != regime.reporting_level:
            raise ValidationError(
                _("%(unit)s does not report to this regime: the reports are those of its provinces.")
                % {"unit": unit.name}
            )
        found = found or reporting_period(regime, period.label)
        report = Report(owner=unit, reporting_period=found, sections=initial_sections(regime))
    return build(report).as_content()


def _kind(regime_key: str):
    def render(unit, period: Period, fmt: str = "docx", reader=None) -> RenderedDocument:
        return rendered(report_content(unit, regime_key, period, reader), fmt)

    return render


def _regime_title(regime_key: str):
    # The regime's name as its record holds it (a reference manager may rename it), read when a page asks.
    return lambda: regime_named(regime_key).name_vi


# The kinds of report written from a regime's outline, each under its regime's key (CONTRACT.md: render_report).
for _key, _description in (
    ("foreign_affairs_annual", "annual summary of foreign affairs"),
    ("local_foreign_affairs", "report on local foreign affairs"),
):
    report_kind(_key, formats=PDF_AND_WORD, description=_description, title=_regime_title(_key), takes_reader=True)(
        _kind(_key)
    )
