"""The executor's second implementation: (trial, fold) tasks on a Dask distributed cluster.

Where a study runs does not shape its results: the same splits, the same evaluation, the
same FoldResult, stored in the same project file. Only the place of the fits changes.

- The data (the EvalContext) is scattered to every worker once, with ``broadcast=True``;
  each task carries only its (number, params, fold) and a reference to that data. A worker
  that joins later fetches the data once from a peer.
- Each dask future is adapted to a ``concurrent.futures.Future`` so the study loop waits
  on it exactly as on the local pool's.
- ``workers`` is the cluster's total number of worker threads when connecting, so the
  loop queues enough folds to keep every thread busy.
- Native thread pools: Dask's nanny already starts worker processes with
  ``OMP_NUM_THREADS=1`` (and MKL, OpenBLAS; ``distributed.nanny.pre-spawn-environ``);
  each task also sets threadpoolctl's limit to the worker's cores divided by its threads,
  as the local pool does, so threads that share a process do not oversubscribe the cores.
- A task whose worker died too often (dask's ``KilledWorker``) or whose connection closed
  fails with ``WorkerDied``, which the study loop triages like a broken local pool. When
  the connection to the scheduler itself is lost, the study stops with ``ExecutorLost``
  (finished trials stay saved; the same command resumes it).

Every worker needs hpt-gui and the same scikit-learn as the machine that runs the study
(checked on connecting). Dask is imported only when a DaskExecutor is made: the core
stays importable without the ``cluster`` extra.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, InvalidStateError
from typing import Any

from .evaluate import EvalContext, FoldResult, evaluate_fold
from .executor_base import Executor, ExecutorLost, WorkerDied, is_dask_worker_death
from .prepcache import process_cache

DEFAULT_CONNECT_TIMEOUT = 10.0
INSTALL_HINT = "install the cluster extra: pip install 'hpt-gui[cluster]'"


class ClusterError(RuntimeError):
    """The cluster cannot be used: dask missing, scheduler unreachable, workers unfit."""


def _start_hint(address: str) -> str:
    return f"start it with `dask scheduler` and workers with `dask worker {address}`"


FROZEN_HINT = ("this installed build of hpt-gui does not include Dask; run hpt-gui from "
               "its Python package with the cluster extra (pip install 'hpt-gui[cluster]') "
               "to use a cluster")


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        if getattr(sys, "frozen", False):  # the installer's build leaves Dask out
            raise ClusterError(f"Running on a Dask cluster needs Dask: {FROZEN_HINT}.") \
                from None
        raise ClusterError(f"Running on a Dask cluster needs Dask ({exc}); "
                           f"{INSTALL_HINT}.") from None
    return distributed


def _check_address(address: str) -> None:
    """Refuse what is not an address before Dask tries it (a half-made Client that failed
    on a bad address hangs for its close timeout when it is collected)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls") and not parse_host_port(location)[0]:
            raise ValueError("no host")
    except (ValueError, TypeError):
        raise ClusterError(
            f"'{address}' is not a Dask scheduler address; give it as tcp://HOST:PORT, as "
            "`dask scheduler` prints it (for example tcp://192.168.1.10:8786)."
        ) from None


def _run_on_cluster(context: EvalContext, number: int, params: dict[str, Any],
                    fold: int) -> FoldResult:
    """One fold on a Dask worker; ``context`` is the worker's own copy of the scattered data."""
    _limit_threads()
    return evaluate_fold(context, number, params, fold, process_cache())


