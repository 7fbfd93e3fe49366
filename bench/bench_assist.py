"""The working group's assistants, measured on the held-out part of the hand-written sample.

Prints top-1/top-3 routing accuracy, urgent-flag precision/recall and duplicate-pair
precision/recall against the simple baselines (most frequent receiver, topic/region rule, any
alarming word, same author). No database is needed:

    .venv/bin/python bench/bench_assist.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")


def main() -> None:
    import django

    django.setup()
    from murojaat.assist import bench

    print(bench.report(bench.run()))


if __name__ == "__main__":
    main()
