"""The command line: ``hpt-gui models``, ``run``, ``export``, ``diagnose``, ``assess``,
``report``, ``compare`` and ``predict``.

``hpt-gui assess --project P --study S [--trial N] [--json] [--predictions OOF.csv]``
says how a trial (default: the best) errs, from its out-of-fold predictions on the
study's own folds (fitted once, then kept in the project): the usual metrics of its task,
the confusion matrix and per-class scores, and the permutation importance of each input.

``hpt-gui predict --model FILE.skops --data NEW.csv --out PRED.csv`` (or ``--project P.hpt
--study NAME [--trial N]`` instead of ``--model``) writes a new CSV of the input rows with
the model's predictions (and class probabilities) beside them; the input is only read.
A ``.skops`` model file runs no code when loaded and is checked for foreign types; naming
a pickle (any other suffix) on the command line is the user's statement that they trust
it.

It drives the same core as the window. Bad input ends with exit code 2 and one
sentence on stderr, never a traceback; an interrupted run keeps every finished trial
and is resumed by running the same command again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.default_search import DEFAULT_RANDOM_TRIALS, GRID_BY_DEFAULT_UP_TO, default_strategy
from .core.format import time_left

if TYPE_CHECKING:  # the core is imported where it is used, so `hpt-gui --help` starts fast
    from .core.diagnostics.importance import Importance
    from .core.diagnostics.summary import Diagnosis
    from .core.records import TrialRecord
    from .core.spec import StudySpec

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(ValueError):
    """Bad input on the command line."""


def _user_errors() -> tuple[type[Exception], ...]:
    """The command line's mistakes and the engine's sentences about the user's input."""
    from .core.engine import USER_ERRORS

    return (UsageError, *USER_ERRORS)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one sentence, exit code 2, as for all bad input
        raise SystemExit(_say(f"{message[0].upper()}{message[1:]} (see '{self.prog} --help').",
                              EXIT_BAD_INPUT))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hpt-gui",
        description="Tune the hyperparameters of scikit-learn models. With no command, "
        "the window opens.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    models = commands.add_parser("models", help="list the model catalog")
    models.add_argument("--json", action="store_true", help="print the catalog as JSON")
    models.add_argument("--task", choices=["classification", "regression"])

    run = commands.add_parser("run", help="run (or resume) a study")
    run.add_argument("--data", required=True, help="a CSV/TSV/Excel/Parquet file or demo:NAME")
    run.add_argument("--target", help="the column to predict (required for a data file; "
                     "demo sets: target)")
    run.add_argument("--keep-column", action="append", default=[], metavar="NAME",
                     help="learn from this column although the data checks set it aside "
                     "(probable leakage, a row identifier); repeat it for several columns")
    run.add_argument("--model", required=True, help="a model class name, see 'hpt-gui models'")
    run.add_argument("--space", type=Path, help="search space JSON (default: the model's)")
    run.add_argument("--strategy",
                     choices=["manual", "grid", "random", "tpe", "evolution", "halving"],
                     help=f"default: grid when it has at most {GRID_BY_DEFAULT_UP_TO} "
                     f"candidates, else random with {DEFAULT_RANDOM_TRIALS} trials")
    run.add_argument("--params", help="manual strategy: hand-set values as JSON")
    run.add_argument("--population", type=_positive_int, metavar="N",
                     help="evolution strategy: trials per generation (default 16)")
    run.add_argument("--evolution", choices=["auto", "cmaes", "nsga2"],
                     help="evolution strategy: CMA-ES, NSGA-II, or auto (default: CMA-ES when "
                     "every dimension is an unconditional number range, else NSGA-II)")
    run.add_argument("--factor", type=_halving_factor, metavar="F",
                     help="halving strategy: each rung keeps the best 1/F of its candidates "
                     "and gives them F times the resource (default 3)")
    run.add_argument("--min-resource", type=_positive_int, metavar="N",
                     help="halving strategy: the first rung's resource, in folds (default 1) "
                     "or in training rows per fold (default 20 per class, at least 50)")
    run.add_argument("--halving-resource", choices=["folds", "rows"],
                     help="halving strategy: stop weak candidates after fewer folds "
                     "(default) or after training on fewer rows")
    run.add_argument("--trials", type=_positive_int,
                     help="number of trials in all (halving: the starting candidates, drawn "
                     "at random; without it, the grid's points)")
    run.add_argument("--time-limit", type=_positive_float, metavar="SECONDS")
    run.add_argument("--trial-time-limit", type=_positive_float, metavar="SECONDS",
                     help="stop a fit (one fold of a trial) that takes longer; the trial "
                          "fails with the reason and the search goes on")
    run.add_argument("--cv", type=_positive_int, default=5,
                     help="number of folds, or of shuffle-splits (default 5)")
    run.add_argument("--scheme", choices=["kfold", "repeated", "shuffle", "group", "time"],
                     help="validation: k-fold (default; stratified for classes), repeated "
                     "k-fold, shuffle-split, group k-fold, time-series split")
    run.add_argument("--repeats", type=_positive_int, metavar="N",
                     help="repeated scheme: how many times the k-fold is repeated (default 3)")
    run.add_argument("--holdout", type=_fraction, metavar="FRACTION",
                     help="shuffle scheme: share of rows each split validates on (default 0.2)")
    run.add_argument("--group", metavar="COLUMN",
                     help="group scheme: the column whose rows stay together (not a feature)")
    run.add_argument("--test-size", type=_fraction, metavar="FRACTION",
                     help="hold out this share of rows as a test set, scored once at the end "
                     "for the best trial")
    run.add_argument("--nested", type=_positive_int, metavar="K",
                     help="nested cross-validation: run the whole search in each of K outer "
                     "folds, report their mean and spread, then search all rows")
    run.add_argument("--scoring", help="scikit-learn scorer name (default accuracy / r2)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--jobs", type=_positive_int, help="worker processes (default 1)")
    run.add_argument("--cluster", metavar="tcp://HOST:PORT",
                     help="run the fits on the Dask cluster whose scheduler listens there "
                     "(needs the cluster extra; not with --jobs: the workers' threads set how "
                     "many fits run at once)")
    run.add_argument("--task", choices=["classification", "regression"])
    run.add_argument("--project", required=True, type=Path, help="the project file")
    run.add_argument("--study", help="study name (default MODEL-STRATEGY)")
    run.add_argument("--take-over", action="store_true",
                     help="run the study although it is recorded as running on another "
                     "computer that cannot be asked: only when you are sure no other hpt-gui "
                     "runs it (a run that ended on this computer is taken over by itself)")
    run.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    export = commands.add_parser("export", help="export a study's trials, model or script")
    export.add_argument("--project", required=True, type=Path)
    export.add_argument("--study", required=True)
    export.add_argument("--csv", type=Path, help="the trial table, cv_results_ columns")
    export.add_argument("--model", type=Path, metavar="FILE.skops",
                        help="the best trial refit, with a .json sidecar; the suffix names "
                        "the format: .skops is the safe format (loading it runs no code), "
                        ".pkl, .pickle or any other suffix a pickle")
    export.add_argument("--script", type=Path, help="a Python script that rebuilds it")
    export.add_argument("--trial", type=int, help="export this trial number instead of the best")

    diagnose = commands.add_parser(
        "diagnose", help="underfitting or overfitting? the verdict on a study's trial")
    diagnose.add_argument("--project", required=True, type=Path)
    diagnose.add_argument("--study", required=True)
    diagnose.add_argument("--trial", type=int, help="diagnose this trial number (default: best)")
    diagnose.add_argument("--json", action="store_true", help="print the diagnosis as JSON")
    diagnose.add_argument("--learning-curve", action="store_true",
                          help="also fit the trial on growing shares of the rows (needs the "
                          "data)")
    diagnose.add_argument("--validation-curve", metavar="PARAM",
                          help="also fit the trial with PARAM across its range (needs the data)")
    diagnose.add_argument("--jobs", type=_positive_int,
                          help="worker processes for the curves (default: all cores)")

    assess = commands.add_parser(
        "assess", help="how a trial errs: out-of-fold metrics, confusion matrix, per-class "
        "scores and input importance")
    assess.add_argument("--project", required=True, type=Path)
    assess.add_argument("--study", required=True)
    assess.add_argument("--trial", type=int, help="assess this trial number (default: best)")
    assess.add_argument("--json", action="store_true", help="print the assessment as JSON")
    assess.add_argument("--predictions", type=Path, metavar="OOF.csv",
                        help="also write the out-of-fold predictions, one row per data row")
    assess.add_argument("--jobs", type=_positive_int,
                        help="worker processes for the fits, when the predictions are not "
                        "kept in the project yet (default 1)")

    report = commands.add_parser("report", help="write a study's report as one HTML file")
    report.add_argument("--project", required=True, type=Path)
    report.add_argument("--study", required=True)
    report.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    report.add_argument("--trial", type=int, help="diagnose this trial number (default: best)")

    compare = commands.add_parser(
        "compare", help="the studies of a project side by side: which is best, and how sure "
        "is its lead?")
    compare.add_argument("--project", required=True, type=Path)
    compare.add_argument("--studies", metavar="A,B,...",
                         help="the studies to compare, by name, comma-separated (default: all)")
    compare.add_argument("--rope", type=_equivalence_width, metavar="WIDTH",
                         help="two studies are practically equivalent when their mean scores "
                         "differ by less than this (default 0.01: one point on a 0-1 score; "
                         "on an error such as mean squared error, a share of the best's: "
                         "0.01 is 1 %%)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.add_argument("--csv", type=Path, metavar="FILE",
                         help="also write the table (one row per study) as a CSV file")

    predict = commands.add_parser(
        "predict", help="predict on new data with an exported model or a study's trial")
    predict.add_argument("--model", type=Path, metavar="FILE.skops",
                         help="an exported model file (its .json sidecar beside it): a .skops "
                         "file is loaded only if it holds nothing but hpt-gui's pipeline "
                         "types; any other suffix is a pickle, and naming it here says you "
                         "trust it, since a pickle can run code")
    predict.add_argument("--project", type=Path, help="or: the project of a study")
    predict.add_argument("--study", help="with --project: the study whose trial predicts")
    predict.add_argument("--trial", type=int,
                         help="with --project: this trial number (default: the best)")
    predict.add_argument("--data", required=True,
                         help="the new table: a CSV/TSV/Excel/Parquet file or demo:NAME")
    predict.add_argument("--out", required=True, type=Path,
                         help="the CSV to write: the input rows with the predictions")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value:g} must be above 0")
    return value


