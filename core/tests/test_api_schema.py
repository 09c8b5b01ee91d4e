"""Schemathesis against /api/v1/openapi.json: for generated requests to every operation, no
5xx, and every response (422 included) matches the documented schema."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.testing.marks import ONCE
from core.testing.world import build_world
from core.tokens import token_create

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


# What the API promises: never a server error, and every answer documented, status and body.
# (The positive/negative data checks are left out: a cursor is an opaque token, so a
# schema-valid string we never issued is rightly refused, and a repeated query parameter takes
# its last value as Django does.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Django closes the database connection at the end of each request; the test client
    stops that for a test's transaction, schemathesis's WSGI calls need the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module's ~1,300 tests, built once (0.3–0.7 s a build) inside an
    outer transaction: each test runs in its own savepoint and leaves the world as it found
    it, and the module's end rolls the world back, leaving the database as it was."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield build_world()
                raise _Rollback
        except _Rollback:
            pass


def _headers(world, role):
    _token, key = token_create(actor=world.users[role], name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


_SETTINGS = settings(
    deadline=None,
    # the same examples on every run of the same API, so that a submission's CI answers for
    # its own change; PARKOPS_FUZZ_RANDOM=1 draws new ones to look further
    derandomize=not os.environ.get("PARKOPS_FUZZ_RANDOM"),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.django_db
@schema.parametrize()
@settings(_SETTINGS, max_examples=30)
def test_api_conforms_to_its_schema(case, world):
    """As the platform admin, who may call every operation: reads and writes."""
    case.call_and_validate(headers=_headers(world, "admin"), checks=CHECKS)


# Who may call what does not depend on the database (the authorization matrix checks every
# operation for every role on both); PostgreSQL's own refusals of input (a NUL in text, …) are
# reached by the admin's 30 examples of every operation above, on both databases.
@ONCE
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "gov", "fund", "tenant"])
@schema.parametrize()
@settings(_SETTINGS, max_examples=8)
def test_api_conforms_to_its_schema_for_every_role(case, world, role):
    """As each other role, reads and writes alike: refusals are documented answers too, and
    nothing a role may send makes the server fail."""
    case.call_and_validate(headers=_headers(world, role), checks=CHECKS)
