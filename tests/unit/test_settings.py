"""settings.toml: the documented values, and one exact line for every kind of mistake.

Each mistake is a copy of the repository's settings.toml with one line changed, so
the rest of the file is known to be good and the message must name that line's key."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings_files import REPO, REPO_SETTINGS, variant  # noqa: F401 (its fixtures, used by name)
from tui.settings import DEFAULT_SETTINGS, SettingsError, load_settings, settings_path


def message(path: Path) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return str(caught.value)


# --- the documented values ------------------------------------------------------------------

def test_default_settings_file_is_the_repository_one():
    assert DEFAULT_SETTINGS == REPO_SETTINGS


def test_repository_settings_have_the_documented_values():
    s = load_settings(REPO_SETTINGS)
    assert s.source == REPO_SETTINGS
    assert s.shop.name == "贝贝母婴 Beibei Mother & Baby"
    assert s.shop.timezone == "Asia/Shanghai"
    assert str(s.shop.zone) == "Asia/Shanghai"
    assert s.database.path == REPO / "shopfloor.db"  # relative to the settings folder
    assert s.database.busy_timeout_ms == 5000
    assert (s.archive.hard_weight, s.archive.soft_weight) == (0.2, 0.8)
    assert s.archive.hard_fields == ("name", "gender", "birthday", "nationality", "phone",
                                     "email", "address", "total_spend", "products_bought")
    assert s.archive.soft_fields == ("occupation", "family", "personality", "shopping_habits",
                                     "style", "hobbies", "lifestyle", "accepts_promotions",
                                     "values")
    assert s.archive.complete_threshold == 0.8
    c = s.callbacks
    assert (c.follow_up_hours, c.running_out_lead_days, c.birthday_lead_days,
            c.dormant_purchase_days, c.dormant_contact_days, c.no_answer_retry_days,
            c.complaint_feedback_days, c.stale_after_days) == (24, 5, 3, 90, 30, 1, 2, 14)
    assert c.reason_order == ("complaint", "follow_up", "scheduled", "birthday", "running_out",
                              "campaign", "dormant")
    assert (c.priority("complaint"), c.priority("dormant")) == (1, 7)
    # yuan × 100 = cents: 2000 yuan = 200 000 fen, 8000 yuan = 800 000 fen
    assert [(t.name, t.min_spend_cents, t.benefit) for t in s.vip_tiers] == [
        ("普通会员", 0, "积分 1 倍"),
        ("银卡", 200_000, "积分 1.2 倍，生日礼"),
        ("金卡", 800_000, "积分 1.5 倍，生日礼，专属导购"),
    ]


# --- which file --------------------------------------------------------------------------------

def test_settings_path_explicit_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOPFLOOR_SETTINGS", raising=False)
    assert settings_path() == REPO_SETTINGS
    monkeypatch.setenv("SHOPFLOOR_SETTINGS", str(tmp_path / "env.toml"))
    assert settings_path() == tmp_path / "env.toml"
    assert settings_path(tmp_path / "explicit.toml") == tmp_path / "explicit.toml"


def test_relative_database_path_is_taken_from_the_settings_folder(tmp_path, monkeypatch):
    variant(tmp_path, 'path = "shopfloor.db"', 'path = "data/shop.db"', name="conf/settings.toml")
    variant(tmp_path, 'path = "shopfloor.db"', 'path = "../db/shop.db"', name="conf/up.toml")
    monkeypatch.chdir(tmp_path)  # the working folder is not the settings folder
    assert load_settings("conf/settings.toml").database.path == tmp_path / "conf" / "data" / "shop.db"
    assert load_settings("conf/up.toml").database.path == tmp_path / "db" / "shop.db"


def test_absolute_database_path_is_kept(tmp_path):
    target = tmp_path / "elsewhere" / "shop.db"
    path = variant(tmp_path, 'path = "shopfloor.db"', f'path = "{target}"')
    assert load_settings(path).database.path == target


# --- one line per mistake ----------------------------------------------------------------------

HARD = "name, gender, birthday, nationality, phone, email, address, total_spend, products_bought"
SOFT = ("occupation, family, personality, shopping_habits, style, hobbies, lifestyle, "
        "accepts_promotions, values")
REASONS = "complaint, follow_up, scheduled, birthday, running_out, campaign, dormant"


@pytest.mark.parametrize("old, new, expected", [
    pytest.param('[shop]\n', 'colour = "pink"\n\n[shop]\n',
                 "colour: unknown key", id="unknown top-level key"),
    pytest.param('busy_timeout_ms = 5000', 'busy_timeout_ms = 5000\nbusy_timeout_s = 5',
                 "database.busy_timeout_s: unknown key", id="unknown key in a table"),
    pytest.param('follow_up_hours = 24', 'follow_up_hours = "24"',
                 # 24 h × 14 days = 336
                 "callbacks.follow_up_hours: expected a whole number from 1 to 336",
                 id="string for an int"),
    pytest.param('busy_timeout_ms = 5000', 'busy_timeout_ms = true',
                 "database.busy_timeout_ms: expected a whole number from 0 to 600000",
                 id="bool for an int"),
    pytest.param('birthday_lead_days = 3', 'birthday_lead_days = 3.0',
                 "callbacks.birthday_lead_days: expected a whole number from 0 to 60",
                 id="float for an int"),
    pytest.param('stale_after_days = 14', 'stale_after_days = 0',
                 "callbacks.stale_after_days: expected a whole number from 1 to 365",
                 id="int below range"),
    pytest.param('running_out_lead_days = 5', 'running_out_lead_days = 61',
                 "callbacks.running_out_lead_days: expected a whole number from 0 to 60",
                 id="int above range"),
    pytest.param('complete_threshold = 0.8', 'complete_threshold = 1.5',
                 "archive.complete_threshold: expected a number from 0 to 1",
                 id="share above range"),
    pytest.param('complete_threshold = 0.8', 'complete_threshold = true',
                 "archive.complete_threshold: expected a number from 0 to 1",
                 id="bool for a share"),
    pytest.param('name = "贝贝母婴 Beibei Mother & Baby"', 'name = "  "',
                 "shop.name: expected a non-empty string", id="blank name"),
    pytest.param('timezone = "Asia/Shanghai"', 'timezone = "Asia/Beijing"',
                 'shop.timezone: expected an IANA time zone such as "Asia/Shanghai"',
                 id="bad time zone"),
    pytest.param('timezone = "Asia/Shanghai"', 'timezone = "/etc/localtime"',
                 'shop.timezone: expected an IANA time zone such as "Asia/Shanghai"',
                 id="time zone as a path"),
    pytest.param('hard_weight = 0.2', 'hard_weight = 0.3',
                 # 0.3 + 0.8 = 1.1
                 "archive.soft_weight: expected hard_weight + soft_weight to add up to 1",
                 id="weights not adding to 1"),
    pytest.param('"accepts_promotions", "values"]', '"accepts_promotions", "values", "car"]',
                 "archive.soft_fields: expected a list of distinct names from: " + SOFT,
                 id="unknown soft field"),
    pytest.param('hard_fields = ["name",', 'hard_fields = ["vehicle_type", "name",',
                 "archive.hard_fields: expected a list of distinct names from: " + HARD,
                 id="unknown hard field"),
    pytest.param('hard_fields = ["name",', 'hard_fields = ["phone", "name",',
                 "archive.hard_fields: expected a list of distinct names from: " + HARD,
                 id="field twice"),
    pytest.param('"campaign", "dormant"]', '"campaign"]',
                 "callbacks.reason_order: expected every reason exactly once: " + REASONS,
                 id="reason_order missing a reason"),
    pytest.param('min_spend_yuan = 8000', 'min_spend_yuan = 2000',
                 # gold 2000 is not above silver 2000
                 "vip_tiers[3].min_spend_yuan: expected a threshold above the tier before it "
                 "(lowest tier first)",
                 id="VIP thresholds not ascending"),
    pytest.param('min_spend_yuan = 0', 'min_spend_yuan = 100',
                 "vip_tiers[1].min_spend_yuan: expected 0 (the lowest tier takes every member)",
                 id="lowest VIP tier above 0"),
    pytest.param('busy_timeout_ms = 5000\n', '',
                 "database.busy_timeout_ms: missing; expected a whole number from 0 to 600000",
                 id="missing key"),
])
def test_a_mistake_is_one_exact_line(tmp_path, old, new, expected):
    path = variant(tmp_path, old, new)
    assert message(path) == f"{path}: {expected}"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    assert message(path) == f"{path}: no such settings file"


def test_a_folder_is_not_a_settings_file(tmp_path):
    assert message(tmp_path) == f"{tmp_path}: cannot read: Is a directory"


def test_invalid_toml(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[shop]\nname = \n', encoding="utf-8")
    # line 2 is "name = "; the value would start at column 8
    assert message(path) == f"{path}: not valid TOML: Invalid value (at line 2, column 8)"


def test_vip_tiers_that_are_not_tables(tmp_path):
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    head = text[:text.index("# VIP tiers")]
    path = tmp_path / "settings.toml"
    path.write_text("vip_tiers = [0, 2000]\n" + head, encoding="utf-8")
    assert message(path).startswith(f"{path}: vip_tiers")


@pytest.mark.parametrize("old, new, expected", [
    ('brand = "帮宝适"', 'brand = "帮宝适"\nsku = "BBS-L"', "gift_rules[2].brand: expected exactly one of brand and sku"),
    ('steps = [{ units = 10, gift = "湿巾一箱" }]', 'steps = [{ units = 10, gift = "a" }, { units = 10, gift = "b" }]',
     "gift_rules[2].steps: expected a list of { units = N, gift = \"...\" }, units rising from 1"),
    ('steps = [{ units = 10, gift = "湿巾一箱" }]', 'steps = []',
     "gift_rules[2].steps: expected a list of { units = N, gift = \"...\" }, units rising from 1"),
    ('unit = "pack"', 'unit = "pack"\ncolour = "red"', "gift_rules[2].colour: unknown key"),
])
def test_gift_rule_mistakes(tmp_path, old, new, expected):
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "settings.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert str(info.value) == f"{path}: {expected}"


# --- message templates ---------------------------------------------------------------------------

def test_repository_templates_and_what_each_needs():
    s = load_settings(REPO_SETTINGS)
    assert [(t.name, t.needs) for t in s.templates] == [
        ("用后回访", ("name", "product")),
        ("天气转凉", ("name", "child", "child_age")),
        ("宝宝生日", ("name", "child")),
        ("满月祝贺", ("name", "child")),
        ("产后问候", ("name", "child", "child_age")),
    ]


def test_no_templates_is_an_empty_library(tmp_path):
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    path = tmp_path / "settings.toml"
    path.write_text(text[:text.index("# Message library")], encoding="utf-8")
    assert load_settings(path).templates == ()


def test_templates_that_are_not_tables(tmp_path):
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    path = tmp_path / "settings.toml"
    path.write_text('templates = ["{name}您好"]\n' + text[:text.index("# Message library")],
                    encoding="utf-8")
    assert message(path) == f"{path}: templates[1]: expected a [[templates]] table"
    path.write_text('templates = "{name}您好"\n' + text[:text.index("# Message library")],
                    encoding="utf-8")
    assert message(path) == f"{path}: templates: expected [[templates]] tables"


PLACEHOLDERS = "{name}, {child}, {child_age}, {product} and {{ }} for a brace"
WEATHER = 'text = "{name}您好，这几天降温了，{child}现在 {child_age}，'


@pytest.mark.parametrize("old, new, expected", [
    pytest.param('name = "天气转凉"\n', '', "templates[2].name: missing; expected a non-empty string",
                 id="missing name"),
    pytest.param('name = "宝宝生日"\ntext = "', 'name = "宝宝生日"\nwords = "',
                 "templates[3].text: missing; expected a non-empty string", id="missing text"),
    pytest.param('name = "满月祝贺"', 'name = "  "', "templates[4].name: expected a non-empty string",
                 id="blank name"),
    pytest.param('name = "产后问候"', 'name = "天气转凉"',
                 "templates[5].name: expected a name no other template has ('天气转凉' is used twice)",
                 id="duplicate name"),
    pytest.param(WEATHER, 'text = "{name}您好，您的手机 {phone}，',
                 f"templates[2].text: expected text with placeholders from {PLACEHOLDERS} "
                 "(unknown placeholder {phone})", id="unknown placeholder"),
    pytest.param(WEATHER, 'text = "{name您好，这几天降温了，{child}现在 {child_age}，',
                 f"templates[2].text: expected text with placeholders from {PLACEHOLDERS} "
                 "(unbalanced braces)", id="unclosed brace"),
    pytest.param(WEATHER, 'text = "{name}}您好，这几天降温了，{child}现在 {child_age}，',
                 f"templates[2].text: expected text with placeholders from {PLACEHOLDERS} "
                 "(unbalanced braces)", id="stray closing brace"),
    pytest.param(WEATHER, 'text = "{}您好，这几天降温了，{child}现在 {child_age}，',
                 f"templates[2].text: expected text with placeholders from {PLACEHOLDERS} "
                 "(unknown placeholder {})", id="empty placeholder"),
    pytest.param(WEATHER, 'text = "{name:>8}您好，这几天降温了，{child}现在 {child_age}，',
                 f"templates[2].text: expected text with placeholders from {PLACEHOLDERS} "
                 "(a plain placeholder, not {name:>8})", id="format spec"),
    pytest.param('name = "宝宝生日"', 'name = "宝宝生日"\nchannel = "sms"',
                 "templates[3].channel: unknown key", id="unknown key"),
])
def test_template_mistakes(tmp_path, old, new, expected):
    path = variant(tmp_path, old, new)
    assert message(path) == f"{path}: {expected}"