def _limit_threads() -> None:
    """Native thread pools get the worker's cores divided by its task threads.

    The limit is process-wide and deliberately not restored after the task: tasks run in
    parallel threads of one process, and restoring on exit would lift the limit under a
    neighbour that is still fitting. It is re-applied per task so that libraries loaded
    by a later fit are limited too.
    """
    try:
        from distributed import get_worker
        from threadpoolctl import threadpool_limits

        threads = max(1, (os.cpu_count() or 1) // max(1, get_worker().state.nthreads))
        threadpool_limits(limits=threads)
    except Exception:  # thread limits are an optimisation, never a reason to fail
        pass


def _worker_versions() -> Any:
    """A function that reports, on each worker, whether hpt-gui is there and which
    scikit-learn runs. Made here as a closure so it travels by value: a worker without
    hpt-gui can still run it and say so."""

    def versions() -> dict[str, str | None]:
        import importlib.metadata
        import importlib.util

        found: dict[str, str | None] = {
            "hpt_gui": "yes" if importlib.util.find_spec("hpt_gui") is not None else None,
        }
        try:
            found["scikit-learn"] = importlib.metadata.version("scikit-learn")
        except importlib.metadata.PackageNotFoundError:
            found["scikit-learn"] = None
        return found

    return versions


class DaskExecutor(Executor):
    """Runs folds on the Dask cluster whose scheduler listens at ``address``.

    Closing releases this client and the data it scattered; the cluster keeps running.
    """

    def __init__(self, context: EvalContext, address: str, *,
                 timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
        distributed = _import_distributed()
        self.address = address
        self._lock = threading.Lock()
        self._pending: dict[Any, Future] = {}  # dask future -> the future handed out
        self._closing = False
        self._closed = False
        _check_address(address)
        try:
            self._client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:
            reason = (f"no answer within {timeout:g} s" if "Timed out" in _reason(exc)
                      else _reason(exc))
            raise ClusterError(f"Could not reach the Dask scheduler at {address}: {reason}; "
                               f"{_start_hint(address)}.") from None
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except Exception:
            _quiet_close(self._client)
            raise ClusterError(f"The Dask scheduler at {address} has no workers; start them "
                               f"with `dask worker {address}` on each machine.") from None
        try:
            self._check_workers()
            self.workers = max(1, sum(self._client.nthreads().values()))
            self._context = context
            self._data = self._scatter()
        except BaseException:
            _quiet_close(self._client)
            raise

    def _check_workers(self) -> None:
        from importlib.metadata import version

        here = version("scikit-learn")
        try:
            found = self._client.run(_worker_versions())
        except Exception as exc:
            raise ClusterError(f"Could not ask the Dask workers at {self.address} for their "
                               f"versions: {_reason(exc)}.") from None
        missing = sorted(worker for worker, seen in found.items() if not seen["hpt_gui"])
        if missing:
            raise ClusterError(
                f"hpt-gui is not installed on the Dask worker(s) {', '.join(missing)}; "
                "install it there (pip install 'hpt-gui[cluster]') and restart the workers."
            )
        other = sorted(f"{worker} has {seen['scikit-learn']}" for worker, seen in found.items()
                       if seen["scikit-learn"] != here)
        if other:
            raise ClusterError(
                f"The Dask workers must run scikit-learn {here}, as this machine does, or the "
                f"scores would differ: {'; '.join(other)}."
            )

    def _scatter(self) -> Any:
        """The data, once on every worker (hash=False: a fresh copy per study)."""
        return self._client.scatter(self._context, broadcast=True, hash=False)

    def submit(self, number: int, params: Mapping[str, Any], fold: int) -> Future:
        future: Future = Future()
        try:
            if self._data.status != "finished":  # every worker holding it died: ship again
                self._data = self._scatter()
            task = self._client.submit(
                _run_on_cluster, self._data, number, dict(params), fold, pure=False,
                key=f"hpt-gui-trial{number}-fold{fold}-{uuid.uuid4().hex}",
            )
        except Exception as exc:
            raise ExecutorLost(self._lost_message(exc)) from None
        with self._lock:
            self._pending[task] = future
        task.add_done_callback(self._settle)
        return future

    def _settle(self, task: Any) -> None:
        """On Dask's callback thread: hand the task's outcome to the stdlib future."""
        with self._lock:
            future = self._pending.pop(task, None)
            closing = self._closing
        if future is None or not future.set_running_or_notify_cancel():
            return
        try:
            outcome: Any = task.result()
        except BaseException as exc:  # noqa: BLE001 - every outcome goes to the future
            outcome = self._translate(exc, task, closing)
            setter = future.set_exception
        else:
            setter = future.set_result
        try:
            setter(outcome)
        except InvalidStateError:
            pass

    def _translate(self, exc: BaseException, task: Any, closing: bool) -> BaseException:
        from concurrent.futures import CancelledError

        if is_dask_worker_death(exc):
            return WorkerDied(f"The Dask worker running this fit died ({type(exc).__name__}).")
        if isinstance(exc, CancelledError) or task.status == "cancelled":
            if closing:
                return exc
            return ExecutorLost(self._lost_message(exc))
        return exc

    def _lost_message(self, exc: BaseException) -> str:
        from concurrent.futures import CancelledError

        why = "" if isinstance(exc, CancelledError) else f" ({_reason(exc)})"
        return (f"Lost the connection to the Dask scheduler at {self.address}{why}; finished "
                "trials are saved, run the study again to continue.")

    def shutdown(self, *, cancel: bool = False) -> None:
        with self._lock:
            if self._closed:
                return
            self._closing = True
            tasks = list(self._pending)
        try:
            if cancel:
                for future in self._pending_futures():
                    future.cancel()
                if tasks:
                    self._client.cancel(tasks)
            elif tasks:
                from distributed import wait as dask_wait

                dask_wait(tasks)
        except Exception:  # the scheduler may be gone already; closing is all that is left
            pass
        finally:
            self._closed = True
            self._data = None
            _quiet_close(self._client)

    def _pending_futures(self) -> list[Future]:
        with self._lock:
            return list(self._pending.values())


def _quiet_close(client: Any) -> None:
    """Close the client; a client whose scheduler is gone logs its abandoned reconnection
    as a traceback, which says nothing the study's own message does not."""
    import logging

    log = logging.getLogger("distributed.client")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        client.close()
    finally:
        log.setLevel(level)


def _reason(exc: BaseException) -> str:
    """The exception's first line, or its class name."""
    try:
        text = str(exc).strip()
    except Exception:  # some of Dask's exceptions cannot describe themselves half-built
        text = ""
    return text.splitlines()[0] if text else type(exc).__name__
