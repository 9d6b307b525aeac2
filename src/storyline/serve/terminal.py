"""Terminal output that article text cannot take over.

Article text is data: an escape sequence in it (`ESC ] 0 ; title BEL` sets the window
title, `ESC [ 2 J` clears the screen, others rewrite what is shown) must never reach the
terminal. `SafeConsole` is a rich Console whose text segments lose every C0 and C1
control character but newline and tab, while the styles rich adds itself still render.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

# C0 controls but \t and \n, DEL, and C1 controls (\x9b is a one-byte CSI in some terminals)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without control characters (newlines and tabs kept)."""
    return _CONTROLS.sub("", text)


class SafeConsole(Console):
    """A rich Console that strips control characters from everything it prints."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(strip_controls(seg.text), seg.style, seg.control)
            for seg in buffer)


def _seconds(value: float) -> str:
    """A duration as people read it: "42 s", "3 min 5 s", "1 h 2 min"."""
    s = round(value)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


class LineProgress:
    """Progress where no bar can be drawn (a log, a pipe, CI): plain lines, one per phase
    every `interval` seconds and when it ends, each with the count, the rate and the
    time left ("extract: 40/120 (33%), 2.1/s, about 38 s left"). Call it as the pipeline's
    progress callback (`stage, done, total`); `close()` ends the phases still open."""

    def __init__(self, write: Callable[[str], object], interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.write = write
        self.interval = interval
        self.clock = clock
        self.phases: dict[str, dict[str, Any]] = {}
        self.current: str | None = None
        self.since = clock()  # a phase starts when the one before it last moved

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = self.clock()
        if stage != self.current and self.current in self.phases:
            self._end(self.current)  # a new phase begins: the last one is over
        self.current = stage
        phase = self.phases.get(stage)
        if phase is None or phase["ended"]:
            phase = self.phases[stage] = {"start": self.since, "last": self.since, "done": 0,
                                          "total": total, "at": now, "ended": False}
        phase.update(done=done, total=total, at=now)
        self.since = now
        if total is not None and done >= total:
            self._end(stage)
        elif now - phase["last"] >= self.interval:
            phase["last"] = now
            self.write(self._line(stage, phase))

    def _line(self, stage: str, phase: dict[str, Any], end: bool = False) -> str:
        done, total = phase["done"], phase["total"]
        took = max(phase["at"] - phase["start"], 1e-9)
        rate = done / took
        count = f"{done}/{total} ({100 * done // max(total, 1)}%)" if total else f"{done}"
        if end:
            return f"{stage}: {count} done in {_seconds(took)}, {rate:.1f}/s"
        left = f", about {_seconds((total - done) / rate)} left" if total and rate > 0 else ""
        return f"{stage}: {count}, {rate:.1f}/s{left}"

    def _end(self, stage: str) -> None:
        phase = self.phases[stage]
        if not phase["ended"]:
            phase["ended"] = True
            self.write(self._line(stage, phase, end=True))

    def close(self) -> None:
        """End every phase still open (each gets its closing line)."""
        for stage in list(self.phases):
            self._end(stage)
        self.current = None
