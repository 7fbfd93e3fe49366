"""Issue 9: a worker imports the URLconf (and every app's views with it) when it starts, not
in the first request it serves (3 s of a user's time per worker under the mixed load)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["murojaat.wsgi", "murojaat.asgi"])
def test_the_application_module_imports_every_view_before_the_first_request(module: str) -> None:
    views = ("murojaat.assist.views", "murojaat.appeals.views_case")
    probe = f"import sys, {module}; print(*(v in sys.modules for v in {views!r}))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "murojaat.settings", "LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"], done.stderr
