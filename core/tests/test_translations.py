"""Every user-facing string has a Chinese translation, and the compiled catalogue is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


def test_compiled_catalogue_matches_source():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo}
    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po}
    assert source <= compiled, "run `make messages` to recompile django.mo"


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="xgettext (Debian package gettext) is not installed; .ci/run installs it",
)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    base = Path(settings.BASE_DIR)
    for app in [*settings.PARKOPS_APPS, "config", "templates"]:
        if (base / app).exists():
            shutil.copytree(
                base / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "tests")
            )
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    shutil.copytree(base / "locale", tmp_path / "locale")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--settings=config.settings.test",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PARKOPS_VAR_DIR": str(tmp_path / "var")},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.translated()]
    assert not missing, f"untranslated strings (run `make messages` and translate): {missing}"
