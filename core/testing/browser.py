"""The system Chromium for browser tests (Playwright): where it is, how it starts, and the
marks that skip a browser test where it is missing — except in CI, which must run them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ARGS", "CHROMIUM", "MARKS", "chromium", "pick", "sign_in"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists() and os.environ.get("PARKOPS_REQUIRE_BROWSER"):
    raise RuntimeError(
        "CI requires /usr/bin/chromium for the browser tests (apt-get install chromium)"
    )

MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no /usr/bin/chromium here (Debian package chromium); CI installs it",
    ),
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the live server
    # makes happen in its own threads, but fixtures here touch the database too.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            yield instance
            instance.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the real form and wait for the home page."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def pick(page: Any, field: str, text: str, pk: int) -> None:
    """Choose a record in a picker (core.pickers): type part of its name, click the match."""
    page.fill(f"input[name={field}__search]", text)
    page.locator(f".pick-option[data-value='{pk}']").click()
