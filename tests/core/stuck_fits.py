"""Test doubles for the process pool's workers: a fit stuck in native code, and a worker
slow to start.

``initialize`` is a worker initializer: in that worker, every fold of trial ``stuck``
sleeps in ``time.sleep`` (one call into C, where no exception can be raised in the
thread) before it would be evaluated. Imported by the workers from the tests' folder,
which loky puts on their path as it is on the parent's.
"""

import time


def initialize(context, threads, board, stuck):
    from hpt_gui.core import executor

    evaluate = executor.evaluate_fold

    def stuck_or_evaluated(context, number, params, fold, cache=None, on_fit_start=None):
        if number == stuck:  # the fit starts (and is noted as started), then never returns
            if on_fit_start is not None:
                on_fit_start()
            time.sleep(600)
        return evaluate(context, number, params, fold, cache, on_fit_start=on_fit_start)

    executor.evaluate_fold = stuck_or_evaluated
    executor._initialize_worker(context, threads, board)


def initialize_slowly(context, threads, board, seconds):
    """A worker as a fresh one on a busy machine: ``seconds`` to start, and ``seconds``
    more to build its first pipeline (the model's imports), both before the fit starts."""
    from hpt_gui.core import evaluate, executor

    time.sleep(seconds)
    build, built = evaluate.build_pipeline, []

    def build_slowly(*args, **kwargs):
        if not built:
            built.append(True)
            time.sleep(seconds)
        return build(*args, **kwargs)

    evaluate.build_pipeline = build_slowly
    executor._initialize_worker(context, threads, board)
