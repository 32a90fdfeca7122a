"""Kill `reader update` with SIGKILL at random moments and prove nothing is lost or half-written.

The harness is tests/reliability/kills.py, shared with the tests that run it briefly; this
runs it at full length:

    .venv/bin/python bench/kill_test.py --kills 30 --articles 1500
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from kills import main

if __name__ == "__main__":
    sys.exit(main())
