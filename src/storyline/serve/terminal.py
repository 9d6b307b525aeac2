"""Terminal output that article text cannot take over.

Article text is data: an escape sequence in it (`ESC ] 0 ; title BEL` sets the window
title, `ESC [ 2 J` clears the screen, others rewrite what is shown) must never reach the
terminal. `SafeConsole` is a rich Console whose text segments lose every C0 and C1
control character but newline and tab, while the styles rich adds itself still render.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
