"""The import graph (CONVENTIONS.md → Layers): imports point down only, core imports no
domain app, and no two modules import each other — read from the source, every import
counted (inside functions and ``if TYPE_CHECKING:`` too), tests and migrations aside."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Lower first; an app may import only apps of a lower layer than its own (and itself).
LAYERS = [
    {"core"},
    {"security", "spaces", "enterprises"},
    {"leasing"},
    {"admissions", "fund", "programs", "utilities"},
    {"analytics"},
]


def _layer(app: str) -> int:
    return next(i for i, apps in enumerate(LAYERS) if app in apps)


def _modules() -> dict[str, Path]:
    found = {}
    for app in settings.PARKOPS_APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules one file imports (the longest known module of each import)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    found = set()
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def test_imports_point_down_only():
    wrong = []
    for module, imported in _graph().items():
        app = module.split(".")[0]
        for target in imported:
            other = target.split(".")[0]
            if other != app and _layer(other) >= _layer(app):
                wrong.append(f"{module} → {target}")
    assert wrong == []


def test_core_imports_no_app():
    graph = _graph()
    assert not [
        (m, t) for m, ts in graph.items() if m.startswith("core") for t in ts if t[:4] != "core"
    ]


def test_no_two_modules_import_each_other():
    graph = _graph()
    circles = sorted(
        {tuple(sorted((a, b))) for a, ts in graph.items() for b in ts if a in graph.get(b, ())}
    )
    assert circles == []
