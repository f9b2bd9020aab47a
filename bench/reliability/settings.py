"""What every part of the bench shares: where things are, the day it runs as, how hard it
pushes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
"""The repository (bench/reliability/ is two folders down)."""
SAMPLES = sorted((ROOT / "sample_plans").glob("*.toml"))
"""The sample plans every database starts with."""
TODAY = date(2010, 9, 15)
"""The day the bench and the tests run as (inside the sample Stockton plan's life)."""
SERVER_ENV = "TRACKER_TEST_DATABASE_URL"
"""The environment variable that names a PostgreSQL server to run on as well."""


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
