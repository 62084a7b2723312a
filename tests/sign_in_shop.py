"""The sign-in tests' shop: the fixture shop with a PIN for each person."""

from __future__ import annotations

import pytest

from fixture_shop import build_fixture_shop
from tui.db.models import Staff
from tui.db.staff import hash_pin


@pytest.fixture
def shop(db, settings):
    ids = build_fixture_shop(settings)
    for key, pin in (("boss", "8888"), ("zhang", "1234"), ("liu", "2468")):
        Staff.update(pin_hash=hash_pin(pin)).where(Staff.id == ids[key]).execute()
    return ids
