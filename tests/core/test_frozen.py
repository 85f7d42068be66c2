"""The frozen entry point answers loky's ``python -c``/``python -m`` command lines."""

import sys

import pytest

from hpt_gui.frozen import parse_python_argv, run_as_python_if_asked

EXE = "/opt/hpt-gui/hpt-gui"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # restored after the test


def _exit_code(argv):
    with pytest.raises(SystemExit) as info:
        run_as_python_if_asked(argv)
    return info.value.code


def test_c_code_exit_code_is_propagated(frozen):
    assert _exit_code([EXE, "-B", "-S", "-I", "-c", "import sys; sys.exit(3)"]) == 3


def test_c_code_that_finishes_exits_with_zero(frozen):
    assert _exit_code([EXE, "-B", "-S", "-I", "-c", "x = 1"]) == 0


def test_c_code_runs_as_main_with_python_argv(frozen):
    code = "import sys; sys.exit(repr((__name__, sys.argv)))"
    assert _exit_code([EXE, "-c", code, "a", "--b"]) == repr(("__main__", ["-c", "a", "--b"]))


def test_c_code_exceptions_propagate(frozen):
    with pytest.raises(ValueError, match="boom"):
        run_as_python_if_asked([EXE, "-c", "raise ValueError('boom')"])


def test_m_runs_a_module_as_main(frozen, tmp_path, monkeypatch):
    (tmp_path / "hpt_frozen_probe_mod.py").write_text(
        "import sys\n"
        "if __name__ == '__main__':\n"
        "    sys.exit(repr((sys.argv[0].endswith('hpt_frozen_probe_mod.py'), sys.argv[1:])))\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    argv = [EXE, "-m", "hpt_frozen_probe_mod", "--process-name", "P-1", "--pipe", "7"]
    assert _exit_code(argv) == repr((True, ["--process-name", "P-1", "--pipe", "7"]))


def test_m_module_that_finishes_exits_with_zero(frozen, tmp_path, monkeypatch):
    (tmp_path / "hpt_frozen_quiet_mod.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _exit_code([EXE, "-B", "-m", "hpt_frozen_quiet_mod"]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        [EXE],
        [EXE, "run", "--data", "x.csv", "--target", "y", "--model", "DecisionTreeClassifier"],
        [EXE, "export", "--project", "p.hpt", "--study", "g", "--csv", "out.csv"],
        [EXE, "project.hpt"],
        [EXE, "--debug", "run", "-c", "import sys; sys.exit(3)"],
        [EXE, "-h"],
        [EXE, "-B", "-S"],  # flags but no -c/-m
        [EXE, "-c"],  # -c without its code
    ],
)
def test_ordinary_command_lines_are_left_alone(frozen, argv):
    before = list(sys.argv)
    assert run_as_python_if_asked(argv) is None
    assert sys.argv == before


def test_not_frozen_is_a_no_op(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert run_as_python_if_asked([EXE, "-c", "import sys; sys.exit(3)"]) is None


def test_uses_sys_argv_by_default(frozen, monkeypatch):
    monkeypatch.setattr(sys, "argv", [EXE, "-I", "-c", "import sys; sys.exit(4)"])
    assert _exit_code(None) == 4


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([EXE, "-B", "-S", "-I", "-c", "pass", "x"], ("c", "pass", ["x"])),
        ([EXE, "-OO", "-Wignore", "-X", "dev", "-E", "-s", "-u", "-c", "pass"], ("c", "pass", [])),
        ([EXE, "-W", "error", "-X", "utf8", "-m", "mod", "-c", "x"], ("m", "mod", ["-c", "x"])),
        ([EXE, "-BSIc", "pass"], ("c", "pass", [])),
        ([EXE, "-cpass", "1"], ("c", "pass", ["1"])),
        ([EXE, "-mmod"], ("m", "mod", [])),
        ([EXE, "--version"], None),
        ([EXE, "-V"], None),
        ([EXE, "-"], None),
    ],
)
def test_parse_python_argv(argv, expected):
    assert parse_python_argv(argv) == expected


def test_loky_command_lines_are_recognised():
    # The exact shapes joblib 1.6's loky uses on POSIX (resource tracker, worker).
    import subprocess

    tracker = [EXE, *subprocess._args_from_interpreter_flags(), "-c",
               "from joblib.externals.loky.backend.resource_tracker import main; main(3, False)"]
    worker = [EXE, "-m", "joblib.externals.loky.backend.popen_loky_posix",
              "--process-name", "LokyProcess-1", "--pipe", "14"]
    assert parse_python_argv(tracker)[:2] == ("c", tracker[-1])
    assert parse_python_argv(worker) == (
        "m", "joblib.externals.loky.backend.popen_loky_posix",
        ["--process-name", "LokyProcess-1", "--pipe", "14"])


def test_a_windows_loky_worker_runs_lokys_own_main(frozen, monkeypatch):
    """On Windows, loky starts a frozen app's worker as ``<exe> --multiprocessing-fork
    HANDLE``: the entry point hands it to loky's ``popen_loky_win32.main``."""
    import types

    from hpt_gui.frozen import run_loky_windows_worker_if_asked

    called = []
    fake = types.ModuleType("joblib.externals.loky.backend.popen_loky_win32")
    fake.main = called.append  # the real one needs Windows' _winapi
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(SystemExit) as stop:
        run_loky_windows_worker_if_asked([EXE, "--multiprocessing-fork", "1234"])
    assert stop.value.code == 0 and called == [1234]
    for other in ([EXE], [EXE, "run", "--data", "x.csv"],
                  [EXE, "--multiprocessing-fork", "pipe_handle=12", "parent_pid=3"]):
        run_loky_windows_worker_if_asked(other)  # not ours: returns
    monkeypatch.setattr(sys, "platform", "linux")
    run_loky_windows_worker_if_asked([EXE, "--multiprocessing-fork", "1234"])
    assert called == [1234]