def _equivalence_width(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number (the equivalence width, e.g. 0.01)") from None
    if not (value >= 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(
            f"{text} must be a finite number of at least 0 (the equivalence width, e.g. 0.01)")
    return value


def _halving_factor(text: str) -> float:
    value = _positive_float(text)
    if not 1 < value <= 100:
        raise argparse.ArgumentTypeError(
            f"{value:g} must be above 1 and at most 100 (3 keeps the best third of the "
            "candidates at each rung)")
    return int(value) if value == int(value) else value


def _fraction(text: str) -> float:
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"{value:g} must be below 1 (a share of the rows, "
                                         "e.g. 0.2)")
    return value


def _say(message: str, code: int) -> int:
    print(f"hpt-gui: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        handler = {"models": _models, "run": _run, "export": _export, "diagnose": _diagnose,
                   "assess": _assess, "report": _report, "compare": _compare,
                   "predict": _predict}[args.command]
        _stop_on_terminate()
        _check_study_name(args)
        try:
            return handler(args)
        finally:
            _tidy_project(args)
    except KeyboardInterrupt:
        if args.command in ("diagnose", "assess", "report", "compare", "predict"):
            return _say("Interrupted; nothing was written.", EXIT_INTERRUPTED)
        if args.command == "export":  # each output is written whole or not at all
            return _say("Interrupted; the files not yet written are as they were.",
                        EXIT_INTERRUPTED)
        return _say("Interrupted. Finished trials are saved; run the same command again "
                    "to continue.", EXIT_INTERRUPTED)
    except BrokenPipeError:  # the reader went away (`hpt-gui diagnose | head`): stop quietly
        sys.stderr.close()
        return 0
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            return _say(str(exc), EXIT_BAD_INPUT)
        from .core.engine import RUN_FAILURES

        # The cluster went away mid-run; every trial failed: a sentence, trials kept.
        if isinstance(exc, RUN_FAILURES) and not args.debug:
            return _say(str(exc), EXIT_FAILED)
        if args.debug:
            raise
        return _say(f"Stopped on an unexpected error ({type(exc).__name__}: {exc}). "
                    "Run again with --debug for details.", EXIT_FAILED)


def _check_study_name(args: argparse.Namespace) -> None:
    """A blank --study, empty or spaces, is the same mistake in every command that takes
    one (run would otherwise fall back to its default name for the empty one)."""
    study = getattr(args, "study", None)
    if study is not None and not study.strip():
        raise UsageError("Give the study a name: --study is blank.")


def _tidy_project(args: argparse.Namespace) -> None:
    """The project is one file again when the command ends (no '-wal'/'-shm' beside it),
    unless another process still has it open."""
    project = getattr(args, "project", None)
    if project is not None:
        from .core.engine import fold_in_wal

        fold_in_wal(project)


def _stop_on_terminate() -> None:
    """`kill` (SIGTERM) stops a run like Ctrl-C: workers are ended, finished trials kept."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    from .core.interrupts import stop_now_or_soon

    def interrupt(signum: int, frame: Any) -> None:
        stop_now_or_soon()  # not while the worker pool starts its processes

    signal.signal(signal.SIGTERM, interrupt)


def _models(args: argparse.Namespace) -> int:
    from .core.catalog import MODELS, catalog_json

    if args.json:
        items = [m for m in catalog_json() if args.task in (None, m["task"])]
        print(json.dumps(items, indent=2))
        return EXIT_OK
    for info in MODELS.values():
        if args.task not in (None, info.task):
            continue
        print(f"{info.name}  ({info.task}) — {info.label}: {info.summary}")
        for hp in info.hyperparameters:
            print(f"    {hp.name}: {hp.label}. {hp.overfit}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from .core import engine
    from .core.catalog import get_model
    from .core.pipeline import describe_pipeline
    from .core.request import FLAGS, StudyRequest
    from .core.space import SearchSpace
    from .core.study import describe_cost

    validation = _validation(args)
    space = SearchSpace.load(args.space) if args.space else None
    params = _parse_params(args.params) if args.params else None
    if params and args.strategy != "manual":
        raise UsageError("--params sets a manual trial; add --strategy manual.")
    options = {key: value for key, value in (("population", args.population),
                                             ("algorithm", args.evolution)) if value is not None}
    if options and args.strategy != "evolution":
        raise UsageError("--population and --evolution set up an evolutionary search; add "
                         "--strategy evolution.")
    halving = {key: value for key, value in (("factor", args.factor),
                                             ("min_resource", args.min_resource),
                                             ("resource", args.halving_resource))
               if value is not None}
    if halving and args.strategy != "halving":
        raise UsageError("--factor, --min-resource and --halving-resource set up successive "
                         "halving; add --strategy halving.")
    request = StudyRequest(
        data=args.data, target=args.target, model=args.model, project=args.project,
        space=space, strategy=args.strategy or "grid", trials=args.trials,
        time_limit=args.time_limit, cv=args.cv, scoring=args.scoring, seed=args.seed,
        task=args.task, manual_params=params, options=options or halving or None,
        validation=validation, test_size=args.test_size, nested=args.nested,
        trial_time_limit=args.trial_time_limit, jobs=args.jobs, cluster=args.cluster,
        keep=tuple(args.keep_column))
    problems = request.problems(FLAGS)  # the rules the window shows, in the flags' words
    if problems:
        raise UsageError(problems[0])
    _check_target_named(args.data, args.target)
    strategy, trials = _default_strategy(args, space)
    name = args.study or f"{get_model(args.model).name}-{strategy}"
    # Where the study runs is not part of the study: the same spec resumes locally or on a
    # cluster. The cluster is reached before the project file is touched.
    launch = engine.prepare(replace(
        request, name=name, strategy=strategy, trials=trials,
        engine=engine.stored_engine(args.project, name),  # a stored study: with its rules
    ))
    plan, run_notes = launch.plan, list(launch.notes)
    for note in run_notes:  # as many workers as the cores and the fits use, said aloud
        print(f"hpt-gui: note: {note}", file=sys.stderr)
    bar = ProgressBar(enabled=not args.quiet)
    if not args.quiet:
        print(f"Study '{plan.spec.name}': {plan.spec.model} on {plan.dataset.n_rows:,} rows, "
              f"{describe_cost(plan)}, {launch.where}.", file=sys.stderr)
        print(f"  time: {_time_estimate(plan, args.project, launch.workers)}", file=sys.stderr)
        for note in plan.dataset.notes:
            print(f"  note: {note}", file=sys.stderr)
        aside = [leak.column for leak in plan.dataset.leaks if not leak.kept]
        if aside:
            print(f"  to keep a column set aside, add --keep-column NAME (e.g. --keep-column "
                  f"{_shell_word(aside[0])})", file=sys.stderr)
        if plan.spec.strategy == "evolution":
            from .core.strategies.evolution import describe_evolution

            print(f"  evolution: {describe_evolution(plan.spec.space, **plan.spec.options)}",
                  file=sys.stderr)
        print("  inside each fold: " + describe_pipeline(
            get_model(plan.spec.model), plan.dataset.numeric_features,
            plan.dataset.categorical_features).replace("\n", "; "), file=sys.stderr)
    result = engine.run(launch, on_progress=bar.update, take_over=args.take_over,
                        on_study=None if args.quiet else _search_started(bar))
    bar.close()
    summary = run_summary(result, plan.spec.scoring, plan.spec,
                          notes=[*plan.dataset.notes, *run_notes])
    if args.json:
        print(json.dumps(summary, indent=2))
    elif not args.quiet:
        _print_summary(summary)
    return EXIT_INTERRUPTED if result.status == engine.CANCELLED else EXIT_OK


def _check_target_named(data: str, target: str | None) -> None:
    """A data file needs --target (its last column is no safe guess); demo sets have one.

    The file is read first, so a file that cannot be read gets that sentence instead."""
    if target is not None or data.strip().lower().startswith("demo:"):
        return
    from .core.dataset import quote_list, read_table

    frame, _ = read_table(data)
    raise UsageError(f"Name the column to predict with --target; the columns are: "
                     f"{quote_list(frame.columns, limit=40)}.")


def _shell_word(text: str) -> str:
    """A column name as it is typed in a shell (quoted when it needs to be)."""
    import shlex

    return shlex.quote(text)


def _validation(args: argparse.Namespace) -> dict[str, Any] | None:
    """The validation scheme from --scheme and its options; a sentence for options that
    belong to another scheme (the scheme's own rules are the request's problems)."""
    scheme = args.scheme or "kfold"
    if scheme == "time" and (args.holdout is not None or args.repeats is not None):
        raise UsageError("A time-series split keeps the rows in file order and validates on "
                         "the rows after each training block, so it takes no --holdout or "
                         "--repeats; drop them, or choose --scheme shuffle or repeated.")
    for option, value, owner in (("--repeats", args.repeats, "repeated"),
                                 ("--holdout", args.holdout, "shuffle"),
                                 ("--group", args.group, "group")):
        if value is not None and scheme != owner:
            raise UsageError(f"{option} is an option of --scheme {owner}; add --scheme {owner}"
                             f"{'' if args.scheme is None else f' instead of {scheme}'}.")
    if args.scheme is None:
        return None
    options = {"repeats": args.repeats, "holdout": args.holdout, "group": args.group}
    return {"scheme": scheme, **{k: v for k, v in options.items() if v is not None}}


def _search_started(bar: ProgressBar) -> Any:
    return lambda name: bar.note(f"  search: '{name}'")


def _default_strategy(args: argparse.Namespace, space: Any) -> tuple[str, int | None]:
    """Grid when it is small; otherwise a random search, said out loud."""
    if args.strategy is not None:
        return args.strategy, args.trials
    from .core.catalog import get_model
    from .core.space import SpaceError

    space = space if space is not None else get_model(args.model).default_space
    try:
        size = len(space.grid())
    except SpaceError:
        size = None
    strategy, default_trials = default_strategy(size)
    if strategy == "grid":
        return "grid", args.trials
    trials = args.trials
    if trials is None and args.time_limit is None:
        trials = default_trials
    if not args.quiet:
        grid = f"{size:,} grid points" if size else "too many grid points to list"
        print(f"The search space has {grid}; running a random search instead "
              "(add --strategy grid to insist).", file=sys.stderr)
    return "random", trials


def _parse_params(text: str) -> dict[str, Any]:
    from .core.json_depth import too_deep

    if too_deep(text):  # the JSON parser would recurse past Python's limit
        raise UsageError('--params must be a JSON object, e.g. \'{"max_depth": 3}\', not '
                         "brackets nested this deeply.")
    try:
        params = json.loads(text)
    except json.JSONDecodeError:
        raise UsageError('--params must be a JSON object, e.g. \'{"max_depth": 3}\'.') from None
    if not isinstance(params, dict):
        raise UsageError('--params must be a JSON object, e.g. \'{"max_depth": 3}\'.')
    return params


def run_summary(result: Any, scoring: str, spec: StudySpec | None = None,
                notes: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON summary of a run (the keys scripts rely on); ``notes`` are the data's
    (probable leakage, row identifiers, duplicate rows, ...), each naming its column, and
    the settings lowered to what the machine can do (the worker processes)."""
    from .core.failures import failure_causes
    from .core.records import count_states
    from .core.strategies.halving import halving_saving

    best = result.best
    results = result.results or {}
    return {
        "study": result.spec_name,
        "project": str(result.project),
        "status": result.status,
        "scoring": scoring,
        "best_trial": best.number if best else None,
        "best_score": best.mean_test_score if best else None,
        "best_std": best.std_test_score if best else None,
        # how many folds best_std (numpy's standard deviation, as std_test_score) is over
        "best_folds": len(best.test_scores) if best else None,
        "best_params": best.params if best else None,
        "trials": count_states(result.trials),
        "new_trials": result.new_trials,
        "elapsed_seconds": round(result.elapsed, 3),
        # The chosen trial refit on the searched rows, scored once on the held-out test set.
        "test_score": results.get("test_score"),
        "test_trial": results.get("test_trial"),
        # Nested cross-validation's honest estimate: each outer fold's score, mean, spread.
        "nested_scores": results.get("nested_scores"),
        "nested_mean": results.get("nested_mean"),
        "nested_std": results.get("nested_std"),
        # Successive halving's saving: fits done (and, on rows, their work in full-data
        # fits) against the fits of every starting candidate on every fold.
        "halving": halving_saving(spec, result.trials) if spec is not None else None,
        # Why trials failed, most frequent cause first (the first such trial's message).
        "failures": [cause.to_json() for cause in failure_causes(result.trials)],
        # What the checks said about the data (and the settings) before tuning, as sentences.
        "notes": list(notes),
        # What the results themselves make suspect (a near-perfect score), as sentences.
        "warnings": _result_warnings(scoring, best.mean_test_score if best else None),
    }


def _result_warnings(scoring: str, best_score: float | None) -> list[str]:
    from .core.diagnostics.summary import perfect_note

    return perfect_note(scoring, best_score) if best_score is not None else []


def _print_summary(summary: dict[str, Any]) -> None:
    counts = ", ".join(f"{n} {state.lower()}" for state, n in summary["trials"].items() if n)
    print(f"Study '{summary['study']}' {summary['status']}: {counts or 'no trials'} "
          f"({summary['new_trials']} new, {summary['elapsed_seconds']:.1f} s).")
    failures = summary.get("failures") or []
    if failures:
        from .core.failures import FailureCause, describe_failures

        causes = [FailureCause(f["cause"], f["trials"], f["example_trial"]) for f in failures]
        print("Failed trials, by cause:")
        for line in describe_failures(causes):
            print(f"  {line}")
    if summary["best_trial"] is None:
        print("No trial completed; see the failed trials' errors with 'hpt-gui export --csv'.")
        return
    print(f"Best {summary['scoring']}: {summary['best_score']:.4g} "
          f"({_spread_words(summary['best_std'], summary.get('best_folds'), 'folds')}; trial "
          f"{summary['best_trial']}) with {json.dumps(summary['best_params'])}")
    for warning in summary.get("warnings") or []:
        print(f"Warning: {warning}")
    if summary["test_trial"] is not None and summary["test_score"] is not None:
        print(f"Test {summary['scoring']}: {summary['test_score']:.4g} (trial "
              f"{summary['test_trial']} refit without the test rows, scored on them once).")
    if summary["nested_mean"] is not None:
        scores = ", ".join(f"{s:.4g}" if s is not None else "none"
                           for s in summary["nested_scores"])
        scored = sum(s is not None for s in summary["nested_scores"])
        print(f"Nested CV estimate of the tuned model: {summary['nested_mean']:.4g} "
              f"({_spread_words(summary['nested_std'], scored, 'outer folds')}: {scores}).")
    if summary.get("halving"):
        from .core.strategies.halving import describe_saving

        text = describe_saving(summary["halving"])
        print(f"{text[0].upper()}{text[1:]}.")
    print(f"Saved in {summary['project']}.")


def _spread_words(std: float | None, folds: int | None, what: str) -> str:
    """'std 0.021 over 5 folds': which spread a score has, over how many folds (none over
    one fold: a single split has no spread)."""
    if folds == 1:
        return f"one {what.removesuffix('s')} only, so no spread"
    if std is None:
        return "no spread"
    over = f" over {folds} {what}" if folds else f" over the {what}"
    return f"std {std:.2g}{over}"


def _time_estimate(plan: Any, project: Path, workers: int) -> str:
    """The run's time from this model's earlier trials, or where it will come from."""
    from .core.eta import estimate_run_time

    estimate = estimate_run_time(plan, project, workers)
    if estimate is not None:
        return estimate.describe(workers)
    if plan.spec.time_limit is not None:
        return f"at most {time_left(plan.spec.time_limit)} (the time limit) per search"
    return "estimated from the first trials, on the progress line below"


class ProgressBar:
    """A one-line progress bar on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, enabled: bool = True, width: int = 30, noun: str = "trials") -> None:
        self.enabled = enabled
        self.width = width
        self.noun = noun
        self._tty = sys.stderr.isatty()
        self._last_tenth = -1
        self._drawn = False
        self._estimated = False

    def update(self, progress: Any) -> None:
        if not self.enabled:
            return
        if progress.total:
            share = min(1.0, progress.done / progress.total)
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            count = f"{progress.done:,}/{progress.total:,} {self.noun}"
        else:
            share, bar, count = 0.0, "", f"{progress.done:,} {self.noun}"
        best = (f"  best {progress.best.mean_test_score:.4g}"
                if progress.best is not None else "")
        eta = f"  ETA {time_left(progress.eta)}" if progress.eta is not None else ""
        line = f"[{bar}] {count}{best}{eta}" if bar else f"{count}{best}{eta}"
        if not self._estimated and progress.eta is not None and progress.done >= min(
                5, progress.total or 5):  # a few trials: the first ones include start-up
            self._estimated = True  # once, in words: the first trials' measure of the run
            self.note(f"  time: about {time_left(progress.elapsed + progress.eta)} in all, "
                      f"from the first {progress.done:,} "
                      f"{self.noun.removesuffix('s') if progress.done == 1 else self.noun}")
        if self._tty:
            print(f"\r{line:<79}", end="", file=sys.stderr, flush=True)
            self._drawn = True
        elif int(share * 10) > self._last_tenth:
            self._last_tenth = int(share * 10)
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and self._drawn:
            print(file=sys.stderr)

    def note(self, text: str) -> None:
        """A line of its own, above the bar (which is drawn again on the next update)."""
        self.close()
        self._drawn = False
        print(text, file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from .core import engine
    from .core.model_file import sidecar_path
    from .core.output_files import check_outputs

    if not (args.csv or args.model or args.script):
        raise UsageError("Say what to export: --csv, --model and/or --script.")
    if not args.project.exists():
        raise UsageError(f"The project file '{args.project}' does not exist.")
    started = time.monotonic()
    row, trials = engine.read_study(args.project, args.study)
    written = []
    protect = [args.project, row.spec.data]
    sidecar = sidecar_path(args.model) if args.model else None
    _check_sidecar_apart(sidecar, args.csv, args.script)
    # refused before any work: a kept file, or two outputs that are one file
    check_outputs([args.csv, args.model, sidecar, args.script], protect)
    if args.csv:
        engine.export_csv(trials, args.csv, protect=protect)
        written.append(str(args.csv))
    if args.model:
        sidecar = engine.export_model(row.spec, trials, args.model, trial_number=args.trial,
                                      protect=protect)
        written += [str(args.model), str(sidecar)]
    if args.script:
        engine.export_script(row.spec, trials, args.script, trial_number=args.trial,
                             protect=protect)
        written.append(str(args.script))
    print(f"Wrote {', '.join(written)} ({time.monotonic() - started:.1f} s).", file=sys.stderr)
    return EXIT_OK


def _check_sidecar_apart(sidecar: Path | None, *others: Path | None) -> None:
    """The model's sidecar is an output the user did not name: say so when another output
    is that file."""
    from .core.output_files import OutputError, same_file

    for other in others:
        if sidecar is not None and other is not None and same_file(sidecar, other):
            raise OutputError(f"'{other}' is the same file as the model's sidecar "
                              f"('{sidecar}', written beside --model), so one would "
                              "overwrite the other; give it another file name.")


# --------------------------------------------------------------------------- diagnose


def _diagnose(args: argparse.Namespace) -> int:
    from .core.diagnostics.importance import param_importance
    from .core.diagnostics.summary import diagnose
    from .core.jsonable import jsonable
    from .core.records import TrialFrame

    spec, trials, notes = _read_study(args.project, args.study)
    frame = TrialFrame.from_trials(trials)
    # The trial is checked (and the best found) before any data is loaded or fitted.
    number = diagnose(spec, trials, args.trial, frame=frame, with_curves=False).trial
    params = next(t.params for t in trials if t.number == number)
    curves = args.learning_curve or args.validation_curve is not None
    if args.validation_curve is not None:
        _check_curve_param(spec, args.validation_curve)
    context = _study_context(spec, notes, needed=curves)
    baseline = _baseline(context)
    jobs = args.jobs or os.cpu_count() or 1
    learning = validation = None
    if args.learning_curve:
        learning = _learning_curve(context, params, jobs)
        if not learning.x:
            notes.append("No learning curve: the folds are too small to cut into smaller "
                         "training sets that still hold every class.")
    if args.validation_curve is not None:
        validation = _validation_curve(spec, context, params, args.validation_curve, jobs)
    diagnosis = diagnose(spec, trials, number, frame=frame, baseline=baseline,
                         learning=learning, validation=validation, notes=notes)
    importance = param_importance(frame, spec.space, seed=spec.seed)
    if args.json:
        payload = diagnosis.to_json()
        payload["importance"] = importance.to_json()
        print(json.dumps(jsonable(payload), indent=2, allow_nan=False))
    else:
        _print_diagnosis(spec, trials, diagnosis, importance)
    return EXIT_OK


def _read_study(project: Path, name: str) -> tuple[Any, list[Any], list[str]]:
    """The study's spec and trials; the project is only read (and never created)."""
    from .core.engine import read_study
    from .core.records import TrialState

    _check_project_file(project)
    row, trials = read_study(project, name)
    notes = []
    if row.status == "running":
        done = sum(t.state is TrialState.COMPLETE for t in trials)
        notes.append(f"The study is still running; this covers the {done:,} trials that had "
                     "completed when it was read.")
    return row.spec, trials, notes


def _check_project_file(project: Path) -> None:
    """Commands that read a project refuse a missing file (never create one) or a folder."""
    if not project.exists():
        raise UsageError(f"The project file '{project}' does not exist.")
    if project.is_dir():
        raise UsageError(f"'{project}' is a folder; give a project file name.")


def _read_results(project: Path, name: str) -> dict[str, Any] | None:
    """The held-out test score or nested CV's estimate stored for the study, if any."""
    from .core.engine import results

    return results(project, name)


def _study_context(spec: Any, notes: list[str], *, needed: bool,
                   data_notes: list[str] | None = None) -> Any:
    """The study's data and splits, or None (with a note) when they cannot be loaded;
    ``data_notes`` receives what the data checks say about that data."""
    from .core.diagnostics.curves import context_for_spec
    from .core.export import load_study_data

    try:
        dataset = load_study_data(spec)
        if data_notes is not None:
            data_notes.extend(dataset.notes)
        return context_for_spec(spec, dataset)
    except (*_user_errors(), OSError) as exc:
        reason = str(exc) or type(exc).__name__
        if needed:
            raise UsageError("The curves refit the model on the study's data, which could "
                             f"not be loaded: {reason[:1].lower()}{reason[1:]}") from None
        notes.append("The verdict leaves out the comparison with a constant prediction, "
                     f"because the study's data could not be loaded: {reason[:1].lower()}"
                     f"{reason[1:]}")
        return None


def _baseline(context: Any) -> float | None:
    from .core.diagnostics.baseline import baseline_score

    return baseline_score(context) if context is not None else None


def _check_curve_param(spec: Any, name: str) -> None:
    """A validation curve varies one of the model's hyperparameters; else a sentence."""
    import difflib

    from .core.catalog import get_model

    searched = list(spec.space.names)
    others = [hp.name for hp in get_model(spec.model).hyperparameters
              if hp.name not in searched]
    if name in searched or name in others:
        return
    close = difflib.get_close_matches(name, searched + others, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listed = ", ".join(searched) if searched else "none"
    more = f"; {spec.model} also has {', '.join(others)}" if others else ""
    raise UsageError(f"The study '{spec.name}' has no hyperparameter '{name}'{hint}: it "
                     f"searched {listed}{more}.")


def _curve_progress(noun: str) -> Any:
    """A progress bar on a terminal; silence in scripts and logs."""
    from types import SimpleNamespace

    bar = ProgressBar(enabled=sys.stderr.isatty(), noun=noun)

    def report(done: int, total: int) -> None:
        bar.update(SimpleNamespace(done=done, total=total, best=None, eta=None))

    return bar, report


def _learning_curve(context: Any, params: dict[str, Any], jobs: int) -> Any:
    from .core.diagnostics.curves import learning_curve
    from .core.engine import make_executor

    bar, report = _curve_progress("learning-curve fits")
    try:
        return learning_curve(context, params, lambda c: make_executor(c, jobs),
                              on_progress=report)
    finally:
        bar.close()


def _validation_curve(spec: Any, context: Any, params: dict[str, Any], name: str,
                      jobs: int) -> Any:
    from .core.diagnostics.curves import dimension_for, validation_curve, validation_values
    from .core.engine import make_executor

    values = validation_values(dimension_for(spec, name), params.get(name))
    bar, report = _curve_progress(f"{name} curve fits")
    try:
        with make_executor(context, jobs) as executor:
            return validation_curve(context, params, name, values, executor,
                                    on_progress=report)
    finally:
        bar.close()


def _print_diagnosis(spec: StudySpec, trials: list[TrialRecord], diagnosis: Diagnosis,
                     importance: Importance) -> None:
    from .core.diagnostics.verdict import metric_words, shown, verdict_phrase
    from .core.format import number

    by_number = {t.number: t for t in trials}
    verdict, choice = diagnosis.verdict, diagnosis.choice
    which = " (the best)" if diagnosis.trial == choice.best else ""
    print(f"Study '{spec.name}', {spec.model}, {metric_words(spec.scoring)}: trial "
          f"{diagnosis.trial}{which}: {verdict_phrase(verdict.verdict)}.")
    print(verdict.sentence)
    for label, trial_number in (("Best trial", choice.best), ("One-SE trial", choice.one_se)):
        trial = by_number.get(trial_number)
        if trial is None:
            continue
        print(f"{label} {trial.number}: validation {shown(spec.scoring, trial.mean_test_score)}"
              f" (std {number(trial.std_test_score)} over folds), training "
              f"{shown(spec.scoring, trial.mean_train_score)}; {json.dumps(trial.params)}")
    print(choice.explanation)
    if importance.names:
        top = ", ".join(f"{name} {100 * value:.0f} %"
                        for name, value in zip(importance.names[:3], importance.values[:3],
                                               strict=True))
        print(f"Importance (share of the score's variance): {top}.")
    elif importance.note:
        print(f"Importance: {importance.note[:1].lower()}{importance.note[1:]}")
    if importance.within:
        apart = ", ".join(f"{name} {100 * share:.0f} % (when {where})"
                          for name, share, where in importance.within)
        print(f"Importance within the trials where it applies (not part of the shares "
              f"above): {apart}.")
    for curve, label in ((diagnosis.learning, "Learning curve (rows: validation)"),
                         (diagnosis.validation, None)):
        if curve is None or not curve.x:
            continue
        label = label or f"Validation curve of {curve.param} (value: validation)"
        points = ", ".join(
            f"{_curve_x(x, rows=curve.kind == 'learning')}: {shown(spec.scoring, mean)}"
            for x, mean in zip(curve.x, curve.test_mean, strict=True))
        print(f"{label}: {points}.")
    for note in diagnosis.notes:
        print(f"Note: {note}")


def _curve_x(value: Any, *, rows: bool) -> str:
    if rows:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value) if not isinstance(value, str) else value


# --------------------------------------------------------------------------- report


def _report(args: argparse.Namespace) -> int:
    from .core import engine, export
    from .core.diagnostics.importance import param_importance
    from .core.diagnostics.summary import diagnose
    from .core.records import TrialFrame
    from .core.report import write_report
    from .report_pictures import render_pictures  # the window's plots, drawn offscreen

    spec, trials, notes = _read_study(args.project, args.study)
    protect = [args.project, spec.data]
    export.check_output_path(args.out, protect)  # refuse before any work
    frame = TrialFrame.from_trials(trials)
    number = diagnose(spec, trials, args.trial, frame=frame, with_curves=False).trial
    data_notes: list[str] = []
    baseline = _baseline(_study_context(spec, notes, needed=False, data_notes=data_notes))
    diagnosis = diagnose(spec, trials, number, frame=frame, baseline=baseline, notes=notes)
    importance = param_importance(frame, spec.space, seed=spec.seed)
    # how the trial errs, when its out-of-fold predictions are kept (a report never fits)
    predictions = engine.stored_predictions(args.project, args.study, number)
    path = write_report(spec, trials, diagnosis, args.out, renderer=render_pictures,
                        importance=importance, results=_read_results(args.project, args.study),
                        protect=protect, data_notes=data_notes, predictions=predictions)
    print(path)
    return EXIT_OK


# --------------------------------------------------------------------------- assess


def _assess(args: argparse.Namespace) -> int:
    from .core import engine
    from .core.jsonable import jsonable
    from .core.output_files import check_output

    spec, _, notes = _read_study(args.project, args.study)
    protect = [args.project, spec.data]
    if args.predictions is not None:
        check_output(args.predictions, protect)  # refused before any work
    bar, report = _curve_progress("out-of-fold fits")
    try:
        predictions = engine.predictions(args.project, args.study, args.trial,
                                         jobs=args.jobs or 1, on_progress=report)
    finally:
        bar.close()
    assessment = engine.assess_predictions(predictions)
    if args.predictions is not None:
        engine.write_predictions_csv(predictions, args.predictions, protect)
        print(f"Wrote {args.predictions}.", file=sys.stderr)
    if args.json:
        payload = assessment.to_json()
        payload["notes"] = notes
        print(json.dumps(jsonable(payload), indent=2, allow_nan=False))
    else:
        _print_assessment(spec, assessment, notes)
    return EXIT_OK


def _print_assessment(spec: StudySpec, assessment: Any, notes: list[str]) -> None:
    """The metrics, the confusion matrix, the per-class scores and the inputs, as text."""
    from .core.format import number
    from .core.score_words import metric_words

    print(f"Study '{spec.name}', trial {assessment.trial} ({assessment.task}): out-of-fold "
          f"predictions for {assessment.rows:,} rows.")
    width = max(map(len, assessment.metrics), default=0)
    for name, value in assessment.metrics.items():
        print(f"  {name:<{width}}  {number(value)}")
    if assessment.confusion_matrix is not None:
        labels = [str(label) for label in assessment.confusion_matrix["labels"]]
        counts = assessment.confusion_matrix["counts"]
        cell = max(6, *(len(label) for label in labels),
                   *(len(str(c)) for row in counts for c in row))
        print("\nConfusion matrix (rows: true class; columns: predicted class):")
        print(" " * (cell + 2) + "".join(f"{label:>{cell + 1}}" for label in labels))
        for label, row in zip(labels, counts, strict=True):
            print(f"  {label:<{cell}}" + "".join(f"{c:>{cell + 1}}" for c in row))
        print("\nPer class:     precision  recall      f1  support")
        for label, scores in (assessment.per_class or {}).items():
            print(f"  {label:<12}{scores['precision']:>10.3f}{scores['recall']:>8.3f}"
                  f"{scores['f1']:>8.3f}{scores['support']:>9,}")
    if assessment.importance:
        change = "rise" if spec.scoring.startswith("neg_") else "drop"  # an error grows
        print(f"\nInputs ({change} in {metric_words(spec.scoring)} when the column is "
              "shuffled in the validation rows; mean ± std over splits and shuffles):")
        ranked = sorted(assessment.importance.items(), key=lambda kv: -kv[1]["mean"])
        width = max(len(name) for name, _ in ranked)
        for name, value in ranked:
            print(f"  {name:<{width}}  {number(value['mean'])} ± {number(value['std'])}")
    for note in [assessment.note, *notes]:
        if note:
            print(f"\n{note}")


# --------------------------------------------------------------------------- compare


def _compare(args: argparse.Namespace) -> int:
    from .core import engine
    from .core.compare_csv import write_comparison_csv
    from .core.jsonable import jsonable
    from .core.output_files import check_output

    _check_project_file(args.project)
    rows = engine.studies(args.project)
    names = _chosen_studies(args.studies, [row.name for row in rows])
    protect = [args.project, *(row.spec.data for row in rows)]
    if args.csv is not None:
        check_output(args.csv, protect)  # refused before any work
    comparison = engine.compare(engine.study_trials(args.project, names), args.rope)
    if args.csv is not None:
        write_comparison_csv(comparison, args.csv, protect)
        print(f"Wrote {args.csv}.", file=sys.stderr)
    if args.json:
        print(json.dumps(jsonable(comparison.to_json()), indent=2, allow_nan=False))
    else:
        _print_comparison(comparison)
    return EXIT_OK


def _chosen_studies(text: str | None, known: list[str]) -> list[str]:
    """The names asked for, in their order (default: every study); an unknown name is a
    sentence naming the studies there are."""
    if not known:
        raise UsageError("The project has no study yet; run two or more studies on the same "
                         "data to compare them.")
    if text is None:
        return known
    names = list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        listed = ", ".join(f"'{name}'" for name in known)
        what = (f"no study named {', '.join(repr(n) for n in unknown)}" if unknown
                else "no study name in --studies")
        raise UsageError(f"The project has {what}; its studies are {listed}.")
    return names


def _print_comparison(comparison: Any) -> None:
    """A table (one row per study) and the sentences under it."""
    from .core.compare import p_text, percent
    from .core.diagnostics.verdict import metric_words, shown
    from .core.format import duration, number

    header = ("study", "model", "search", "trials", "best (± std)", "1-SE", "fit time",
              "verdict", "p", "best better / equivalent / this better")
    lines = [header]
    for s in comparison.studies:
        versus = s.versus
        test = versus.test if versus else None
        bayes = versus.bayes if versus else None
        best = (f"{shown(s.scoring, s.best_mean)} ± {number(s.best_std)}"
                if s.best_mean is not None else "n/a")
        chances = (" / ".join(percent(p) for p in (
            bayes.probability_a_better, bayes.probability_equivalent,
            bayes.probability_b_better)) if bayes is not None else "")
        lines.append((s.name, s.model, s.strategy, f"{s.trials:,}", best,
                      shown(s.scoring, s.one_se_mean), duration(s.best_fit_time) or "n/a",
                      s.verdict or "n/a",
                      p_text(test.p) if test is not None and test.tested else "", chances))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
              .rstrip())
    if comparison.scoring:
        print(f"Scores: {metric_words(comparison.scoring)} of each study's best trial, the "
              "mean over its folds ± their standard deviation; fit time: the best trial's "
              "mean per fold. p: the corrected resampled t-test against the best. The "
              "chances (correlated Bayesian t-test) that the best is better, that the two "
              f"are practically equivalent (within ±{comparison.margin()}), that this study "
              "is better.")
    print()
    print(comparison.conclusion)
    for s in comparison.studies:
        said = s.versus.sentence if s.versus else s.reason
        print(f"- {s.name}: {said}")


