"""Fill the disk under `reader update` and prove the user is told and nothing is lost.

The harness is tests/reliability/full_disk.py, shared with the tests that run it briefly; this
runs it at full length:

    sudo .venv/bin/python bench/full_disk.py --runs 5
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from full_disk import main

if __name__ == "__main__":
    sys.exit(main())
