"""Screenshots of pages as a user sees them: `python tools/screenshot.py USER PATH... [--en]`.

Logs in through the login form on a running server (default http://127.0.0.1:8000) and saves
desktop (1366 px) and phone (390 px) PNGs under var/screenshots/.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.testing.browser import ARGS, CHROMIUM  # the tests' Chromium, started the same way


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("user")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--en", action="store_true")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="parkops-demo")
    args = parser.parse_args()
    out = Path("var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    lang = "en" if args.en else "zh-hans"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width, height, label in ((1366, 900, "desktop"), (390, 844, "phone")):
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
            page.goto(f"{args.base}/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            for path in args.paths:
                page.goto(args.base + path)
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                target = out / f"{args.user}-{name}-{lang}-{label}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
