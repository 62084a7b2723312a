"""What another session wrote: the file's change counter, and the member's contact of the
last hour that the contact form says (tui.db.connection.data_version,
tui.db.callbacks.contacts.recent_contact, tui.reports.queue.recent_contact_words)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from fixture_shop import NOW
from settings_files import variant
from tui.db.callbacks.contacts import ContactEntry, RecentContact, log_contact, recent_contact
from tui.db.connection import data_version
from tui.reports.queue import recent_contact_words
from tui.settings import SettingsError, load_settings


def test_the_counter_moves_when_another_connection_commits_and_not_on_its_own(db, settings):
    first = data_version()
    assert data_version() == first                     # nothing written: it stays
    other = sqlite3.connect(settings.database.path)
    try:
        other.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        assert data_version() == first                 # not committed yet: nothing to see
        other.commit()
    finally:
        other.close()
    second = data_version()
    assert second != first
    db.execute_sql("INSERT INTO meta (key, value) VALUES ('own', '1')")
    assert data_version() == second                    # this connection's own write


def contact(shop, settings, who: str, member: str, at: datetime, outcome: str = "reached",
            channel: str = "phone"):
    entry = ContactEntry(member_id=shop[member], staff_id=shop[who], channel=channel,
                         outcome=outcome)
    return log_contact(entry, settings.callbacks, settings.shop.zone, at)


def test_the_latest_contact_of_the_last_hour_says_who_and_when(shop, settings):
    zone = settings.shop.zone
    contact(shop, settings, "liu", "wangfang", NOW - timedelta(minutes=70))
    assert recent_contact(shop["wangfang"], NOW, zone) is None   # 70 minutes: not recent
    contact(shop, settings, "zhang", "wangfang", NOW - timedelta(minutes=40), "no_answer")
    contact(shop, settings, "liu", "wangfang", NOW - timedelta(minutes=25), "will_come", "wechat")
    recent = recent_contact(shop["wangfang"], NOW, zone)
    # 03:05 UTC is 11:05 in Shanghai; the latest of the two in the hour
    assert recent == RecentContact(shop["liu"], "刘芳", datetime(2026, 11, 23, 11, 5), 25,
                                   "wechat", "will_come")
    assert recent_contact(shop["lina"], NOW, zone) is None       # someone else's contacts


def test_an_hour_ago_exactly_is_no_longer_recent_and_a_minute_is(shop, settings):
    zone = settings.shop.zone
    contact(shop, settings, "zhang", "lina", NOW - timedelta(hours=1))
    assert recent_contact(shop["lina"], NOW, zone) is None
    contact(shop, settings, "zhang", "lina", NOW - timedelta(seconds=59))
    assert recent_contact(shop["lina"], NOW, zone).minutes_ago == 0


def test_the_words_name_the_guide_or_you():
    recent = RecentContact(7, "张丽", datetime(2026, 11, 23, 11, 5), 25, "phone", "no_answer")
    assert recent_contact_words(recent, 3) == (
        "Already contacted 25 min ago (11:05) by 张丽: phone, no answer.")
    assert recent_contact_words(recent, 7) == (
        "Already contacted 25 min ago (11:05) by you: phone, no answer.")
    just = replace(recent, minutes_ago=0, channel="in_store", outcome="will_come")
    assert recent_contact_words(just, 3) == (
        "Already contacted just now (11:05) by 张丽: in store, will come in.")


def test_how_often_screens_look_is_a_setting_five_seconds_when_left_out(tmp_path):
    assert load_settings(variant(tmp_path, "refresh_seconds = 5", "refresh_seconds = 12")
                         ).database.refresh_seconds == 12
    assert load_settings(variant(tmp_path, "refresh_seconds = 5", "refresh_seconds = 0")
                         ).database.refresh_seconds == 0      # never
    older = variant(tmp_path, "refresh_seconds = 5\n", "")     # a settings file from before
    assert load_settings(older).database.refresh_seconds == 5
    with pytest.raises(SettingsError, match=r"database\.refresh_seconds: expected a whole "
                                            r"number from 0 to 3600"):
        load_settings(variant(tmp_path, "refresh_seconds = 5", "refresh_seconds = -1"))
