"""Celery tasks of core."""

from celery import shared_task

from core.jobs import job_run


@shared_task(name="core.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    job_run(job_id)
