"""Management commands keep stderr for problems: scripts pipe their output (issue 2, structured
logging; e.g. `manage.py allocate_seats ... | other-tool`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_management_command_writes_nothing_on_stderr() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "murojaat.settings"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stderr
    assert result.stderr == ""
