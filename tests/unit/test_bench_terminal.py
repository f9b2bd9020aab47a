"""bench/terminal.py's launch-to-visible timing, in tmux and in a pseudo-terminal read as
written: the minimal Textual app is seen, in a positive time, and a command that never shows
the text (or ends first) is a clear error, not a wait without end. tmux is installed wherever
the tests run (CI too)."""

from __future__ import annotations

import sys
import time

import pytest

from bench.terminal import NotVisible, PtyApp, Sight, Tmux, drawn_text, pty_time_to_visible
from conftest import ROOT

MINIMAL_APP = ROOT / "bench" / "minimal_app.py"


def test_the_minimal_app_is_seen_on_screen() -> None:
    with Tmux() as tmux:
        seen = tmux.time_to_visible(
            [sys.executable, str(MINIMAL_APP), "--stay"], Sight(("Hello",)), timeout=10
        )
        assert 0 < seen.first_text <= seen.seconds < 10
        assert "Hello" in seen.screen
        assert 0 < tmux.capture_cost(samples=3) < 1


def test_a_command_that_never_shows_the_text_times_out_with_its_screen() -> None:
    never = "print('Goodbye for now'); import time; time.sleep(30)"
    with Tmux() as tmux, pytest.raises(NotVisible) as raised:
        tmux.time_to_visible([sys.executable, "-c", never], Sight(("Hello",)), timeout=1.5)
    assert "did not show 'Hello' within 1.5 s" in str(raised.value)
    assert "Goodbye for now" in str(raised.value)  # the screen it showed instead


def test_a_command_that_ends_first_is_reported_at_once() -> None:
    started = time.monotonic()
    with Tmux() as tmux, pytest.raises(NotVisible, match=r"ended( \(status 3\))? before showing"):
        tmux.time_to_visible(
            [sys.executable, "-c", "import sys; sys.exit(3)"], Sight(("Hello",)), timeout=8
        )
    assert time.monotonic() - started < 4  # not the whole timeout


def test_a_sight_counts_whole_words_only() -> None:
    areas = Sight(("York", "Derby", "Kent"), at_least=2)
    assert not areas.seen("North Yorkshire  Derbyshire  Kent")
    assert areas.seen("York  Derby")


def test_the_minimal_app_is_seen_in_a_pseudo_terminal() -> None:
    seen = pty_time_to_visible(
        [sys.executable, str(MINIMAL_APP), "--stay"], Sight(("Hello",)), timeout=10
    )
    assert 0 < seen.first_text <= seen.seconds < 10
    assert "Hello" in seen.screen


def test_a_command_that_ends_first_in_a_pseudo_terminal_is_reported_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(NotVisible, match=r"ended \(status 3\) before showing") as raised:
        pty_time_to_visible(
            [sys.executable, "-c", "print('Goodbye'); import sys; sys.exit(3)"],
            Sight(("Hello",)),
            timeout=8,
        )
    assert "Goodbye" in str(raised.value)
    assert time.monotonic() - started < 4


def test_text_drawn_between_escape_sequences_is_found_word_by_word() -> None:
    written = "\x1b[?1049h\x1b[3;1H\x1b[1;38;5;195mcamden-2025\x1b[0m\x1b[4;1Hleeds-2025\r\n"
    drawn = drawn_text(written)
    assert Sight(("camden-2025", "leeds-2025"), at_least=2).seen(drawn)
    assert not Sight(("2025camden",)).seen(drawn)  # no two pieces joined


def test_a_key_restarts_the_clock_and_only_what_follows_it_counts() -> None:
    """`PtyApp.press` types into the command's terminal and times the answer from the key: text
    drawn before the key does not count (the plan's id is on the home screen before Enter)."""
    echo = (
        "import sys, termios, tty; tty.setcbreak(0); print('ready Hello', flush=True);"
        "key = sys.stdin.read(1); import time; time.sleep(0.2);"
        "print('got', repr(key), 'Hello', flush=True); time.sleep(30)"
    )
    with PtyApp([sys.executable, "-c", echo], what="echo") as app:
        first = app.until(Sight(("ready",)), timeout=10)
        assert 0 < first.seconds < 10
        app.settle(quiet=0.1)
        app.press(b"x")
        answer = app.until(Sight(("Hello",)), timeout=10)
        assert "got 'x' Hello" in answer.screen and "ready" not in answer.screen
        assert 0.2 <= answer.seconds < 10  # from the key, not from the launch
        assert app.peak_kib() > 1024  # a Python process holds more than a MiB


def test_a_sight_counts_whole_words_among_thousands_of_texts() -> None:
    """The home screen at ten times national scale is looked for by 1,550 plan ids: each counts
    once, as a whole word ("york-2024" is not seen in "north-york-2024x"), whatever the
    number of texts."""
    ids = tuple(f"area-{n}-20{n % 30:02d}" for n in range(2000))
    sight = Sight(ids, at_least=5)
    screen = " ".join(ids[:4]) + " area-5-2005x xarea-6-2006 " + ids[7] + " " + ids[7]
    assert sight.count(screen) == 5  # four, the eighth once; the two run into other words not
    assert sight.seen(screen)
    assert not sight.seen(" ".join(ids[:4]))
    assert Sight(("York",)).count("North Yorkshire") == 0
