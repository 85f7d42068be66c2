"""The HTML report: everything the diagnosis says, escaped, embedded, never over the data."""

import base64
import html
import re
import sys
from dataclasses import replace

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.diagnostics.frame import TrialFrame
from hpt_gui.core.diagnostics.importance import param_importance
from hpt_gui.core.diagnostics.scores import ranked_rows
from hpt_gui.core.diagnostics.summary import diagnose
from hpt_gui.core.export import ExportError
from hpt_gui.core.report import write_report
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, IntRange, SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study

FAKE_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """12 decision trees on a CSV copy of iris, 3 folds: (folder, data, project, spec, trials)."""
    from sklearn.datasets import load_iris

    folder = tmp_path_factory.mktemp("report")
    data = folder / "iris.csv"
    load_iris(as_frame=True).frame.to_csv(data, index=False)
    space = SearchSpace((IntRange("max_depth", 1, 6),
                         Categorical("criterion", ("gini", "entropy"))))
    plan = plan_study(data=data, target="target", model="DecisionTreeClassifier",
                      space=space, strategy="grid", cv=3, name="trees")
    project = folder / "p.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        trials = store.trials("trees")
    return folder, data, project, plan.spec, trials


def _top_numbers(trials, top=10):
    frame = TrialFrame.from_trials(trials)
    return [int(frame.numbers[i]) for i in ranked_rows(frame)[:top]]


def test_report_holds_the_diagnosis_the_trials_and_the_pictures(study, tmp_path):
    _, _, _, spec, trials = study
    d = diagnose(spec, trials)
    importance = param_importance(TrialFrame.from_trials(trials), spec.space)
    out = write_report(spec, trials, d, tmp_path / "r.html",
                       images=[("Scores <by> depth", FAKE_PNG)], importance=importance)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert html.escape(d.verdict.evidence) in text and html.escape(d.verdict.advice) in text
    assert html.escape(d.choice.explanation) in text
    # "mean ± std" is said once to be the standard deviation over the folds
    assert "Validation (mean ± std)" in text
    assert html.escape("Mean ± std: the mean of the scores over the cross-validation folds and "
                       "their standard deviation") in text
    assert "DecisionTreeClassifier" in text
    rows = re.findall(r'<tr[^>]*><td class="num">(\d+)</td><td class="num">(\d+)', text)
    assert [int(n) for _, n in rows] == _top_numbers(trials)
    assert [int(r) for r, _ in rows] == list(range(1, 11))
    encoded = base64.b64encode(FAKE_PNG).decode()
    assert f'<img src="data:image/png;base64,{encoded}" alt="Scores &lt;by&gt; depth">' in text
    assert importance.names[0] in text
    assert '"max_depth"' in text.replace("&quot;", '"')  # the spec's JSON
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was moved into place


def test_conditional_settings_are_listed_apart_from_the_shared_shares(study):
    from hpt_gui.core.diagnostics.importance import Importance
    from hpt_gui.core.report import render_report

    _, _, _, spec, trials = study
    importance = Importance(("max_depth", "criterion"), (0.75, 0.25),
                            (("min_samples_leaf", 0.4, "criterion is <gini>"),), 12)
    for given in (importance, importance.to_json()):
        text = render_report(spec, trials, diagnose(spec, trials), importance=given)
        section = text[text.index("Which hyperparameter matters"):]
        shared, apart = section.split("Settings that apply only in some trials", 1)
        assert "Share of the score's variance" in shared
        assert "max_depth" in shared and "75 %" in shared and "25 %" in shared
        assert "min_samples_leaf" not in shared
        assert "Share within the trials where it applies" in apart
        assert "min_samples_leaf" in apart and "40 %" in apart
        assert "criterion is &lt;gini&gt;" in apart


