"""GUI-thread reads and writes while an update stores articles: wait times and errors.

The harness is tests/reliability/contention.py, shared with the tests that run it briefly; this
runs it at full length:

    .venv/bin/python bench/concurrency.py --articles 600
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from contention import main

if __name__ == "__main__":
    sys.exit(main())
