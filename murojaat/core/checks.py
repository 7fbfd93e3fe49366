"""Deployment checks of Murojaat's own (`manage.py check --deploy`).

Rate limits (the public form, tracking-code guesses, the API's clients) and the working
calendar's version live in the default cache. A local-memory cache is one per process: with two
workers the public form's 10 an hour let 17 through, and a day off saved in one worker was
ignored by another, which gave a new appeal the wrong deadline. Production must not run that
way silently, so a deployment without a shared cache fails the deployment check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Cache backends whose contents one process cannot see in another.
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


@register(Tags.caches, deploy=True)
def shared_cache_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    name = backend.rsplit(".", 1)[-1]
    return [
        Error(
            f"The default cache is per process ({name}): rate limits and the working "
            "calendar's version would not be shared between workers.",
            hint=(
                "Set REDIS_URL (e.g. redis://127.0.0.1:6379/1) so that every web and worker "
                "process shares one cache; see README, Deployment at scale."
            ),
            id="murojaat.E001",
        )
    ]
