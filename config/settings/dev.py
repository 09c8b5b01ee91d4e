"""The embedded default that `make run` serves: SQLite under var/, DEBUG only if asked."""

from .base import *  # noqa: F403
