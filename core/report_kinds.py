"""The registry of report kinds that ``manage.py render_report`` and the report jobs render (CONTRACT.md:
``agreements_annual``, ``foreign_affairs_annual``, ``national``...), and the files they make.

:func:`report_kind` registers a renderer under a report ``KIND``. Each app declares its kinds in its ``report.py``
module, which :func:`report_kinds` imports on first use (as Django's admin discovers ``admin.py``). A renderer is
called as ``render(unit, period, fmt)`` (and ``reader=``, the user it is made for, where the kind says it takes one)
and returns a :class:`RenderedDocument`; most lay their Word file out with :class:`core.documents.Decree30Document`.
The job kind ``render_report`` runs any registered kind for a user and stores the file on the job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import job_kind, job_start

FORMATS = ("docx", "xlsx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

# A downloaded file's name, its extension included: within what every system and mail client keeps whole.
FILENAME_LIMIT = 120


def document_filename(title: str, *distinct: str, extension: str) -> str:
    """A downloaded document's name as its reader knows it, without diacritics: its title ("Báo cáo tình hình công
    tác đối ngoại địa phương") then what tells it from the others of its kind (the unit's name, the period, the
    revision), never an internal key. A long title is cut at a word so that the name stays within
    ``FILENAME_LIMIT``; what tells the files apart is kept whole."""
    from core.text import slug

    tail = "-".join(part for part in (slug(item) for item in distinct) if part)
    head = slug(title)
    room = FILENAME_LIMIT - len(extension) - 1 - (len(tail) + 1 if tail else 0)
    if len(head) > room:
        # Cut after the last whole word that fits (the character after the room tells whether the word ends there).
        cut = head[: room + 1] if room > 0 else ""
        head = cut.rsplit("-", 1)[0] if "-" in cut else cut[:room]
    return f"{'-'.join(part for part in (head, tail) if part)}.{extension}"


def unit_for_files(unit) -> str:
    """A unit as a file's name writes it, in Vietnamese whatever the page's language: its name, with "(cũ)" for a
    legacy unit, so that a legacy province's file is told from today's of the same name."""
    from django.utils import translation

    with translation.override("vi"):
        return str(unit)


def period_for_files(label: str) -> str:
    """A period as the documents write it, whatever the page's language: "6 tháng đầu năm 2017", "năm 2013"."""
    from django.utils import translation

    from core.periods import Period

    with translation.override("vi"):
        return str(Period.parse(label).words)


class RenderedDocument(NamedTuple):
    """A rendered report: its bytes, a file name for the download, and its content type."""

    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class ReportKind:
    """A kind of report that ``render_report`` knows: ``render(unit, period, fmt)`` makes it in one of
    ``formats``."""

    name: str
    render: Callable[..., RenderedDocument]
    formats: tuple[str, ...] = FORMATS
    description: str = ""
    # What the document is called for a reader ("Báo cáo tình hình công tác đối ngoại địa phương"): a text, or a
    # function that reads it (a regime's name, as its record holds it). Its job's page is titled by it.
    title: str | Callable[[], str] = ""
    # Whether ``render`` also takes ``reader=``, the user the document is made for (None: an operator's command),
    # because what it shows depends on who reads it (a province's report: its draft only where it is written).
    takes_reader: bool = False

    def title_text(self) -> str:
        return str(self.title() if callable(self.title) else self.title)


_REPORT_KINDS: dict[str, ReportKind] = {}


def report_kind(
    name: str,
    *,
    formats: Sequence[str] = FORMATS,
    description: str = "",
    title: str | Callable[[], str] = "",
    takes_reader: bool = False,
) -> Callable:
    """Register ``render(unit, period, fmt) -> RenderedDocument`` as the report kind ``name``; put it in the
    app's ``report.py`` so that :func:`report_kinds` finds it. ``render`` raises ValidationError for a unit or
    period it cannot report on. ``title`` is what a reader calls the document (:attr:`ReportKind.title`);
    ``takes_reader``: ``render`` also takes ``reader=`` (:attr:`ReportKind.takes_reader`)."""

    def register(function: Callable) -> Callable:
        _REPORT_KINDS[name] = ReportKind(name, function, tuple(formats), description, title, takes_reader)
        return function

    return register


