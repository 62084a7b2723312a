"""The app says on screen, once, when others can read the database's files."""

from __future__ import annotations

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock


async def test_the_app_warns_when_others_can_read_the_database(shop, settings):
    settings.database.path.chmod(0o640)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
        assert said == [f"shop.db (-rw-r-----) can be read by other users of this computer; "
                        f"chmod 600 {settings.database.path}*"]
