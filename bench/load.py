"""A load test with Locust: every demo role and the synthetic portfolio's staff, signed in
through the login form, opening the pages their navigation offers and calling the API lists of
their role, against a production-style server (gunicorn) on PostgreSQL, on 127.0.0.1 only.

    make load                       # LOAD_USERS=20 LOAD_SECONDS=60 LOAD_SCALE=0.01
    python bench/load.py --users 20 --seconds 60 --scale 0.01

Creates (or empties) the database ``parkops_load`` on the PostgreSQL at 127.0.0.1:5432 (or the
one LOAD_DATABASE_URL names), migrates it, loads the demo and ``gen_portfolio --scale S``, starts
gunicorn with two workers on 127.0.0.1:8077 (production settings less TLS:
bench/load_settings.py), runs Locust headless for a bounded time with a
bounded number of users, stops the server and prints per request kind: requests, req/s, p50,
p99 and errors. Exits 1 when any request failed (0 errors allowed).

This file is also the locustfile (Locust imports it for the user classes below).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8077
DEMO_PASSWORD = "parkops-demo"
SCALE_PASSWORD = "Synthetic-Portfolio-1"

# the API lists each role calls besides its pages (what its screens and integrations read)
API_LISTS = {
    "operator": ["spaces/units", "enterprises/companies", "leasing/leases", "leasing/invoices"],
    "scale-operator": [
        "spaces/units",
        "enterprises/companies",
        "leasing/leases",
        "leasing/invoices",
    ],
    "gov": ["admissions/applications", "spaces/parks"],
    "fund": ["fund/deals", "fund/investments"],
    "tenant": ["leasing/leases", "leasing/invoices", "programs/requests"],
    "admin": ["spaces/parks"],
    "auditor": ["security/audit-entries"],
}
NAV = re.compile(
    r'<a[^>]*class="[^"]*nav-item[^"]*"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*class="[^"]*nav-item'
)

try:
    from locust import HttpUser, between, task
except ImportError:  # the driver below runs without Locust imported
    HttpUser = object  # type: ignore[assignment,misc]

    def between(_a: float, _b: float) -> Any:  # type: ignore[misc]
        return None

    def task(fn: Any) -> Any:  # type: ignore[misc]
        return fn


class _Role(HttpUser):  # type: ignore[misc,valid-type]
    abstract = True
    wait_time = between(0.5, 2)
    username = ""
    password = DEMO_PASSWORD

    def on_start(self) -> None:
        self.client.get("/login/", name="sign-in page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/login/",
            {"username": self.username, "password": self.password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"http://{HOST}:{PORT}/login/"},
            name="sign in",
        )
        home = self.client.get("/", name="home")
        links = {a or b for a, b in NAV.findall(home.text)}
        self.pages = sorted(h for h in links if h.startswith("/") and not h.startswith("/api/"))
        self.lists = [f"/api/v1/{p}?limit=50" for p in API_LISTS.get(self.username, [])]
        if not self.pages:
            raise RuntimeError(f"{self.username}: signed in but found no navigation")

    @task(3)
    def page(self) -> None:
        path = random.choice(self.pages)
        self.client.get(path, name=f"page {path}")

    @task(2)
    def api_list(self) -> None:
        if self.lists:
            path = random.choice(self.lists)
            self.client.get(path, name=f"api {path.split('?')[0]}")


def _role(name: str, weight: int, password: str = DEMO_PASSWORD) -> type:
    return type(name, (_Role,), {"username": name, "password": password, "weight": weight})


if HttpUser is not object:
    Operator = _role("operator", 4)
    ScaleOperator = _role("scale-operator", 4, SCALE_PASSWORD)
    Gov = _role("gov", 2)
    Fund = _role("fund", 1)
    Tenant = _role("tenant", 3)
    Admin = _role("admin", 1)
    Auditor = _role("auditor", 1)


# --- the driver -------------------------------------------------------------------------------


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _prepare(url: str, scale: float) -> dict[str, str]:
    import psycopg

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    var = tempfile.mkdtemp(prefix="parkops-load-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PARKOPS_VAR_DIR": var,
        "SECRET_KEY": "load-test-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(ROOT),
    }
    dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    _manage(dev, "migrate", "--no-input", "-v0")
    _manage(dev, "load_demo")
    _manage(dev, "gen_portfolio", "--scale", str(scale))
    return env


def _table(stats_csv: Path) -> int:
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\n{'request':48}{'count':>8}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}")
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        print(
            f"{name[:47]:48}{row['Request Count']:>8}{float(row['Requests/s']):8.1f}"
            f"{row['50%']:>8}{row['99%']:>8}{row['Failure Count']:>8}"
        )
        if row["Name"] == "Aggregated":
            errors = int(row["Failure Count"])
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 20)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 60)))
    parser.add_argument("--scale", type=float, default=float(os.environ.get("LOAD_SCALE", 0.01)))
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or not 5 <= args.seconds <= 600:
        parser.error("--users: 1 to 200; --seconds: 5 to 600 (a bounded test)")
    url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parkops_load")
    env = _prepare(url, args.scale)
    prod = {**env, "DJANGO_SETTINGS_MODULE": "bench.load_settings"}
    _manage(prod, "collectstatic", "--no-input", "-v0")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=prod,
    )
    try:
        time.sleep(3)
        out = Path(tempfile.mkdtemp(prefix="parkops-locust-")) / "load"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                __file__,
                "--headless",
                "--host",
                f"http://{HOST}:{PORT}",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(out),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.users} users for {args.seconds} s, scale {args.scale:g}, gunicorn 2 workers, "
        f"PostgreSQL, {os.cpu_count()} cores"
    )
    errors = _table(Path(f"{out}_stats.csv"))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