# --------------------------------------------------------------------------- predict


def _predict(args: argparse.Namespace) -> int:
    from .core import engine, predict
    from .core.model_file import needs_trust, sidecar_path

    if (args.model is None) == (args.project is None):
        raise UsageError("Say which model predicts: --model FILE (.skops or .pkl), or "
                         "--project and --study (not both).")
    if args.model is not None and (args.study is not None or args.trial is not None):
        raise UsageError("--study and --trial go with --project, not with --model.")
    if args.project is not None and args.study is None:
        raise UsageError("--project needs --study: the study whose trial predicts.")
    if args.model:
        protect = [args.model, sidecar_path(args.model)]
    else:  # the project and the data its study ran on
        protect = [args.project, predict.read_study(args.project, args.study)[0].data]
    predict.check_out_path(args.data, args.out, protect)  # refuse before any work
    started = time.monotonic()
    if args.model is not None:
        if needs_trust(args.model):  # a .skops file is checked instead of trusted
            print(f"hpt-gui: warning: '{args.model}' is a pickle, which can run code when "
                  "loaded; it is loaded because you named it on the command line.",
                  file=sys.stderr)
        model = engine.model_from_file(args.model, trusted=True)
    else:  # the new table is checked before the (perhaps long) refit
        from .core.dataset import read_table

        needs = predict.study_needs(args.project, args.study)
        predict.check_columns(read_table(args.data)[0], needs)  # missing columns, numbers
        model = engine.model_from_study(args.project, args.study, args.trial)
    path, notes, rows = engine.predict(model, args.data, args.out, protect=protect)
    print(f"Predicted {rows:,} row{'s' if rows != 1 else ''}, wrote {path} "
          f"({time.monotonic() - started:.1f} s).", file=sys.stderr)
    for note in [*model.notes, *notes]:
        print(f"  note: {note}", file=sys.stderr)
    return EXIT_OK
