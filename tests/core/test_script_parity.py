"""The exported script reads every kind of table exactly as the dataset loader does.

Each case writes a tiny file, runs a one-trial study on it, exports the script, and checks
that the script's ``load_data`` gives the same X and y as ``Dataset.X/y`` and that running
it prints the stored mean validation score.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.export import write_script
from hpt_gui.core.runner import run_study
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study

N = 60
TREE = ("DecisionTreeClassifier", {"max_depth": 3})
RIDGE = ("Ridge", {"alpha": 1.0})


def _european(value: float) -> str:
    """1234.5 -> '1.234,50'."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _english(value: float) -> str:
    """1234.5 -> '1,234.50'."""
    return f"{value:,.2f}"


def _amounts(rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(10, 90_000, N)


def _labels(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.where(values + rng.normal(0, values.std() / 2, len(values)) > np.median(values),
                    "yes", "no")


def european_csv(folder: Path) -> Path:
    rng = np.random.default_rng(1)
    money = _amounts(rng)
    frame = pd.DataFrame({"money": [_european(v) for v in money],
                          "rate": rng.normal(size=N).round(3), "churn": _labels(money, rng)})
    frame.loc[::7, "money"] = ""
    frame.loc[3::11, "rate"] = np.nan
    path = folder / "euro.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    return path


def english_csv(folder: Path) -> Path:
    rng = np.random.default_rng(2)
    money = _amounts(rng)
    frame = pd.DataFrame({"money": [_english(v) for v in money],
                          "c": rng.normal(size=N), "churn": _labels(money, rng)})
    frame.loc[::9, "money"] = np.nan
    path = folder / "english.csv"
    frame.to_csv(path, index=False)
    assert '"' in path.read_text()  # the thousands separators are quoted
    return path


def text_number_target(folder: Path) -> Path:
    rng = np.random.default_rng(3)
    a = rng.normal(size=N)
    price = 20_000 + 8_000 * a + rng.normal(0, 2_000, N)
    frame = pd.DataFrame({"a": a, "b": rng.normal(size=N),
                          "price": [_english(v) for v in price]})
    frame.loc[[4, 17, 30], "price"] = np.nan  # rows without a target are left out
    path = folder / "price.csv"
    frame.to_csv(path, index=False)
    return path


def excel_numeric_header(folder: Path) -> Path:
    rng = np.random.default_rng(4)
    x2020 = rng.normal(size=N)
    frame = pd.DataFrame({2020: x2020, 2021: rng.normal(size=N), "cls": _labels(x2020, rng)})
    path = folder / "years.xlsx"
    frame.to_excel(path, index=False)
    return path


def parquet_named_index(folder: Path) -> Path:
    rng = np.random.default_rng(5)
    age = rng.uniform(18, 80, N).round(1)
    frame = pd.DataFrame({"age": age, "b": rng.normal(size=N), "cls": _labels(age, rng)})
    path = folder / "ages.parquet"
    frame.set_index("age").to_parquet(path)
    return path


def boolean_target(folder: Path) -> Path:
    rng = np.random.default_rng(6)
    a = rng.normal(size=N)
    frame = pd.DataFrame({"a": a, "b": rng.normal(size=N), "t": a + rng.normal(0, 1, N) > 0})
    path = folder / "flags.csv"
    frame.to_csv(path, index=False)
    return path


def tsv(folder: Path) -> Path:
    rng = np.random.default_rng(7)
    a = rng.normal(size=N)
    frame = pd.DataFrame({"a": a, "kind": rng.choice(["x y", "z"], N), "cls": _labels(a, rng)})
    frame.loc[::8, "kind"] = np.nan
    path = folder / "table.tsv"
    frame.to_csv(path, sep="\t", index=False)
    return path


def cp1252_csv(folder: Path) -> Path:
    rng = np.random.default_rng(8)
    city = rng.choice(["Zürich", "Genève", "Besançon", "Malmö"], N)
    score = np.where(np.isin(city, ["Zürich", "Malmö"]), 1.0, 0.0) + rng.normal(0, 0.7, N)
    frame = pd.DataFrame({"city": city, "score": score.round(4),
                          "cls": np.where(score > 0.5, "oui", "non")})
    path = folder / "villes.csv"
    path.write_bytes(frame.to_csv(index=False).encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    return path


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    target: str
    model: tuple[str, dict[str, Any]]
    converted: dict[str, str]


CASES = {
    "european_csv": Case(european_csv, "churn", TREE, {"money": "european"}),
    "english_csv": Case(english_csv, "churn", TREE, {"money": "english"}),
    "text_number_target": Case(text_number_target, "price", RIDGE, {"price": "english"}),
    "excel_numeric_header": Case(excel_numeric_header, "cls", TREE, {}),
    "parquet_named_index": Case(parquet_named_index, "cls", TREE, {}),
    "boolean_target": Case(boolean_target, "t", TREE, {}),
    "tsv": Case(tsv, "cls", TREE, {}),
    "cp1252_csv": Case(cp1252_csv, "cls", TREE, {}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_exported_script_matches_the_dataset(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    data = case.make(tmp_path)
    model, params = case.model
    plan = plan_study(data=data, target=case.target, model=model, strategy="manual",
                      manual_params=params, cv=3, seed=2, name=name)
    dataset = plan.dataset
    assert dataset.converted == case.converted
    project = tmp_path / "p.hpt"
    run_study(plan, project)
    with ProjectStore(project) as store:
        spec, trials = store.study(name).spec, store.trials(name)
    script = write_script(spec, trials, tmp_path / "rebuild.py")

    # The script's data, read in this process, equals what the models were given.
    X, y = runpy.run_path(str(script))["load_data"]()
    pd.testing.assert_frame_equal(X, dataset.X(), check_exact=True)
    expected_y = dataset.y()
    assert y.dtype == expected_y.dtype
    np.testing.assert_array_equal(y, expected_y)

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("mean validation"))
    best = max(trials, key=lambda t: t.mean_test_score)
    assert float(line.rsplit(":", 1)[1]) == pytest.approx(best.mean_test_score, abs=1e-9)


def sites_csv(folder: Path) -> Path:
    rng = np.random.default_rng(9)
    site = rng.choice([f"s{k}" for k in range(10)], N)
    a = rng.normal(size=N)
    frame = pd.DataFrame({"a": a, "b": rng.normal(size=N), "site": site,
                          "cls": _labels(a, rng)})
    path = folder / "sites.csv"
    frame.to_csv(path, index=False)
    return path


SCHEME_CASES = {
    "repeated": ({"scheme": "repeated", "repeats": 2}, {}),
    "shuffle": ({"scheme": "shuffle", "holdout": 0.25}, {}),
    "group": ({"scheme": "group", "group": "site"}, {}),
    "group+test": ({"scheme": "group", "group": "site"}, {"test_size": 0.3}),
    "time+test": ({"scheme": "time"}, {"test_size": 0.2}),
    "group outer fold": ({"scheme": "group", "group": "site"}, {"nested": 3, "outer": 3}),
    "regression repeated+test": ({"scheme": "repeated", "repeats": 2}, {"test_size": 0.2}),
}


@pytest.mark.parametrize("name", list(SCHEME_CASES))
def test_exported_script_rebuilds_every_scheme(name: str, tmp_path: Path, capsys: Any,
                                               monkeypatch: Any) -> None:
    """The script makes the same held-out rows and folds: same mean validation score, same
    score on the held-out rows. (Run in this process, for speed: the subprocess runs above
    show that it runs on its own.)"""
    validation, extra = SCHEME_CASES[name]
    data = sites_csv(tmp_path)
    model, params, target = (*TREE, "cls")
    if name.startswith("regression"):
        model, params, target = (*RIDGE, "b")
    plan = plan_study(data=data, target=target, model=model, strategy="manual",
                      manual_params=params, cv=3, seed=5, name="s", validation=validation,
                      **extra)
    result = run_study(plan, tmp_path / "p.hpt")
    with ProjectStore(tmp_path / "p.hpt") as store:
        spec, trials = store.study("s").spec, store.trials("s")
    script = write_script(spec, trials, tmp_path / "rebuild.py")
    monkeypatch.setattr(sys, "argv", [str(script)])
    runpy.run_path(str(script))["main"]()
    lines = capsys.readouterr().out.splitlines()
    mean = next(x for x in lines if x.startswith("mean validation"))
    assert float(mean.rsplit(":", 1)[1]) == pytest.approx(trials[0].mean_test_score, abs=1e-9)
    assert sum(x.startswith("fold ") for x in lines) == plan.folds
    held_out = [x for x in lines if x.startswith("held-out")]
    if plan.held_out is None:
        assert not held_out
    else:
        assert float(held_out[0].rsplit(":", 1)[1]) == pytest.approx(result.test_score,
                                                                      abs=1e-9)
