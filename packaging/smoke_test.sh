#!/usr/bin/env bash
# Smoke test of a frozen build: the window opens, and the frozen command line runs a
# 2-worker grid study and a TPE study on a CSV with missing values and a text column,
# exports the trial table, the model (a pickle and a .skops file) and the report, predicts
# with the .skops file, and scores and predicts exactly as the same studies run from
# source; no process of the bundle is left behind.
#
# Run from the repository root, after building (bash packaging/build.sh):
#     PYTHON=/path/to/venv/bin/python bash packaging/smoke_test.sh [packaging/dist/hpt-gui/hpt-gui]
# PYTHON (default: python) must have the project installed (the source side).
# Prints one line starting with PASS or FAIL; exit code 0 or 1.
set -u -o pipefail

PYTHON=${PYTHON:-python}
EXE=$(realpath "${1:-packaging/dist/hpt-gui/hpt-gui}")
DIST=$(dirname "$EXE")
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hpt-smoke.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

leftovers() {  # processes started from the bundle's folder (the app, loky workers, tracker)
    pgrep -f "$DIST/" || true
}

[ -f main.py ] || fail "run this from the repository root"
[ -x "$EXE" ] || fail "no frozen executable at $EXE (build it: bash packaging/build.sh)"
[ -z "$(leftovers)" ] || fail "processes from $DIST are already running: $(leftovers | tr '\n' ' ')"
echo "== bundle $DIST ($(du -sh "$DIST" | cut -f1))"

echo "== the window, offscreen"
start=$(date +%s)
HPT_GUI_STARTUP_PROBE="$TMP/window" QT_QPA_PLATFORM=offscreen timeout 120 "$EXE" \
    > "$TMP/window.log" 2>&1 || { tail -20 "$TMP/window.log"; fail "the frozen window did not open"; }
[ -s "$TMP/window" ] || fail "the frozen window exited without showing itself"
echo "   shown and closed in $(( $(date +%s) - start )) s"

echo "== data in $TMP"
"$PYTHON" - "$TMP/mixed.csv" <<'EOF' || fail "could not write the test CSV"
import sys

import numpy as np
import pandas as pd

rng = np.random.default_rng(5)
n = 400
frame = pd.DataFrame({
    "age": rng.integers(18, 80, n).astype(float),
    "income": rng.normal(50, 10, n),
    "city": rng.choice(["Lyon", "Paris", "Nice"], n),
})
frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, n) > 50, "yes", "no")
frame.loc[::7, "income"] = np.nan  # gaps in a number column
frame.loc[::9, "city"] = np.nan  # and in the text column
frame.to_csv(sys.argv[1], index=False)
EOF

studies() {  # studies LABEL COMMAND...: a 2-worker grid and a TPE study, exported and
             # predicting with their .skops model files
    local label=$1; shift
    local start project="$TMP/$label.hpt"
    start=$(date +%s)
    timeout "$RUN_TIMEOUT" "$@" run --data "$TMP/mixed.csv" --target bought \
        --model DecisionTreeClassifier --strategy grid --cv 3 --seed 11 --jobs 2 \
        --project "$project" --study grid --json --quiet > "$TMP/$label-grid-run.json" \
        2> "$TMP/$label.err" || { tail -30 "$TMP/$label.err"; return 1; }
    # TPE learns from the trials in the order they end: one job, so both sides agree.
    timeout "$RUN_TIMEOUT" "$@" run --data "$TMP/mixed.csv" --target bought \
        --model LogisticRegression --strategy tpe --trials 12 --cv 3 --seed 11 --jobs 1 \
        --project "$project" --study tpe --json --quiet > "$TMP/$label-tpe-run.json" \
        2>> "$TMP/$label.err" || { tail -30 "$TMP/$label.err"; return 1; }
    for study in grid tpe; do
        timeout 300 "$@" export --project "$project" --study "$study" \
            --csv "$TMP/$label-$study.csv" --model "$TMP/$label-$study.pkl" \
            >> "$TMP/$label.err" 2>&1 || { tail -30 "$TMP/$label.err"; return 1; }
        # The safe format: skops imports its loaders by name, so the bundle must hold them.
        timeout 300 "$@" export --project "$project" --study "$study" \
            --model "$TMP/$label-$study.skops" \
            >> "$TMP/$label.err" 2>&1 || { tail -30 "$TMP/$label.err"; return 1; }
        timeout 300 "$@" predict --model "$TMP/$label-$study.skops" --data "$TMP/mixed.csv" \
            --out "$TMP/$label-$study-predictions.csv" \
            >> "$TMP/$label.err" 2>&1 || { tail -30 "$TMP/$label.err"; return 1; }
    done
    timeout 300 "$@" report --project "$project" --study grid --out "$TMP/$label-report.html" \
        >> "$TMP/$label.err" 2>&1 || { tail -30 "$TMP/$label.err"; return 1; }
    echo "   $label: two studies, exports and a report in $(( $(date +%s) - start )) s"
}

