"""Vendored JavaScript (``make vendor-echarts``) is what its checksums say, with its licence:
nothing is fetched at run time, and a hand-edited copy is caught."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

VENDOR = Path(settings.BASE_DIR) / "core" / "static" / "core" / "vendor"


def test_every_vendored_file_matches_its_checksum_and_carries_its_licence():
    sums = sorted(VENDOR.glob("*/SHA256SUMS"))
    assert sums, "no vendored library found"
    for listing in sums:
        names = []
        for line in listing.read_text().splitlines():
            digest, name = line.split(maxsplit=1)
            names.append(name)
            actual = hashlib.sha256((listing.parent / name).read_bytes()).hexdigest()
            assert actual == digest, f"{listing.parent.name}/{name} differs from its checksum"
        assert "LICENSE" in names, listing.parent.name
        assert (listing.parent / "VERSION").read_text().strip()
