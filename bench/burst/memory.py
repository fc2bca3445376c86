"""The resident memory of gunicorn's web workers through the burst, read from /proc."""

import contextlib
import threading
from pathlib import Path

SAMPLE_EVERY_S = 0.2


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class WebWorkerMemory:
    """The resident memory of gunicorn's workers: each one's idle baseline, then its peak, sampled
    in a thread every SAMPLE_EVERY_S and read from the kernel's high-water mark (VmHWM) too."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.baseline_kb: dict[int, int] = {}
        self.peak_kb: dict[int, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def take_baseline(self) -> None:
        for pid in self.workers():
            self.baseline_kb[pid] = status_kb(pid, "VmRSS")
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # the high-water mark starts again from here

    def sample(self) -> None:
        for pid in self.workers():
            with contextlib.suppress(OSError, KeyError):  # a worker that just ended
                peak = max(status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM"))
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), peak)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def figures(self) -> dict:
        # gunicorn replaces a worker that died or timed out under a new pid.
        restarted = len(set(self.baseline_kb) - set(self.workers()))
        workers = [
            {
                "baseline_mb": round(self.baseline_kb[pid] / 1024, 1),
                "peak_mb": round(self.peak_kb.get(pid, 0) / 1024, 1),
                "growth_mb": round((self.peak_kb.get(pid, 0) - self.baseline_kb[pid]) / 1024, 1),
            }
            for pid in sorted(self.baseline_kb)
        ]
        return {
            "workers": workers,
            "max_growth_mb": max(worker["growth_mb"] for worker in workers),
            "samples": self.samples,
            "restarts": restarted,
        }
