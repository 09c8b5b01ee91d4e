"""Analytics keeps no records of its own: its test samples are the parks (spaces) and the
statistics (enterprises) the shared world holds already."""

from __future__ import annotations

from core.testing.world import World

__all__ = ["build"]


def build(world: World) -> None:
    """Nothing to add: the dashboard reads the parks, leases and filings of the world."""
