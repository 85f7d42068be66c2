"""Let a frozen (PyInstaller) build of hpt-gui stand in for ``python``.

joblib's default ``loky`` backend does not start its helper processes with
``multiprocessing``'s ``--multiprocessing-fork`` protocol, which
``multiprocessing.freeze_support()`` understands.  It runs ``sys.executable``
as if it were a Python interpreter:

* loky's resource tracker:
  ``<exe> -B -S -I -c "from ...resource_tracker import main; main(3, False)"``
* every loky worker:
  ``<exe> -m joblib.externals.loky.backend.popen_loky_posix --process-name N --pipe 14``

In a frozen app ``sys.executable`` is the app itself, which treats that as a
fresh start: a ``Parallel(n_jobs=2)`` call hangs, or (multiprocessing backend)
the app re-executes itself again and again.  See joblib/joblib#1002 and
joblib/loky#236.  PyInstaller's own ``freeze_support`` only diverts the
``multiprocessing`` resource tracker and forkserver, not loky's commands.

:func:`run_as_python_if_asked` is called by the entry point (``main.py``)
right after ``multiprocessing.freeze_support()``.  When the process is frozen
and its command line has the shape of a Python interpreter call, it does what
``python`` would do (run the ``-c`` code or the ``-m`` module as ``__main__``
with the same ``sys.argv`` Python would set) and exits.  Otherwise it returns
at once without doing anything.

Interpreter flags (``-B -S -I -E -s -u -O -W arg -X arg`` ...) are accepted
and ignored: they cannot be applied to an already running frozen interpreter
and none of them matter to loky's helpers.  No Qt is imported here, so helper
processes start quickly and never touch the GUI.
"""

from __future__ import annotations

import builtins
import runpy
import sys

# Python options that take no argument (``-OO``, ``-vv``, ``-bb`` are repeats).
_FLAGS = frozenset("bBdEIOPqsSuvR")
# Python options that take an argument (attached ``-Wignore`` or separate ``-X dev``).
_FLAGS_WITH_ARG = frozenset("WX")


def parse_python_argv(argv: list[str]) -> tuple[str, str, list[str]] | None:
    """Parse ``[exe, *flags, -c CODE | -m MODULE, *args]``.

    Returns ``("c", code, args)`` or ``("m", module, args)``, or ``None`` when
    ``argv`` is not a Python interpreter command line (for example the app's
    own ``[exe, "run", "--data", ...]`` or a bare ``[exe]``).  Options are
    read like Python's getopt does: grouped (``-Bc CODE``) and attached
    (``-cCODE``, ``-Wignore``) forms are understood.
    """
    i = 1
    while i < len(argv):
        tok = argv[i]
        if len(tok) < 2 or tok[0] != "-" or tok.startswith("--"):
            return None  # not an interpreter option: an ordinary app command line
        for j, ch in enumerate(tok[1:], start=1):
            if ch in _FLAGS:
                continue
            if ch in _FLAGS_WITH_ARG or ch in "cm":
                value = tok[j + 1 :]
                if not value:  # argument in the next token
                    i += 1
                    if i >= len(argv):
                        return None
                    value = argv[i]
                if ch in "cm":
                    return ch, value, list(argv[i + 1 :])
                break  # -W/-X argument consumed; next token
            return None  # -h, -V, -i, unknown letters...: not ours to emulate
        i += 1
    return None


def run_as_python_if_asked(argv: list[str] | None = None) -> None:
    """Behave like ``python -c``/``python -m`` when frozen and asked to; else return.

    On a match this never returns: it exits with 0 after the code or module
    ran, or with the code of any ``SystemExit`` it raised.  Other exceptions
    propagate (the frozen bootloader prints them and exits non-zero, as
    Python would).
    """
    if not getattr(sys, "frozen", False):
        return
    parsed = parse_python_argv(sys.argv if argv is None else argv)
    if parsed is None:
        return
    kind, target, args = parsed
    if kind == "c":
        sys.argv = ["-c", *args]
        code = compile(target, "<string>", "exec")
        exec(code, {"__name__": "__main__", "__builtins__": builtins, "__doc__": None})
    else:
        # run_module(alter_sys=True) swaps argv[0] for the module's file while it runs.
        sys.argv = [target, *args]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    sys.exit(0)


def run_loky_windows_worker_if_asked(argv: list[str] | None = None) -> None:
    """Windows: be the loky worker a frozen app is asked to be; else return.

    There, loky starts a frozen app's workers as ``<exe> --multiprocessing-fork HANDLE``
    (``popen_loky_win32.get_command_line``), which ``multiprocessing.freeze_support``
    misreads (it expects ``name=value`` pairs after the flag) and which is no Python
    command line either. So the entry point asks this first, and the worker runs loky's
    own ``popen_loky_win32.main``, which reads its task from the pipe and exits.
    Written from loky's source; not yet run on Windows (see packaging/README.md).
    """
    argv = sys.argv if argv is None else argv
    if not getattr(sys, "frozen", False) or sys.platform != "win32":
        return
    if len(argv) == 3 and argv[1] == "--multiprocessing-fork" and argv[2].isdigit():
        from joblib.externals.loky.backend.popen_loky_win32 import main

        main(int(argv[2]))
        sys.exit(0)
