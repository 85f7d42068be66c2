"""A study's report as one standalone HTML file: settings, verdict, choice, trials, plots.

The file needs nothing beside it (styles inline, pictures embedded as base64 PNG), so it
can be mailed or archived. Everything the user typed (study names, columns, parameter
values) is escaped. The pictures are drawn by the window's plotting code, which needs Qt:
the caller passes them in drawn (``images``) or passes a ``PictureRenderer`` that draws
them (``hpt_gui.report_pictures`` for the command line). This module only embeds PNG
bytes, so it stays Qt-free and never imports the window.
"""

from __future__ import annotations

import base64
import html
import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from .diagnostics.importance import Importance
from .diagnostics.scores import TOP_TRIALS, ranked_rows
from .diagnostics.summary import Diagnosis
from .diagnostics.verdict import metric_words, shown
from .export import check_output_path, writing
from .format import number
from .output_files import write_atomically
from .predictions import Predictions
from .records import TrialFrame, TrialRecord, count_states
from .report_errors import errors_section, usable_predictions
from .spec import StudySpec
from .validation import describe_estimate, describe_validation

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 70em; padding: 0 1em; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f4f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace;
            font-size: 0.9em; }
pre { background: #f7f7f9; padding: 0.8em; overflow-x: auto; border: 1px solid #e4e4e8; }
.verdict { font-size: 1.15em; padding: 0.6em 0.9em; border-left: 6px solid #888;
           background: #fafafa; }
.verdict.overfitting { border-color: #c0392b; }
.verdict.underfitting { border-color: #d68910; }
.verdict.good-fit { border-color: #1e8449; }
.verdict.not-enough-evidence { border-color: #7f8c8d; }
tr.best td { background: #eef7ee; }
figure { margin: 1.2em 0; }
figure img { max-width: 100%; border: 1px solid #e4e4e8; }
figcaption { color: #555; font-size: 0.95em; }
.notes li { color: #7a4a00; }
"""


class PictureRenderer(Protocol):
    """Draws a study's pictures as (title, PNG bytes) pairs, in the order shown. The
    window's plotting code is one (it needs Qt, so the core is handed it, never imports
    it). It may raise: ``draw_pictures`` turns a failure into a sentence. ``predictions``
    (the reported trial's out-of-fold predictions) is passed only when there are some, so
    a renderer without that parameter still serves a report without them."""

    def __call__(self, spec: StudySpec, trials: Sequence[TrialRecord], diagnosis: Diagnosis,
                 importance: Importance | None = None,
                 predictions: Predictions | None = None) -> Sequence[tuple[str, bytes]]: ...


def draw_pictures(
    renderer: PictureRenderer,
    spec: StudySpec,
    trials: Sequence[TrialRecord],
    diagnosis: Diagnosis,
    importance: Importance | None = None,
    predictions: Predictions | None = None,
) -> tuple[list[tuple[str, bytes]], str | None]:
    """The renderer's pictures and ``None``; or no pictures and the sentence saying why,
    since a broken picture (or plotting code that cannot be loaded) must not cost the
    whole report."""
    extra = {} if predictions is None else {"predictions": predictions}
    try:
        return list(renderer(spec, trials, diagnosis, importance=importance, **extra)), None
    except ImportError as exc:
        return [], ("The pictures could not be drawn (the plotting code could not be loaded: "
                    f"{exc}); the numbers above are complete without them.")
    except Exception as exc:
        return [], (f"The pictures could not be drawn ({type(exc).__name__}: {exc}); the "
                    "numbers above are complete without them.")


def write_report(
    spec: StudySpec,
    trials: Sequence[TrialRecord],
    diagnosis: Diagnosis,
    path: str | Path,
    *,
    images: Sequence[tuple[str, bytes]] = (),
    renderer: PictureRenderer | None = None,
    importance: Importance | Mapping[str, Any] | None = None,
    results: Mapping[str, Any] | None = None,
    protect: Sequence[str | Path] = (),
    data_notes: Sequence[str] = (),
    predictions: Predictions | None = None,
) -> Path:
    """Write the study's HTML report to ``path``; never over a file in ``protect``.

    ``images`` are (title, PNG bytes) pairs, embedded in order with the title as their
    alt text and caption; or ``renderer`` draws them once the path is accepted, and when
    it fails the report says so in its notes (``draw_pictures``). ``importance`` is an
    ``Importance`` (or its ``to_json()``). ``predictions``: the reported trial's out-of-fold
    predictions, for the section on how it errs (and its pictures); others are ignored.
    The file is written to a temporary name beside ``path`` and moved into place, so a
    failed write never leaves half a report.
    """
    if images and renderer is not None:
        raise ValueError("give the report its pictures drawn or a renderer, not both")
    path = check_output_path(path, [*protect, spec.data])
    predictions = usable_predictions(predictions, spec, trials, diagnosis.trial)
    if renderer is not None:
        drawn_importance = importance if isinstance(importance, Importance) else None
        images, trouble = draw_pictures(renderer, spec, trials, diagnosis, drawn_importance,
                                        predictions)
        if trouble:
            diagnosis = replace(diagnosis, notes=(*diagnosis.notes, trouble))
    text = render_report(spec, trials, diagnosis, images=images, importance=importance,
                         results=results, data_notes=data_notes, predictions=predictions)
    with writing(path):
        write_atomically(path, text)
    return path


def render_report(
    spec: StudySpec,
    trials: Sequence[TrialRecord],
    diagnosis: Diagnosis,
    *,
    images: Sequence[tuple[str, bytes]] = (),
    importance: Importance | Mapping[str, Any] | None = None,
    results: Mapping[str, Any] | None = None,
    data_notes: Sequence[str] = (),
    predictions: Predictions | None = None,
) -> str:
    """The report's HTML as text; ``results`` are what the run measured beyond its trials
    (``ProjectStore.results``: the held-out test score, nested CV's estimate);
    ``data_notes`` what the checks said about the study's data (``Dataset.notes``);
    ``predictions`` the reported trial's out-of-fold predictions (others are ignored and
    the section says how to get them)."""
    predictions = usable_predictions(predictions, spec, trials, diagnosis.trial)
    from .. import __version__

    frame = TrialFrame.from_trials(trials)
    title = f"hpt-gui report: {spec.name}"
    counts = ", ".join(f"{n:,} {state.lower()}" for state, n in count_states(trials).items()
                       if n) or "no trials"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>Study {_e(spec.name)}</h1>",
        f'<p class="sub">{_e(spec.model)} on {_e(spec.data)}, target {_e(spec.target)}; '
        f"{_e(metric_words(spec.scoring))}, {_e(describe_validation(spec))}; {_e(counts)}. "
        f"Written {_e(time.strftime('%Y-%m-%d %H:%M'))} by hpt-gui {_e(__version__)}.</p>",
        _verdict_section(diagnosis),
        _data_section(data_notes),
        _estimate_section(spec, results),
        _choice_section(spec, frame, trials, diagnosis),
        _top_trials_section(spec, frame, trials, diagnosis),
        errors_section(spec, predictions, diagnosis.trial),
        _importance_section(importance),
        _curves_section(spec, diagnosis),
        _pictures_section(images),
        _notes_section(diagnosis.notes),
        _spec_section(spec),
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


# --------------------------------------------------------------------------- sections


def _verdict_section(diagnosis: Diagnosis) -> str:
    verdict = diagnosis.verdict
    which = " (the best)" if diagnosis.trial == diagnosis.choice.best else ""
    return "\n".join([
        "<h2>Verdict</h2>",
        f'<p class="verdict {_e(verdict.verdict.replace(" ", "-"))}"><strong>Trial '
        f'{diagnosis.trial}{which}: '
        f"{_e(verdict.verdict)}.</strong></p>",
        f"<p><strong>Evidence.</strong> {_e(verdict.evidence)}</p>",
        f"<p><strong>Advice.</strong> {_e(verdict.advice)}</p>",
    ])


def _estimate_section(spec: StudySpec, results: Mapping[str, Any] | None) -> str:
    text = describe_estimate(spec, dict(results) if results else None)
    if not text:
        return ""
    parts = ["<h2>How good the tuned model is</h2>", f"<p><b>{_e(text)}</b>.</p>"]
    scores = (results or {}).get("nested_scores")
    if scores:
        rows = [
            f"<tr><td class=\"num\">{k}</td><td class=\"num\">"
            f"{_e(shown(spec.scoring, score) if score is not None else 'not scored')}</td>"
            f"<td>{_params(params) if params else ''}</td></tr>"
            for k, (score, params) in enumerate(
                zip(scores, results.get("nested_params") or [None] * len(scores), strict=False),
                start=1)
        ]
        parts += ["<table>", "<tr><th>Outer fold</th><th>Score of its search's best</th>"
                  "<th>Parameters it chose</th></tr>", *rows, "</table>",
                  "<p>Each outer fold's rows were never seen by the search that scored them; "
                  "the validation scores below were chosen as the best of many, so they are "
                  "optimistic.</p>"]
    elif results and results.get("test_score") is not None:
        parts.append("<p>The test rows were never seen by the search; the validation scores "
                     "below were chosen as the best of many trials, so they are optimistic.</p>")
    return "\n".join(parts)


def _choice_section(spec: StudySpec, frame: TrialFrame, trials: Sequence[TrialRecord],
                    diagnosis: Diagnosis) -> str:
    choice = diagnosis.choice
    rows = []
    for label, number_ in (("Best trial", choice.best), ("One-standard-error trial",
                                                         choice.one_se)):
        if number_ is None:
            continue
        i = frame.index_of(number_)
        if i is None:
            continue
        rows.append(
            f"<tr><th>{_e(label)}</th><td class=\"num\">{number_}</td>"
            f"<td class=\"num\">{_e(_mean_std(spec.scoring, frame, i))}</td>"
            f"<td class=\"num\">{_e(shown(spec.scoring, _float(frame.mean_train[i])))}</td>"
            f"<td>{_params(trials[i].params)}</td></tr>"
        )
    return "\n".join([
        "<h2>Which trial to take</h2>",
        "<table>",
        "<tr><th></th><th>Trial</th><th>Validation (mean ± std)</th><th>Training</th>"
        "<th>Parameters</th></tr>",
        *rows,
        "</table>",
        f"<p>{_e(MEAN_STD_NOTE)}</p>",
        f"<p>{_e(choice.explanation)}</p>",
    ])


def _top_trials_section(spec: StudySpec, frame: TrialFrame, trials: Sequence[TrialRecord],
                        diagnosis: Diagnosis, top: int = TOP_TRIALS) -> str:
    ranked = [int(i) for i in ranked_rows(frame)]
    order = ranked[:top]
    chosen = frame.index_of(diagnosis.trial)
    if chosen is not None and chosen in ranked and chosen not in order:
        order.append(chosen)  # the diagnosed trial is always shown, with its own rank
    if not len(order):
        return "<h2>Top trials</h2>\n<p>No trial completed.</p>"
    lines = [
        f"<h2>Top {min(top, len(ranked))} trials</h2>",
        "<table>",
        "<tr><th>Rank</th><th>Trial</th><th>Validation (mean ± std)</th><th>Training</th>"
        "<th>Gap</th><th>Parameters</th></tr>",
    ]
    for i in order:
        rank = ranked.index(i) + 1
        n = int(frame.numbers[i])
        tags = [tag for trial, tag in ((diagnosis.choice.best, "best"),
                                       (diagnosis.choice.one_se, "one-SE"),
                                       (diagnosis.trial, "diagnosed")) if trial == n]
        if tags == ["best", "diagnosed"] or tags == ["best", "one-SE", "diagnosed"]:
            tags.remove("diagnosed")  # the best is diagnosed by default: no need to say
        gap = _float(frame.mean_train[i]) - _float(frame.mean_test[i])
        css = ' class="best"' if n == diagnosis.choice.best else ""
        lines.append(
            f"<tr{css}><td class=\"num\">{rank}</td>"
            f"<td class=\"num\">{n}{_e(' (' + ', '.join(tags) + ')' if tags else '')}</td>"
            f"<td class=\"num\">{_e(_mean_std(spec.scoring, frame, i))}</td>"
            f"<td class=\"num\">{_e(shown(spec.scoring, _float(frame.mean_train[i])))}</td>"
            f"<td class=\"num\">{_e(number(gap) if math.isfinite(gap) else 'n/a')}</td>"
            f"<td>{_params(trials[i].params)}</td></tr>"
        )
    lines.append("</table>")
    lines.append("<p>Gap: mean training score minus mean validation score (for error "
                 "metrics, in the metric's negated form as scikit-learn reports it).</p>")
    return "\n".join(lines)


def _importance_section(importance: Importance | Mapping[str, Any] | None) -> str:
    if importance is None:
        return ""
    data = importance.to_json() if isinstance(importance, Importance) else dict(importance)
    shares: Mapping[str, Any] = data.get("importance") or {}
    within: Sequence[Mapping[str, Any]] = data.get("within") or ()
    lines = ["<h2>Which hyperparameter matters</h2>"]
    if shares:
        lines += ["<table>",
                  "<tr><th>Hyperparameter</th><th>Share of the score's variance</th></tr>"]
        for name, share in shares.items():
            lines.append(f"<tr><td>{_e(name)}</td><td class=\"num\">{_e(_percent(share))}</td>"
                         "</tr>")
        lines.append("</table>")
    method = data.get("method", "")
    used = data.get("trials_used")
    about = f"{method}, over {used:,} trials." if method and used is not None else ""
    if data.get("note"):
        about += " " + str(data["note"])
    if about.strip():
        lines.append(f"<p>{_e(about.strip())}</p>")
    if within:
        lines += ["<h3>Settings that apply only in some trials</h3>", "<table>",
                  "<tr><th>Hyperparameter</th><th>Applies when</th>"
                  "<th>Share within the trials where it applies</th></tr>"]
        for item in within:
            lines.append(f"<tr><td>{_e(item.get('name'))}</td><td>{_e(item.get('where'))}</td>"
                         f"<td class=\"num\">{_e(_percent(item.get('share')))}</td></tr>")
        lines += ["</table>",
                  "<p>Each of these is judged on the trials where it applies, so its share is "
                  "of the variance among those trials: it is not part of the shares above "
                  "and does not add up with them.</p>"]
    return "\n".join(lines)


def _percent(share: Any) -> str:
    return f"{100 * float(share):.0f} %" if share is not None else "n/a"


def _curves_section(spec: StudySpec, diagnosis: Diagnosis) -> str:
    lines = []
    for curve, heading, x_label in (
        (diagnosis.learning, "Learning curve", "Training rows"),
        (diagnosis.validation, "Validation curve", None),
    ):
        if curve is None or not len(curve.x):
            continue
        label = x_label or str(curve.param)
        lines += [f"<h2>{_e(heading)}{'' if x_label else ' of ' + _e(curve.param)}</h2>",
                  "<table>", f"<tr><th>{_e(label)}</th><th>Training (mean ± std)</th>"
                  "<th>Validation (mean ± std)</th><th>Error</th></tr>"]
        for k, x in enumerate(curve.x):
            shown_x = f"{x:,.0f}" if x_label else _value(x)
            lines.append(
                f"<tr><td class=\"num\">{_e(shown_x)}</td>"
                f"<td class=\"num\">{_e(_pair(spec.scoring, curve.train_mean[k], curve.train_std[k]))}</td>"  # noqa: E501
                f"<td class=\"num\">{_e(_pair(spec.scoring, curve.test_mean[k], curve.test_std[k]))}</td>"  # noqa: E501
                f"<td>{_e(curve.errors[k] or '')}</td></tr>"
            )
        lines.append("</table>")
    return "\n".join(lines)


def _pictures_section(images: Sequence[tuple[str, bytes]]) -> str:
    if not images:
        return ""
    lines = ["<h2>Pictures</h2>"]
    for title, png in images:
        data = base64.b64encode(bytes(png)).decode("ascii")
        lines.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_e(title)}">'
                     f"<figcaption>{_e(title)}</figcaption></figure>")
    return "\n".join(lines)


def _data_section(notes: Sequence[str]) -> str:
    """What the data checks said (probable leakage, row identifiers, duplicates, ...): near
    the top, since they change what the scores below mean."""
    if not notes:
        return ""
    items = "".join(f"<li>{_e(note)}</li>" for note in notes)
    return f'<h2>The data</h2>\n<ul class="notes">{items}</ul>'


def _notes_section(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{_e(note)}</li>" for note in notes)
    return f'<h2>Notes</h2>\n<ul class="notes">{items}</ul>'


def _spec_section(spec: StudySpec) -> str:
    budget = []
    if spec.trials is not None:
        budget.append(f"{spec.trials:,} trials")
    if spec.time_limit is not None:
        budget.append(f"{number(spec.time_limit)} s")
    if spec.trial_time_limit is not None:
        budget.append(f"at most {number(spec.trial_time_limit)} s per fit")
    settings = [
        ("Study", spec.name),
        ("Data", spec.data),
        ("Data fingerprint (sha256)", spec.data_fingerprint or "n/a"),
        ("Target", spec.target),
        ("Task", spec.task),
        ("Model", spec.model),
        ("Strategy", spec.strategy + (" (" + ", ".join(
            f"{key} {value}" for key, value in spec.options.items()) + ")"
            if spec.options else "")),
        ("Budget", ", ".join(budget) or ("the whole grid" if spec.strategy == "grid"
                                          else "n/a")),
        ("Validation", describe_validation(spec)),
        ("Metric", spec.scoring),
        ("Seed", str(spec.seed)),
    ]
    if spec.manual_params:
        settings.append(("Hand-set parameters", json.dumps(spec.manual_params)))
    if spec.roles:
        settings.append(("Column roles", ", ".join(f"{k}: {v}" for k, v in spec.roles.items())))
    lines = ["<h2>Study settings</h2>", "<table>"]
    lines += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in settings]
    lines.append("</table>")
    if len(spec.space):
        lines += ["<h3>Search space</h3>", "<table>",
                  "<tr><th>Hyperparameter</th><th>Values</th><th>Active when</th></tr>"]
        for dim in spec.space:
            when = ", ".join(f"{parent} in {json.dumps(list(values), default=repr)}"
                             for parent, values in dim.when.requires) if dim.when else ""
            lines.append(f"<tr><td>{_e(dim.name)}</td><td>{_e(_describe(dim))}</td>"
                         f"<td>{_e(when)}</td></tr>")
        lines.append("</table>")
    lines += ["<h3>Settings as JSON</h3>",
              f"<pre>{_e(json.dumps(spec.to_json(), indent=2, default=repr))}</pre>"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- helpers


def _describe(dim: Any) -> str:
    if dim.kind == "categorical":
        return "one of " + ", ".join(_value(c) for c in dim.choices)
    text = f"{dim.kind} from {_value(dim.low)} to {_value(dim.high)}"
    if dim.log:
        text += ", log scale"
    step = getattr(dim, "step", None)
    if step is not None and not (dim.kind == "int" and step == 1):
        text += f", step {_value(step)}"
    return text


def _value(value: Any) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:g}"
    if isinstance(value, str):
        return value
    return json.dumps(value, default=repr)


def _params(params: Mapping[str, Any]) -> str:
    if not params:
        return "<em>defaults</em>"
    return ", ".join(f"<code>{_e(name)}={_e(_value(value))}</code>"
                     for name, value in params.items())


def _mean_std(scoring: str, frame: TrialFrame, i: int) -> str:
    return _pair(scoring, _float(frame.mean_test[i]), _float(frame.std_test[i]))


def _pair(scoring: str, mean: float | None, std: float | None) -> str:
    if mean is None or not math.isfinite(mean):
        return "n/a"
    spread = number(std) if std is not None and math.isfinite(std) else ""
    return f"{shown(scoring, mean)} ± {spread}" if spread else shown(scoring, mean)


def _float(value: Any) -> float:
    return float(value) if value is not None else float("nan")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


MEAN_STD_NOTE = ("Mean ± std: the mean of the scores over the cross-validation folds and "
                 "their standard deviation, how much they vary from one fold to another (not "
                 "the standard error).")


__all__ = ["render_report", "write_report"]