def report_kinds() -> dict[str, ReportKind]:
    """Every registered report kind by name, after importing each installed app's ``report`` module."""
    autodiscover_modules("report")
    return dict(sorted(_REPORT_KINDS.items()))


def render_report(kind: str, *, unit, period, fmt: str = "docx", reader=None) -> RenderedDocument:
    """Render the report ``kind`` for ``unit`` and ``period`` (a :class:`core.periods.Period`) as ``fmt``, for
    ``reader`` (the user who asked; None for an operator's command, who reads everything).

    Raises ValueError for an unknown kind or format, ValidationError for a unit or period the kind cannot
    report on, and :class:`DocumentConversionError` when a PDF cannot be made."""
    kinds = report_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown report kind {kind!r}; known: {', '.join(kinds) or '—'}")
    if fmt not in kinds[kind].formats:
        raise ValueError(f"report kind {kind!r} is made as {', '.join(kinds[kind].formats)}, not {fmt!r}")
    if kinds[kind].takes_reader:
        return kinds[kind].render(unit, period, fmt, reader=reader)
    return kinds[kind].render(unit, period, fmt)


def report_job_start(*, user, kind: str, unit, period, fmt: str, source=None):
    """Start a job that renders a report for ``user`` and keeps the file on the job (its page shows the
    progress and the download). The caller has checked that ``user`` may read ``unit``. ``source`` is the record
    the document is made from (a unit's report), which the job's page links back to."""
    params = {"kind": kind, "unit": unit.key, "period": period.label, "format": fmt}
    if source is not None:
        params["source"] = {"model": source._meta.label_lower, "pk": source.pk}
    return job_start(kind="render_report", user=user, params=params)


# What a job's page calls the file it makes, by its format.
FILE_KINDS = {"docx": gettext_lazy("Word file"), "xlsx": gettext_lazy("Excel file"), "pdf": gettext_lazy("PDF file")}


def report_job_title(job) -> str:
    """A report job's title from its parameters: "Tệp Word: Báo cáo tình hình công tác đối ngoại địa phương — Đà
    Nẵng — 6 tháng đầu năm 2017". The document's name is its kind's title (a kind without one: its job's kind)."""
    from core.models import Unit
    from core.periods import Period

    params = job.params
    kind = report_kinds().get(params["kind"])
    document = (kind.title_text() if kind is not None else "") or str(gettext_lazy("Report"))
    unit = Unit.objects.get(key=params["unit"])
    made = " — ".join((document, unit.name, Period.parse(params["period"]).words))
    file_kind = FILE_KINDS.get(params.get("format", ""))
    return _("%(file)s: %(document)s") % {"file": file_kind, "document": made} if file_kind else made


def report_job_source(job):
    """The record a report job was made from (its parameters name it since jobs kept it), if it is still there."""
    from django.apps import apps

    source = job.params.get("source")
    if not source:
        return None
    manager = apps.get_model(source["model"])._default_manager
    if job.created_by is None or not hasattr(manager, "restrict"):
        return None
    # As its maker may read it now (a report moved out of their scope is not linked).
    return manager.restrict(job.created_by, "view").filter(pk=source["pk"]).first()


@job_kind("render_report", gettext_lazy("Report"), title=report_job_title, source=report_job_source)
def render_report_job(job, progress) -> dict:
    """Render a report as a job: the unit is checked against the scope of the user who asked again (a job may
    run later than the request), the file is attached to the job and the export is written to the audit log."""
    from django.core.exceptions import PermissionDenied

    from core.audit import audit
    from core.choices import AuditAction
    from core.models import Unit
    from core.periods import Period
    from core.scope import scope_for

    params = job.params
    progress.start(2, _("Collecting the data"))
    unit = Unit.objects.get(key=params["unit"])
    if not scope_for(job.created_by, "view").covers(unit):
        raise PermissionDenied(_("This unit is outside your scope."))
    period = Period.parse(params["period"])
    rendered = render_report(params["kind"], unit=unit, period=period, fmt=params["format"], reader=job.created_by)
    progress.step(1, _("Writing the document"))
    progress.attach(rendered.filename, rendered.content)
    detail = {"report": params["kind"], "period": period.label, "format": params["format"]}
    audit(AuditAction.EXPORT, user=job.created_by, unit=unit, detail={**detail, "bytes": len(rendered.content)})
    return {**params, "filename": rendered.filename, "size": len(rendered.content)}
