"""``hpt-gui`` and ``python -m hpt_gui``: the window with no arguments, the CLI with some,
and the window with a file when given one (``hpt-gui data.csv``, as file managers do)."""

from __future__ import annotations

import sys
from pathlib import Path

# The command-line commands (``cli.build_parser``), kept here so that starting the window
# imports nothing of the command line.
COMMANDS = frozenset({"models", "run", "export", "diagnose", "assess", "report", "compare",
                      "predict"})


def main(argv: list[str] | None = None) -> int:
    """Open the window, or run a command-line command when one is given."""
    argv = sys.argv[1:] if argv is None else argv
    path = file_to_open(argv)
    if argv and path is None:
        from .cli import main as cli_main

        return cli_main(argv)
    from .ui.app import run_app

    return run_app(path)


def file_to_open(argv: list[str]) -> str | None:
    """The file the window opens with: a lone argument that is no command or option and
    names a file (it exists, or looks like a file name). A data file and a project file
    alike: the window tells them apart by their content, and says so when the file is
    missing or unreadable. A mistyped command ('rn') stays the command line's to refuse."""
    if len(argv) != 1:
        return None
    word = argv[0]
    if word in COMMANDS or word.startswith("-") or not word.strip():
        return None
    path = Path(word)
    if path.exists() or "." in path.name or len(path.parts) > 1:
        return word
    return None


if __name__ == "__main__":
    raise SystemExit(main())
