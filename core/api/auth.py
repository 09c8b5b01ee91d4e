"""API authentication (Bearer token or session) and the role gate every operation passes.

The gate runs before the request body is read, so a role that may not do an action on a model
gets the same 403 whatever it sends, and never learns more from validation errors.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from core.errors import Forbidden
from core.tokens import authenticate_bearer

__all__ = ["AUTH", "BearerAuth", "SessionCookieAuth", "gate"]


class _RoleGate:
    """Authenticated, and granted ``action`` on ``model`` by its policy, or 403 (the OpenAPI
    publishes that the operation exists; which rows exist is still never told)."""

    def __init__(self, model: type[models.Model] | None = None, action: str = "view") -> None:
        super().__init__()
        self.model, self.action = model, action

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)  # type: ignore[misc]
        if user and self.model is not None and not self.model.policy.allows_role(user, self.action):  # type: ignore[attr-defined]
            raise Forbidden
        return user


class BearerAuth(_RoleGate, HttpBearer):
    """``Authorization: Bearer <personal token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_bearer(token)
        if user is not None:
            request.user = user
        return user


class SessionCookieAuth(_RoleGate, SessionAuth):
    """The browser's login session (unsafe methods need the CSRF token)."""


AUTH = [BearerAuth(), SessionCookieAuth()]


def gate(model: type[models.Model], action: str) -> list[Any]:
    return [BearerAuth(model, action), SessionCookieAuth(model, action)]
