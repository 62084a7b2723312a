"""Keys in settings.toml: the [keys] table read both ways, and one line for a bad one."""

from __future__ import annotations

import pytest

from tui.settings import SettingsError, load_settings


@pytest.mark.parametrize("table, says", [
    ('[keys]\nqueue = "o"\n', 'keys.queue: expected a binding id such as "queue.log"'),
    ('[keys]\nqueue.log = 5\n', 'keys.queue.log: expected the keys as a string'),
    ('[keys]\nqueue.log = "o o"\n', "keys.queue.log: 'o o' is not a key"),
    ('keys = 3\n', "keys: expected a table [keys]"),
])
def test_a_bad_keys_table_is_one_line(tmp_path, table, says):
    from tui.settings import DEFAULT_SETTINGS

    file = tmp_path / "settings.toml"
    text = DEFAULT_SETTINGS.read_text(encoding="utf-8").replace("[keys]\n", "")
    # a table goes at the end; a bare key before the first table, where TOML reads it
    file.write_text(text + "\n" + table if table.startswith("[") else table + text,
                    encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(file)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_keys_in_settings_read_both_ways(tmp_path):
    from tui.settings import DEFAULT_SETTINGS

    file = tmp_path / "settings.toml"
    file.write_text(DEFAULT_SETTINGS.read_text(encoding="utf-8").replace("[keys]\n", "")
                    + '\n[keys]\nqueue.log = "o, enter"\n"card.note" = "ctrl+n"\n',
                    encoding="utf-8")
    assert load_settings(file).keys == {"queue.log": "o,enter", "card.note": "ctrl+n"}
