#!/usr/bin/env bash
# Build the frozen app, run the same 2-worker grid study frozen and from source, and
# check that both give the same fold scores and that the frozen run leaves no process.
#
# Run from the repository root:   bash packaging/freeze_and_compare.sh
# PYTHON (default: python) must have the project installed with the `packaging` extra.
# SKIP_BUILD=1 reuses an existing packaging/dist/hpt-gui.
# Prints one line starting with PASS or FAIL; exit code 0 or 1.
set -u -o pipefail

PYTHON=${PYTHON:-python}
ROOT=$(pwd)
DIST="$ROOT/packaging/dist/hpt-gui"
EXE="$DIST/hpt-gui"
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hpt-freeze.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

leftovers() {  # processes started from the frozen folder (the app, loky workers, tracker)
    pgrep -f "$DIST/" || true
}

[ -f main.py ] && [ -f packaging/hpt_gui.spec ] || fail "run this from the repository root"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== building $DIST"
    start=$(date +%s)
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
        --workpath packaging/build --distpath packaging/dist packaging/hpt_gui.spec \
        > "$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log"; fail "PyInstaller build failed"; }
    echo "   built in $(( $(date +%s) - start )) s"
fi
[ -x "$EXE" ] || fail "no frozen executable at $EXE"
echo "   dist folder: $(du -sh "$DIST" | cut -f1)"
[ -z "$(leftovers)" ] || fail "processes from $DIST are already running: $(leftovers | tr '\n' ' ')"

echo "== data and search space in $TMP"
"$PYTHON" - "$TMP/X.csv" <<'EOF' || fail "could not write the breast cancer CSV"
import sys
from sklearn.datasets import load_breast_cancer
load_breast_cancer(as_frame=True).frame.to_csv(sys.argv[1], index=False)
EOF
cat > "$TMP/SPACE.json" <<'EOF'
{
  "max_depth": {"type": "int", "low": 1, "high": 6},
  "min_samples_leaf": {"type": "int", "low": 1, "high": 9, "step": 4},
  "criterion": {"type": "categorical", "choices": ["gini", "entropy"]}
}
EOF

study() {  # study LABEL COMMAND...: run the study and export its trial table
    local label=$1; shift
    local start
    start=$(date +%s)
    timeout "$RUN_TIMEOUT" "$@" run --data "$TMP/X.csv" --target target \
        --model DecisionTreeClassifier --space "$TMP/SPACE.json" --strategy grid --cv 5 \
        --scoring balanced_accuracy --seed 11 --jobs 2 --project "$TMP/$label.hpt" \
        --study g --json --quiet > "$TMP/$label.json" 2> "$TMP/$label.err"
    local rc=$?
    [ $rc -eq 0 ] || { tail -30 "$TMP/$label.err"; return $rc; }
    timeout 300 "$@" export --project "$TMP/$label.hpt" --study g --csv "$TMP/$label.csv" \
        >> "$TMP/$label.err" 2>&1 || { tail -30 "$TMP/$label.err"; return 1; }
    echo "   $label: study and export in $(( $(date +%s) - start )) s"
}

echo "== frozen run"
# Sample the frozen processes while the study runs: the loky workers and resource
# tracker must appear, each started once (no re-execution storm).
( while :; do pgrep -af "^$EXE( |\$)" >> "$TMP/ps.log"; sleep 0.2; done ) &
sampler=$!
study frozen "$EXE"
rc=$?
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
if [ $rc -ne 0 ]; then
    pids=$(leftovers)
    # Only processes of the frozen folder this script started; stop them by id.
    [ -z "$pids" ] || kill $pids 2>/dev/null
    fail "the frozen study failed (see above)"
fi
touch "$TMP/ps.log"
n_pids=$(awk '{print $1}' "$TMP/ps.log" | sort -u | wc -l)
n_workers=$(grep -F -- "-m joblib.externals.loky.backend.popen_loky_posix" "$TMP/ps.log" \
    | awk '{print $1}' | sort -u | wc -l)
n_trackers=$(grep -F -- "loky.backend.resource_tracker import main" "$TMP/ps.log" \
    | awk '{print $1}' | sort -u | wc -l)
echo "   seen: $n_pids frozen processes, $n_workers loky workers, $n_trackers loky tracker"
[ "$n_workers" -ge 1 ] || fail "no loky worker process was seen: the pool did not run frozen"
[ "$n_pids" -le 12 ] || fail "$n_pids frozen processes started: the app re-executes itself"

# The frozen run must not leave its workers or loky's resource tracker behind.
left=""
for _ in $(seq 1 20); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.5
done
if [ -n "$left" ]; then
    ps -o pid,ppid,etime,args -p "$(echo $left | tr ' ' ',')" | cut -c1-200
    kill $left 2>/dev/null
    fail "processes of the frozen run still alive 10 s after it ended: $(echo $left)"
fi
echo "   no process from $DIST left alive"

echo "== source run ($PYTHON main.py)"
study source "$PYTHON" main.py || fail "the source study failed (see above)"

echo "== comparing fold scores"
"$PYTHON" - "$TMP/frozen.csv" "$TMP/source.csv" <<'EOF'
import sys

import numpy as np
import pandas as pd

frozen, source = (pd.read_csv(p) for p in sys.argv[1:3])
splits = sorted(c for c in source.columns if c.startswith("split") and c.endswith("_test_score"))
problems = []
if not splits:
    problems.append("no split<k>_test_score columns")
if len(frozen) != len(source) or len(source) == 0:
    problems.append(f"{len(frozen)} frozen trials vs {len(source)} source trials")
if list(frozen.columns) != list(source.columns):
    problems.append("different columns")
for name, table in (("frozen", frozen), ("source", source)):
    states = table["state"].astype(str).str.upper() if "state" in table else None
    bad = table.iloc[:0] if states is None else table[states != "COMPLETE"]
    if len(bad):
        problems.append(f"{len(bad)} {name} trials not complete: {bad['error'].tolist()[:3]}")
if not problems:
    merged = source.merge(frozen, on="number", suffixes=("_src", "_frz"))
    if len(merged) != len(source):
        problems.append("trial numbers differ")
    elif (merged["params_src"] != merged["params_frz"]).any():
        problems.append("trial parameters differ")
    else:
        a = merged[[f"{c}_src" for c in splits]].to_numpy(float)
        b = merged[[f"{c}_frz" for c in splits]].to_numpy(float)
        if np.isnan(a).any() or np.isnan(b).any():
            problems.append("missing fold scores")
        elif not np.allclose(a, b, rtol=0, atol=1e-12):
            problems.append(f"fold scores differ by up to {np.abs(a - b).max():.3g}")
if problems:
    print("   " + "; ".join(problems))
    sys.exit(1)
print(f"   {len(source)} trials x {len(splits)} folds: identical within 1e-12 "
      f"(max |diff| {np.abs(a - b).max():.3g}); best mean {source['mean_test_score'].max():.6f}")
EOF
[ $? -eq 0 ] || fail "frozen and source fold scores differ"

echo "PASS: frozen and source 2-worker grid studies give identical fold scores; no process left"
