"""A test double for a fit that holds the interpreter in native code, for the pool's workers.

``initialize`` is a worker initializer: in that worker, every fold marks the worker's pid
in the folder ``HPT_GUI_TEST_MARKS`` names, then calls libc's ``sleep`` through
``ctypes.PyDLL``, which keeps the GIL: no Python thread of the worker runs until it
returns. Imported by the workers from the tests' folder, which loky puts on their path.
"""

import ctypes
import os


def initialize(*args):
    from hpt_gui.core import executor

    def held(context, number, params, fold, cache=None, on_fit_start=None):
        with open(os.path.join(os.environ["HPT_GUI_TEST_MARKS"], str(os.getpid())), "w"):
            pass
        ctypes.PyDLL(None).sleep(600)

    executor.evaluate_fold = held
    executor._initialize_worker(*args)
