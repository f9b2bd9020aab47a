"""Where the database is, who the user is, and what day it is.

Each comes from, in order: a command-line flag, an environment variable, the config file
(TOML; `TRACKER_CONFIG` or the platform's config folder), then a default:

| setting | flag | environment | config key | default |
| --- | --- | --- | --- | --- |
| database | `--db` | `TRACKER_DB` | `db` | `tracker.db` in the user's data folder |
| user | `--as` | `TRACKER_USER` | `user` | the operating system's user name |
| today | `--today` | `TRACKER_TODAY` | | the system date |
| review mode | `--reviewer` | | `role = "reviewer"` | manager |
| read-only | `--read-only` | | `read_only = true` | off |
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from tracker.names import BadName, user_name
from tracker.rules import parse_date

APP_NAME = "yos-tracker"


class ConfigError(ValueError):
    """The config file or a setting cannot be used; the message names which and why."""


class Settings(NamedTuple):
    """The settings a command runs with."""

    db: str
    user: str
    today: date
    config_file: str
    extra: Mapping[str, Any] = MappingProxyType({})
    reviewer: bool = False
    read_only: bool = False


def config_path() -> str:
    """The config file's path (it need not exist)."""
    override = os.environ.get("TRACKER_CONFIG")
    if override:
        return os.path.expanduser(override)
    return os.path.join(user_folder("XDG_CONFIG_HOME", ".config", "user_config_dir"), "config.toml")


def default_db() -> str:
    """The embedded SQLite database in the user's data folder."""
    return os.path.join(user_folder("XDG_DATA_HOME", ".local/share", "user_data_dir"), "tracker.db")


def user_folder(xdg_variable: str, under_home: str, platformdirs_function: str) -> str:
    """The tracker's folder for the user's config or data, as platformdirs'
    `platformdirs_function` gives it. On Linux with an absolute HOME (and no sign of Android),
    read here by the XDG base directory rule as platformdirs reads it: `$XDG_..._HOME` when it
    is an absolute path, else `~/` `under_home`, then the app's name (a test holds the two to
    the same answer, in each case). Anywhere else, platformdirs itself. Not platformdirs every
    time: importing it (with tempfile, shutil, random and pathlib) took a sixth of the small
    reads' time, `tracker actions --overdue --json` among them (issue 17)."""
    home = os.environ.get("HOME", "")
    android = "ANDROID_DATA" in os.environ or "ANDROID_ROOT" in os.environ
    if sys.platform == "linux" and os.path.isabs(home) and not android:
        base = os.environ.get(xdg_variable, "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/" + under_home)
        return os.path.join(base, APP_NAME)
    import platformdirs

    folder: str = getattr(platformdirs, platformdirs_function)(APP_NAME)
    return folder


CONFIG_MOST = 64 * 1024
"""The largest config file read: a few settings."""


def read_config(path: str) -> dict[str, Any]:
    """The config file's settings, or {} when there is none."""
    if not os.path.exists(path):
        return {}
    import tomllib  # here: most commands run without a config file, and need no TOML parser

    from tracker.regular import NotARegularFile, TooLarge, read_regular

    try:
        # Opened as every user's file is (tracker.regular): a named pipe or a device put where
        # the config file goes is refused at once rather than waited on for ever.
        data = read_regular(path, CONFIG_MOST)
        return tomllib.loads(data.decode("utf-8"))
    except NotARegularFile as exc:
        raise ConfigError(f"config file {path}: it is {exc.kind}, not a file") from None
    except TooLarge:
        raise ConfigError(f"config file {path}: larger than {CONFIG_MOST // 1024} KiB") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: {exc}") from None


def load_settings(
    db: str | None = None,
    user: str | None = None,
    today: str | None = None,
    *,
    reviewer: bool = False,
    read_only: bool = False,
) -> Settings:
    """The settings, from flags (given here), the environment, the config file and defaults."""
    path = config_path()
    config = read_config(path)
    chosen_db = db or os.environ.get("TRACKER_DB") or config.get("db")
    if chosen_db is None:
        chosen_db = default_db()
        os.makedirs(os.path.dirname(chosen_db), exist_ok=True)
    if not isinstance(chosen_db, str):
        raise ConfigError(f"config file {path}: 'db' must be text")
    chosen_user = user or os.environ.get("TRACKER_USER") or config.get("user")
    if chosen_user is None:
        import getpass  # here: only when no flag, variable or config file names the user

        try:
            chosen_user = getpass.getuser()
        except (KeyError, OSError):
            chosen_user = "unknown user"
    if not isinstance(chosen_user, str) or not chosen_user.strip():
        raise ConfigError("the user name cannot be empty")
    try:
        # One written form per name (NFKC, single spaces), invisible characters refused: the
        # own-work rule and the audit trail compare names (tracker/names.py).
        chosen_user = user_name(chosen_user)
    except BadName as exc:
        raise ConfigError(str(exc)) from None
    day_text = today or os.environ.get("TRACKER_TODAY")
    try:
        day = parse_date(day_text) if day_text else date.today()
    except ValueError as exc:
        raise ConfigError(f"today: {exc}") from None
    role = config.get("role", "manager")
    if role not in ("manager", "reviewer"):
        raise ConfigError(f'config file {path}: \'role\' must be "manager" or "reviewer"')
    return Settings(
        str(chosen_db),
        chosen_user.strip(),
        day,
        path,
        config,
        reviewer=reviewer or role == "reviewer",
        read_only=read_only or _flag(config, "read_only", path),
    )


def _flag(config: dict[str, Any], key: str, path: str) -> bool:
    """A yes/no setting: a TOML boolean (`true` or `false`, unquoted), False when absent.
    Anything else is refused rather than guessed at: `read_only = "no"` would otherwise be
    a non-empty string, and true."""
    value = config.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(
            f"config file {path}: {key!r} must be true or false (unquoted), not {value!r}"
        )
    return value
