"""The seventh real-news key (tests/keys/realnews7.gold.json): valid, and (once floors are set) scored.

21 articles (10 KCNA of 24 December 2023 - 10 November 2024, 7 Reuters-21578 of 25 March - 3
April 1987, 4 BBC News of 2004-05) that the system had never been run on when the key was
annotated, by hand and before any run (tests/keys/README.md, "realnews7"). It is a held-out key:
an independent check that rules written on the other keys generalise; tune nothing on it. The
texts stay in ../shared; tests/keys/materialize.py --key realnews7 writes them. Without ../shared
only the key's own consistency is checked.
"""

from __future__ import annotations

import pytest
from realnews_support import FreshKeySuite

EARLIER = ("realnews", "realnews2", "realnews3", "realnews4", "realnews5", "realnews6")

# Not yet measured: the system has not been run on these articles. The lead sets the floors
# after the first run (that run's figures minus about 0.03, rounded down, as for realnews6);
# until then the floor tests are parametrised over nothing and skip, so no extraction runs.
FLOORS: dict[tuple[str, str], float] = {}


class TestRealnews7(FreshKeySuite):
    NAME = "realnews7"
    DOCUMENTS = 21
    FLOORS = FLOORS
    EARLIER = EARLIER
    LINK_KINDS = frozenset({"same_event", "same_story", "same_quote", "contradiction"})

    def test_floors_set_from_the_first_run(self) -> None:
        # Until the first run; then delete this override (FreshKeySuite's test checks the floors).
        if not self.FLOORS:
            pytest.skip("floors are set by the lead after the first run")
        super().test_floors_set_from_the_first_run()