echo "== frozen"
# Sample the bundle's processes while it runs: loky's workers must appear, each started
# once (a frozen app that re-executes itself shows as a storm of processes).
( while :; do pgrep -af "^$EXE( |\$)" >> "$TMP/ps.log"; sleep 0.2; done ) &
sampler=$!
studies frozen "$EXE"
rc=$?
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
if [ $rc -ne 0 ]; then
    pids=$(leftovers)
    [ -z "$pids" ] || kill $pids 2>/dev/null
    fail "the frozen studies failed (see above)"
fi
touch "$TMP/ps.log"
n_pids=$(awk '{print $1}' "$TMP/ps.log" | sort -u | wc -l)
n_workers=$(grep -F -- "-m joblib.externals.loky.backend.popen_loky_posix" "$TMP/ps.log" \
    | awk '{print $1}' | sort -u | wc -l)
echo "   seen: $n_pids frozen processes, $n_workers loky workers"
[ "$n_workers" -ge 1 ] || fail "no loky worker process was seen: the pool did not run frozen"
[ "$n_pids" -le 40 ] || fail "$n_pids frozen processes started: the app re-executes itself"
left=""
for _ in $(seq 1 20); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.5
done
[ -z "$left" ] || { kill $left 2>/dev/null; fail "frozen processes alive 10 s after the end: $left"; }
echo "   no process from $DIST left alive"

echo "== source ($PYTHON main.py)"
studies source "$PYTHON" main.py || fail "the source studies failed (see above)"

echo "== comparing"
"$PYTHON" - "$TMP" <<'EOF'
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from hpt_gui.core.model_file import load_model

tmp = Path(sys.argv[1])
problems = []
for study in ("grid", "tpe"):
    frozen, source = (pd.read_csv(tmp / f"{side}-{study}.csv") for side in ("frozen", "source"))
    splits = [c for c in source.columns if c.startswith("split") and c.endswith("_test_score")]
    if not splits or len(source) == 0 or len(frozen) != len(source):
        problems.append(f"{study}: {len(frozen)} frozen vs {len(source)} source trials")
        continue
    merged = source.merge(frozen, on="number", suffixes=("_src", "_frz"))
    if (merged["params_src"] != merged["params_frz"]).any():
        problems.append(f"{study}: the trials' hyperparameters differ")
        continue
    a = merged[[f"{c}_src" for c in splits]].to_numpy(float)
    b = merged[[f"{c}_frz" for c in splits]].to_numpy(float)
    if not np.array_equal(np.isnan(a), np.isnan(b)) or not np.allclose(
            a[~np.isnan(a)], b[~np.isnan(b)], rtol=0, atol=1e-12):
        problems.append(f"{study}: fold scores differ")
    summary = json.loads((tmp / f"frozen-{study}-run.json").read_text())
    if summary["best_score"] != json.loads(
            (tmp / f"source-{study}-run.json").read_text())["best_score"]:
        problems.append(f"{study}: the JSON summaries' best scores differ")
    # The frozen app's model file: its sidecar's checksum holds, and it predicts as the
    # model the source exported.
    data = pd.read_csv(tmp / "mixed.csv").drop(columns="bought")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # library versions may differ by a patch
        frozen_model = load_model(tmp / f"frozen-{study}.pkl", trusted=True).pipeline
        source_model = load_model(tmp / f"source-{study}.pkl", trusted=True).pipeline
    if (frozen_model.predict(data) != source_model.predict(data)).any():
        problems.append(f"{study}: the exported models predict differently")
    # The frozen app's .skops file, loaded there without trust, predicted as the source's.
    predicted = pd.read_csv(tmp / f"frozen-{study}-predictions.csv")["predicted bought"]
    if (predicted.to_numpy() != source_model.predict(data)).any():
        problems.append(f"{study}: the frozen app's .skops model predicts differently")
    safe = load_model(tmp / f"frozen-{study}.skops").pipeline
    if (safe.predict(data) != source_model.predict(data)).any():
        problems.append(f"{study}: the frozen app's .skops file loads here differently")
    print(f"   {study}: {len(source)} trials x {len(splits)} folds identical; models "
          "(.pkl, .skops) agree")
report = (tmp / "frozen-report.html").read_text(encoding="utf-8")
if "DecisionTreeClassifier" not in report or "<img" not in report:
    problems.append("the frozen report lacks its model or its pictures")
if problems:
    print("   " + "; ".join(problems))
    sys.exit(1)
EOF
[ $? -eq 0 ] || fail "the frozen and source results differ (see above)"

echo "PASS: the frozen window opens; frozen grid (2 workers) and TPE studies, exports (.pkl and .skops), predictions and report equal the source's; no process left"
