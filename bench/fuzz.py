"""Mutation fuzzing of the parsers: no unhandled exception, no hang.

The harness is tests/reliability/fuzz.py, shared with the tests that run it briefly; this
runs it at full length:

    .venv/bin/python bench/fuzz.py --inputs 20000 --limit 2
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from fuzz import main

if __name__ == "__main__":
    sys.exit(main())
