"""Fixtures every app's tests share."""

from __future__ import annotations

import pytest
from django.test import Client

from core.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World):
    """A logged-in test client for one role of the world ("anonymous" for none)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make
