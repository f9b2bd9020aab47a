"""Stored text holds no invisible formatting character (tracker.text), and a user's file is
opened one safe way (tracker.files): no database here."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from tracker.files import (
    NotARegularFile,
    TooLarge,
    copy_regular,
    fingerprint,
    open_regular,
    read_regular,
)
from tracker.text import clean, escape_left_raw, first_control, has_control, one_line

INVISIBLE = ["\u202e", "\u202d", "\u200b", "\u200e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE += ["\ufeff", "\u00ad", "\u2060", "\u061c", "\u2028", "\u2029", "\U000e0041"]


def _every(categories: set[str]) -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in categories]


def test_every_format_character_and_lone_surrogate_counts_as_a_control() -> None:
    # The list in tracker.text is written out (building it from the Unicode database at
    # import would cost every command a second); here it is held to the database itself.
    missed = [f"U+{ord(c):04X}" for c in _every({"Cf", "Zl", "Zp", "Cs"}) if not has_control(c)]
    assert missed == []


def test_nothing_visible_counts_as_a_control() -> None:
    wrongly = [
        f"U+{ord(c):04X}"
        for c in _every({"Lu", "Ll", "Lo", "Nd", "Po", "Ps", "Pe", "Sm", "Sc", "Zs", "Mn"})
        if has_control(c)
    ]
    assert wrongly == []
    for fine in ("Yasmin Officer (YJB)", "Zoë", "naïve café", "£5 – 10%", "tab\tand\nnewline"):
        assert not has_control(fine)


@pytest.mark.parametrize("char", INVISIBLE)
def test_an_invisible_character_is_refused_and_shown_by_its_code(char: str) -> None:
    text = f"Yas{char}min"
    assert has_control(text)
    assert first_control(text) == f"U+{ord(char):04X}"
    shown = clean(text)
    assert not has_control(shown) and f"{ord(char):x}" in shown
    assert not has_control(one_line(text))


def test_json_and_toml_text_has_the_bidirectional_controls_escaped() -> None:
    raw = '{"lead": "Evil\u202eexe.txt\u200b\u2066x\u2069\ufeff\u2028"}'
    escaped = escape_left_raw(raw)
    assert escaped == '{"lead": "Evil\\u202eexe.txt\\u200b\\u2066x\\u2069\\ufeff\\u2028"}'
    import json
    import tomllib

    assert json.loads(escaped) == json.loads(raw)
    assert tomllib.loads(f"lead = {escaped[9:-1]}")["lead"] == json.loads(raw)["lead"]


def test_the_astral_tag_characters_are_escaped_in_json_and_in_toml() -> None:
    # U+E0041 TAG LATIN CAPITAL LETTER A and its kind hide text inside an emoji flag; the
    # JSON and TOML writers left them raw. JSON escapes them as a surrogate pair, TOML as \U.
    import json
    import tomllib

    import tomli_w

    value = "Flag \U0001f3f4\U000e0067\U000e0062\U000e007f done"
    as_json = escape_left_raw(json.dumps({"t": value}, ensure_ascii=False), json=True)
    assert not has_control(as_json) and "\\udb40\\udc67" in as_json
    assert json.loads(as_json)["t"] == value
    as_toml = escape_left_raw(tomli_w.dumps({"t": value}))
    assert not has_control(as_toml) and "\\U000e0067" in as_toml
    assert tomllib.loads(as_toml)["t"] == value


def _returns_promptly(work, seconds: float = 5.0):  # type: ignore[no-untyped-def]
    """Run `work` in a thread; fail (rather than hang the test run) if it does not end."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still waiting: the open or read blocked"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    for work in (
        lambda: read_regular(pipe, 100),
        lambda: fingerprint(pipe),
        lambda: copy_regular(pipe, tmp_path / "copy"),
    ):
        with pytest.raises(NotARegularFile) as refused:
            _returns_promptly(work)
        assert refused.value.kind == "a named pipe" and refused.value.what == "not a regular file"
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to("/dev/zero"), "a device"),
        (lambda p: p.symlink_to("/dev/null"), "a device"),
    ],
)
def test_folders_and_devices_are_refused(tmp_path: Path, make, kind: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "thing"
    make(path)
    with pytest.raises(NotARegularFile) as refused:
        _returns_promptly(lambda: read_regular(path, 10))
    assert refused.value.kind == kind


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(NotARegularFile, match="socket"):
            read_regular(path, 10)
    finally:
        server.close()


def test_a_link_is_followed_only_when_asked(tmp_path: Path) -> None:
    real, link = tmp_path / "real.txt", tmp_path / "link.txt"
    real.write_bytes(b"minutes")
    link.symlink_to(real)
    assert read_regular(link, 100) == b"minutes"
    with pytest.raises(NotARegularFile) as refused:
        read_regular(link, 100, follow_links=False)
    assert refused.value.what == "a symbolic link"
    with pytest.raises(NotARegularFile, match="symbolic link"):
        fingerprint(link)


def test_reads_are_bounded(tmp_path: Path) -> None:
    small, sparse = tmp_path / "small", tmp_path / "sparse"
    small.write_bytes(b"12345")
    with open(sparse, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MiB of nothing, not on the disk
    assert read_regular(small, 5) == b"12345"
    with pytest.raises(TooLarge):
        read_regular(small, 4)
    started = time.monotonic()
    with pytest.raises(TooLarge):
        read_regular(sparse, 1024)
    with pytest.raises(TooLarge):
        fingerprint(sparse, most=1024)
    with pytest.raises(TooLarge):
        copy_regular(sparse, tmp_path / "copy", most=1024)
    assert time.monotonic() - started < 2 and not (tmp_path / "copy").exists()


def test_the_descriptor_is_what_is_checked(tmp_path: Path) -> None:
    # What open_regular hands back is the file it checked: after the open, putting a pipe at
    # the name changes nothing that is read.
    path = tmp_path / "evidence.pdf"
    path.write_bytes(b"the real evidence")
    with open_regular(path) as (handle, info):
        path.unlink()
        os.mkfifo(path)
        assert handle.read() == b"the real evidence" and info.st_size == 17


def test_a_config_file_that_is_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    # Issue 14, point 9's sibling: the config file was read with read_text, which waits for
    # ever on a named pipe put where the config goes.
    from tracker.config import ConfigError, read_config

    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    with pytest.raises(ConfigError, match="named pipe, not a file"):
        _returns_promptly(lambda: read_config(pipe))
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * 70_000)
    with pytest.raises(ConfigError, match="larger than 64 KiB"):
        read_config(huge)
