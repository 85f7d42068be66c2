"""``hpt-gui`` and ``python -m hpt_gui``: the window with no arguments, the CLI with some."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Open the window, or run a command-line command when one is given."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and not _is_project_path(argv):
        from .cli import main as cli_main

        return cli_main(argv)
    from .ui.app import run_app

    return run_app(argv[0] if argv else None)


def _is_project_path(argv: list[str]) -> bool:
    """``hpt-gui project.hpt`` opens that project in the window."""
    return len(argv) == 1 and argv[0].endswith(".hpt")


if __name__ == "__main__":
    raise SystemExit(main())
