"""`python -m tracker`: the same as the `tracker` command."""

from tracker.cli import entry

if __name__ == "__main__":
    entry()
