"""Celery application. Tasks run eagerly unless CELERY_TASK_ALWAYS_EAGER is turned off (see README)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("doingoai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
