"""Run every benchmark in bench/ and print their figures (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
for script in sorted(here.glob("bench_*.py")):
    print(f"=== {script.name}")
    subprocess.run([sys.executable, str(script)], check=False)