def test_a_trial_outside_the_top_ten_is_still_listed(study, tmp_path):
    _, _, _, spec, trials = study
    worst = _top_numbers(trials, top=len(trials))[-1]
    d = diagnose(spec, trials, worst)
    text = write_report(spec, trials, d, tmp_path / "r.html").read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(
        r'<tr[^>]*><td class="num">\d+</td><td class="num">(\d+)', text)]
    assert numbers == [*_top_numbers(trials), worst]
    assert f"Trial {worst}: " in text and "(diagnosed)" in text


def test_user_text_is_escaped(study, tmp_path):
    _, _, _, spec, trials = study
    evil = replace(spec, name="<script>alert('x')</script>")
    text = write_report(evil, trials, diagnose(evil, trials),
                        tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text


def test_report_never_overwrites_the_data_or_the_project(study):
    _, data, project, spec, trials = study
    d = diagnose(spec, trials)
    before = data.read_bytes(), project.read_bytes()
    with pytest.raises(ExportError, match="would be overwritten"):
        write_report(spec, trials, d, data)
    with pytest.raises(ExportError, match="would be overwritten"):
        write_report(spec, trials, d, project, protect=[project])
    with pytest.raises(ExportError, match="does not exist"):
        write_report(spec, trials, d, data.parent / "no" / "r.html")
    assert (data.read_bytes(), project.read_bytes()) == before


def test_a_renderer_draws_the_pictures_and_a_failing_one_becomes_a_note(study, tmp_path):
    _, _, _, spec, trials = study
    d = diagnose(spec, trials)
    seen = []

    def renderer(spec_, trials_, diagnosis, importance=None):
        seen.append((spec_, len(trials_), diagnosis, importance))
        return [("Drawn", FAKE_PNG)]

    text = write_report(spec, trials, d, tmp_path / "a.html", renderer=renderer) \
        .read_text(encoding="utf-8")
    assert seen == [(spec, len(trials), d, None)] and 'alt="Drawn"' in text

    def broken(*args, **kwargs):
        raise RuntimeError("no <canvas>")

    text = write_report(spec, trials, d, tmp_path / "b.html", renderer=broken) \
        .read_text(encoding="utf-8")
    assert "<img" not in text
    assert html.escape("could not be drawn (RuntimeError: no <canvas>)") in text
    with pytest.raises(ValueError, match="not both"):
        write_report(spec, trials, d, tmp_path / "c.html", images=[("x", FAKE_PNG)],
                     renderer=renderer)


def test_cli_report_writes_the_file(study, tmp_path, capsys):
    _, _, project, spec, trials = study
    out = tmp_path / "report.html"
    assert main(["report", "--project", str(project), "--study", "trees", "--out",
                 str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert html.escape(diagnose(spec, trials).verdict.evidence) in text
    try:  # the pictures come from the window's plotting code, when it is installed
        import hpt_gui.ui.plots.render  # noqa: F401
    except ImportError:
        return
    assert text.count('<img src="data:image/png;base64,') >= 1
    assert "pictures could not be drawn" not in text


def test_cli_report_without_the_plotting_code(study, tmp_path, capsys, monkeypatch):
    _, _, project, _, _ = study
    monkeypatch.setitem(sys.modules, "hpt_gui.ui.plots.render", None)  # import -> ImportError
    out = tmp_path / "report.html"
    assert main(["report", "--project", str(project), "--study", "trees", "--out", str(out),
                 "--trial", "0"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<img" not in text and "pictures could not be drawn" in text
    assert "Trial 0: " in text


def test_cli_report_refuses_the_data_file_and_bad_trials(study, capsys):
    _, data, project, _, _ = study
    before = data.read_bytes()
    base = ["report", "--project", str(project), "--study", "trees"]
    assert main([*base, "--out", str(data)]) == EXIT_BAD_INPUT
    assert "would be overwritten" in capsys.readouterr().err
    assert data.read_bytes() == before
    assert main([*base, "--out", str(data.parent / "r.html"), "--trial", "99"]) \
        == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "no trial number 99" in err and len(err.strip().splitlines()) == 1
