"""Signals from worker threads must not corrupt Python's reference counts.

PySide6 6.12.0 aborts the process ("bool_dealloc: deallocating True or False") after about a
thousand signals emitted from a QThreadPool worker, as every update's progress reports are;
pyproject.toml keeps it out. A subprocess, because the failure is an abort.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
app = QCoreApplication([])
class Relay(QObject):
    progressed = Signal(object)
relay = Relay()
seen = []
relay.progressed.connect(seen.append)
class Job(QRunnable):
    def run(self):
        for n in range(5000):
            relay.progressed.emit((n, False, None))
pool = QThreadPool()
pool.start(Job())
pool.waitForDone()
while len(seen) < 5000:
    app.processEvents()
print(len(seen))
"""


def test_five_thousand_signals_from_a_worker_arrive_without_a_crash() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "5000"
