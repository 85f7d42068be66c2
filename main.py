"""Entry point for PyInstaller and for ``python main.py``.

In a frozen build, joblib's loky pool starts its workers and resource tracker by
running this very executable as if it were ``python -c ...``/``python -m ...``;
``run_as_python_if_asked`` answers those command lines before the app starts
(see ``hpt_gui/frozen.py`` and ``packaging/README.md``).
"""

import multiprocessing


def _main():
    from hpt_gui.frozen import run_as_python_if_asked, run_loky_windows_worker_if_asked

    run_loky_windows_worker_if_asked()  # before freeze_support, which misreads it
    multiprocessing.freeze_support()
    run_as_python_if_asked()
    from hpt_gui.__main__ import main

    raise SystemExit(main())


if __name__ == "__main__":
    _main()
