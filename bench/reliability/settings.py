"""What every part of the bench shares: where things are, the day it runs as, how hard it
pushes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.databases import ROOT as ROOT  # where things are, as the tests have it
from tests.support.databases import SAMPLES as SAMPLES
from tests.support.databases import SERVER_ENV as SERVER_ENV
from tests.support.databases import TODAY as TODAY


@dataclass(frozen=True)
class Settings:
    """How hard each experiment pushes."""

    processes: int = 8
    updates: int = 250
    """Save attempts per editor process."""
    kills: int = 100
    plan_actions: int = 2000
    """Actions in the plan that is loaded and killed."""
    seed: int = 2026


FULL = Settings()
"""The full figures (docs/reliability.md): 2,000 saves, 100 kills of a 2,000-action load."""
QUICK = Settings(processes=4, updates=250, kills=50, plan_actions=600)
"""The CI and test setting: the issue's numbers (1,000 saves, 50 kills) on a smaller load."""


def nonzero(figures: Any, *names: str) -> list[str]:
    """`name: value` for each figure named that is not zero."""
    return [f"{n.replace('_', ' ')}: {getattr(figures, n)}" for n in names if getattr(figures, n)]
