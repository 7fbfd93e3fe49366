"""Celery application.

In the embedded demo (no broker configured) tasks run eagerly in-process, so `make run` needs no
Redis; in production CELERY_BROKER_URL points at Redis or RabbitMQ and workers scale out.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")

app = Celery("murojaat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
