"""Jobs: long work with a progress bar. A ``Job`` row is the truth; Celery runs it after commit.

A job kind is a function registered with :func:`job_kind`; it receives the job and a
:class:`Progress` to report through, and returns a JSON-able result (and may attach a file).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import JobStatus
from core.models import Job
from core.policy import UnscopedQuery, watching

logger = logging.getLogger(__name__)
_KINDS: dict[str, Callable] = {}
_LABELS: dict[str, str] = {}
_TITLES: dict[str, Callable[[Job], str]] = {}
_SOURCES: dict[str, Callable[[Job], object]] = {}
# What a stored job's parameters may lack or no longer find (a job stored before its kind kept them, a unit since
# renamed away): its title falls back to its kind and number rather than failing its page.
_STALE_PARAMS = (LookupError, ValueError, TypeError, ObjectDoesNotExist, ValidationError)


def job_kind(
    name: str,
    label: str = "",
    *,
    title: Callable[[Job], str] | None = None,
    source: Callable[[Job], object] | None = None,
) -> Callable[[Callable], Callable]:
    """Register ``function(job, progress)`` as the runner of jobs of kind ``name``; ``label`` (a lazy
    translation) is what people see the job called. ``title(job)`` says what the job makes, from its parameters
    (its page is titled by it); ``source(job)`` is the record it was made from (its page links back to it), if any."""

    def register(function: Callable) -> Callable:
        _KINDS[name] = function
        _LABELS[name] = label or name
        if title is not None:
            _TITLES[name] = title
        if source is not None:
            _SOURCES[name] = source
        return function

    return register


def job_label(kind: str) -> str:
    """What a job of ``kind`` is called on its page and on the home page."""
    return str(_LABELS.get(kind, kind))


def job_title(job: Job) -> str:
    """What ``job`` makes, in words ("Tệp Word: Báo cáo … — Đà Nẵng — 6 tháng đầu năm 2017"); a kind that does not
    say, or a job whose parameters no longer tell, is called by its kind and number ("Nhập dữ liệu số 12")."""
    describe = _TITLES.get(job.kind)
    if describe is not None:
        try:
            found = describe(job)
        except _STALE_PARAMS:
            logger.info("job %s: its title falls back to its kind", job.pk)
            found = ""
        if found:
            return str(found)
    return _("%(kind)s no. %(number)s") % {"kind": job_label(job.kind), "number": job.pk}


def job_source(job: Job):
    """The record ``job`` was made from (a report whose document it renders), or None."""
    find = _SOURCES.get(job.kind)
    if find is None:
        return None
    try:
        return find(job)
    except _STALE_PARAMS:
        return None


class Progress:
    """Reports progress by updating the job row (at most every ``every`` steps)."""

    def __init__(self, job: Job, every: int = 50):
        self.job = job
        self.every = max(1, every)

    def start(self, total: int, message: str = "") -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total, progress=0, message=message[:500])

    def step(self, done: int, message: str = "") -> None:
        """Record ``done`` steps (every ``every`` steps, and the last); a new ``message`` is written at once, so the
        page never shows a stage already past ("Writing the document" after "Collecting the data")."""
        fields = {}
        if done % self.every == 0 or done == self.job.total:
            fields["progress"] = done
        if message:
            fields["message"] = message[:500]
        if fields:
            Job.objects.filter(pk=self.job.pk).update(**fields)

    def attach(self, name: str, content: bytes) -> None:
        self.job.result_name = name
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name, result_name=name)


def job_start(*, kind: str, user, params: dict | None = None) -> Job:
    """Create a job and run it once the current transaction commits."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job.objects.create(kind=kind, created_by=user, params=params or {})
    from core.tasks import run_job

    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def job_run(job_id: int) -> None:
    """Run a job once: a job that already started (a redelivered task) is not run again."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    try:
        with watching():
            result = _KINDS[job.kind](job, Progress(job))
    except UnscopedQuery:
        raise  # a query that skipped its policy is the code's fault, not the job's: fail loudly (tests)
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded on its row, not raised
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
            message=_("The work failed."),
            result={"traceback": traceback.format_exc()[-4000:]},
        )
        return
    job.refresh_from_db()
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        progress=job.total or job.progress,
        # The stage the work was at is over: the page says it is done, not "Writing the document".
        message="",
        result=result or {},
    )
