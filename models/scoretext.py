"""How a risk score is shown so a queue can be ordered by eye.

Calibrated scores crowd near 1 at the top of a queue (0.9991, 0.9996…): two decimals show
"1.00" for all of them. `score_decimals` keeps three decimals, and near 1 as many more as it
takes to show two significant digits of the distance to 1 (up to the six decimals a score is
stored with): 0.950 → "0.950", 0.99961 → "0.99961".
"""

from __future__ import annotations

import math

MIN_DECIMALS = 3
# Scores are stored with six decimals: a queue of thousands of flagged ads must still order its
# top (at four, every ad past a logit of ~10 showed 1.0000).
SCORE_DECIMALS = 6


def score_decimals(value: float) -> int:
    """Decimals to show `value` (a score in 0–1) with."""
    gap = 1.0 - value
    if not 0.0 < gap < 1.0:
        return MIN_DECIMALS if gap >= 1.0 or value < 0 else SCORE_DECIMALS
    return max(MIN_DECIMALS, min(SCORE_DECIMALS, math.ceil(-math.log10(gap)) + 1))


def score_text(value: float) -> str:
    """`value` as shown in the queue and `vigie ads` (a dot as decimal mark)."""
    return f"{value:.{score_decimals(value)}f}"
