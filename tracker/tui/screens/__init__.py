"""The tracker's screens."""
