"""Moved to `tracker.tui.widgets.table`; kept so that bench/pilot.py, which imports FastTable
from here, runs until it imports it from there (then remove this module)."""

from tracker.tui.widgets.table import FastTable

__all__ = ["FastTable"]
