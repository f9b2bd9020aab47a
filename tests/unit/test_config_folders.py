"""Where the config file and the default database are: the tracker reads the XDG rule itself on
Linux (importing platformdirs took a sixth of the small reads' time, issue 17), so it is held
here to platformdirs' answer in each case a user's environment can present."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import platformdirs
import pytest

from tracker.config import APP_NAME, config_path, default_db, load_settings
from tracker.queries.reader import file_uri, open_sqlite

ENVIRONMENTS = [
    pytest.param({}, id="no XDG variables"),
    pytest.param({"XDG_CONFIG_HOME": "{tmp}/cfg", "XDG_DATA_HOME": "{tmp}/data"}, id="XDG set"),
    pytest.param({"XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""}, id="XDG empty"),
    pytest.param({"XDG_CONFIG_HOME": "cfg", "XDG_DATA_HOME": "rel/data"}, id="XDG relative"),
    pytest.param({"XDG_CONFIG_HOME": "{tmp}/with space/ü", "HOME": "{tmp}/"}, id="odd names"),
    pytest.param({"HOME": "relative/home"}, id="HOME relative"),
    pytest.param({"HOME": ""}, id="HOME empty"),
    pytest.param({"HOME": "/"}, id="HOME the root"),
    pytest.param({"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"}, id="Android's signs"),
]


@pytest.mark.skipif(sys.platform != "linux", reason="the tracker's own reading is Linux's")
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_config_and_data_folders_are_platformdirs_own(
    environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path))
    try:
        expected_config = platformdirs.user_config_dir(APP_NAME)
        expected_data = platformdirs.user_data_dir(APP_NAME)
    except RuntimeError:  # no home platformdirs will name: neither may the tracker
        with pytest.raises(RuntimeError):
            config_path()
        return
    assert config_path() == str(Path(expected_config) / "config.toml")
    assert default_db() == str(Path(expected_data) / "tracker.db")


def test_trackers_config_names_the_file_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TRACKER_CONFIG", "~/elsewhere/mine.toml")
    assert config_path() == str(tmp_path / "elsewhere" / "mine.toml")


def test_with_no_db_given_the_default_one_is_made_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TRACKER_CONFIG", "TRACKER_DB", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = load_settings(user="Tess Tester", today="2026-03-02")
    assert settings.db == str(tmp_path / "data" / APP_NAME / "tracker.db")
    assert (tmp_path / "data" / APP_NAME).is_dir()
    assert settings.config_file == str(tmp_path / ".config" / APP_NAME / "config.toml")


@pytest.mark.parametrize("name", ["100% done.db", "why?.db", "#1 plan.db", "Bryn Môr.db"])
def test_a_database_whose_name_a_uri_would_misread_is_read_lightly(
    name: str, tmp_path: Path, loaded_path: Path
) -> None:
    """The light reader opens the file by a URI: `%`, `?` and `#` in its name are escaped, so
    that it opens this file and no other (a `?` unescaped would cut the name short)."""
    folder = tmp_path / "a % b?c#d"
    folder.mkdir()
    target = folder / name
    target.write_bytes(loaded_path.read_bytes())
    (tmp_path / "a % b").mkdir()  # what the name cut at `?` would be, were it misread
    reader = open_sqlite(target)
    assert reader is not None, file_uri(str(target))
    try:
        (count,) = reader.connection.execute("SELECT count(*) FROM plans").fetchone()
        assert count == 3
        with pytest.raises(sqlite3.OperationalError):
            reader.connection.execute("DELETE FROM plans")
    finally:
        reader.close()
