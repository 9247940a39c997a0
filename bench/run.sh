#!/usr/bin/env bash
# kinerja benchmarks: builds what it needs, generates the workspaces, runs a–f, prints a
# summary. See ../BENCHMARKS.md for what each measures and the last results.
#
#   bash bench/run.sh
#
# Environment (all optional):
#   ROOT_TARGET_DIR   cargo target dir for the kinerja binary      (default: <repo>/target)
#   BENCH_TARGET_DIR  cargo target dir for the bench binary        (default: <repo>/bench/target)
#   VENV              Python venv for DuckDB, created if missing    (default: <repo>/bench/.venv)
#   DUCKDB_VERSION    pin the duckdb wheel (e.g. 1.4.1)            (default: latest)
#   WORK              scratch dir for the generated workspaces     (default: a new temp dir, removed at exit)
#   LOG               full log                                     (default: <repo>/bench/last-run.log)
#   RULES_N=100000 RULES_REPS=5 EVAL_RUNS=3 CSV_ROUNDS=15 WATCH_RUNS=10 DIFF_RUNS=3 SNAPSHOT_RUNS=3
#   PERF=1            also profile the 100k eval with perf and print self time by crate
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
ROOT_TARGET=${ROOT_TARGET_DIR:-$ROOT/target}
BENCH_TARGET=${BENCH_TARGET_DIR:-$BENCH/target}
VENV=${VENV:-$BENCH/.venv}
LOG=${LOG:-$BENCH/last-run.log}
RULES_N=${RULES_N:-100000}
RULES_REPS=${RULES_REPS:-5}
EVAL_RUNS=${EVAL_RUNS:-3}
CSV_ROUNDS=${CSV_ROUNDS:-15}
WATCH_RUNS=${WATCH_RUNS:-10}
DIFF_RUNS=${DIFF_RUNS:-3}
SNAPSHOT_RUNS=${SNAPSHOT_RUNS:-3}
PERF=${PERF:-0}

if [[ -n "${WORK:-}" ]]; then
    mkdir -p "$WORK"
    OWN_WORK=0
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/kinerja-bench.XXXXXX")
    OWN_WORK=1
fi
cleanup() {
    if [[ $OWN_WORK == 1 ]]; then rm -rf -- "$WORK"; fi
}
trap cleanup EXIT

for tool in cargo python3 /usr/bin/time timeout; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done

: >"$LOG"
say() { echo "$@" | tee -a "$LOG"; }
# Runs a step with a time bound, its output both on the terminal and in the log.
step() {
    local limit=$1
    shift
    if ! timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$LOG"; then
        echo "run.sh: failed or timed out (limit ${limit} s): $*" >&2
        exit 1
    fi
}

say "== machine =="
say "   date        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "   nproc       $(nproc)"
say "   memory      $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
say "   cpu         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "   kernel      $(uname -r)"
say "   rustc       $(rustc --version)"
say "   python      $(python3 --version 2>&1)"
say "   kinerja     $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree has uncommitted changes)' || true)"
say "   load avg    $(cut -d' ' -f1-3 /proc/loadavg) (before)"

say "== build =="
step 3600 cargo build --release --manifest-path "$ROOT/Cargo.toml" --target-dir "$ROOT_TARGET"
step 3600 cargo build --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$BENCH_TARGET"
cp "$BENCH_TARGET/release/kinerja-bench" "$BENCH_TARGET/release/kinerja-bench-mimalloc"
# a is also measured with the system allocator; only the bench crate itself is rebuilt.
step 3600 cargo build --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$BENCH_TARGET" \
    --features system-allocator
cp "$BENCH_TARGET/release/kinerja-bench" "$BENCH_TARGET/release/kinerja-bench-system"
# The bench resolves its own lock file: say so if it picked other versions than the root's.
lock_version() { awk -v n="$2" '$0 == "name = \"" n "\"" {getline; gsub(/version = |"/, ""); print; exit}' "$1"; }
versions=""
for crate in rhai rust_decimal zen-expression; do
    b=$(lock_version "$BENCH/Cargo.lock" "$crate")
    r=$(lock_version "$ROOT/Cargo.lock" "$crate" 2>/dev/null || true)
    versions+="$crate $b"
    if [[ -n $r && $r != "$b" ]]; then versions+=" (root Cargo.lock: $r)"; fi
    versions+=", "
done
say "   crates      ${versions%, }"
KINERJA=$ROOT_TARGET/release/kinerja
KBENCH=$BENCH_TARGET/release/kinerja-bench-mimalloc
KBENCH_SYSTEM=$BENCH_TARGET/release/kinerja-bench-system
if [[ ! -x "$VENV/bin/python" ]]; then
    step 600 python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    step 900 "$VENV/bin/pip" install --quiet "duckdb${DUCKDB_VERSION:+==$DUCKDB_VERSION}"
fi
say "   duckdb      $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"

say "== workspaces (in $WORK) =="
step 600 "$KINERJA" gen --force "$WORK/ws100k"
step 600 "$KINERJA" gen --force --indicators 10000 --files 100 --budget-lines 100000 "$WORK/ws10k"
# e: the 100k workspace against a revision of it: the PK targets of 10 of its 1 000 files
# changed (each target's two digits swapped), as a planner's revision changes values.
rm -rf "$WORK/ws100k-revised"
cp -R "$WORK/ws100k" "$WORK/ws100k-revised"
for f in $(cd "$WORK/ws100k-revised" && find indicators -name '*.yaml' | LC_ALL=C sort | head -n 10); do
    sed -i 's/pk: \([0-9]\)\([0-9]\),/pk: \2\1,/' "$WORK/ws100k-revised/$f"
done
mkdir -p "$WORK/example"
cp -R "$ROOT/kinerja.yaml" "$ROOT/indicators" "$ROOT/budgets" "$ROOT/rules" "$WORK/example/"

say ""
step 900 "$KBENCH" rules --n "$RULES_N" --reps "$RULES_REPS" --workspace "$ROOT"
say ""
step 900 "$KBENCH_SYSTEM" rules --n "$RULES_N" --reps "$RULES_REPS" --workspace "$ROOT"

say ""
step 1800 python3 "$BENCH/eval_timed.py" "$KINERJA" "$WORK/ws100k" --runs "$EVAL_RUNS" --label 100k
step 900 python3 "$BENCH/eval_timed.py" "$KINERJA" "$WORK/ws10k" --runs "$EVAL_RUNS" --label 10k
if [[ $PERF == 1 ]]; then
    say "== perf: self time by crate, kinerja's rule calls alone (a) =="
    timeout 600 perf record -F 999 -g -o "$WORK/perf-rules.data" "$KBENCH" rules --n "$RULES_N" --reps "$RULES_REPS" \
        --workspace "$ROOT" --only kinerja >/dev/null 2>"$WORK/perf-rules.err"
    perf report -i "$WORK/perf-rules.data" --no-children --sort symbol --stdio -g none 2>/dev/null |
        python3 "$BENCH/perf_crates.py" 12 | tee -a "$LOG"
    say "== perf: self time by crate, kinerja eval 100k (b) =="
    timeout 600 perf record -F 999 -g -o "$WORK/perf.data" "$KINERJA" eval "$WORK/ws100k" --format json >/dev/null 2>"$WORK/perf.err"
    perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null |
        python3 "$BENCH/perf_crates.py" 15 | tee -a "$LOG"
fi

say ""
step 900 python3 "$BENCH/diff_timed.py" "$KINERJA" "$WORK/ws100k" "$WORK/ws100k-revised" --runs "$DIFF_RUNS" --label 100k

# f: snapshot --check of a 30k workspace whose every PK target changed after its snapshots
# were taken (the script revises it), against the same check with nothing changed.
rm -rf "$WORK/ws30k-snapshot"
step 600 "$KINERJA" gen --indicators 30000 --files 300 --budget-lines 10000 "$WORK/ws30k-snapshot"
step 900 python3 "$BENCH/snapshot_timed.py" "$KINERJA" "$WORK/ws30k-snapshot" --runs "$SNAPSHOT_RUNS" --label 30k

say ""
step 900 "$VENV/bin/python" "$BENCH/csv_vs_duckdb.py" "$WORK/ws100k/budgets/realisasi.csv" \
    --kinerja-bench "$KBENCH" --rounds "$CSV_ROUNDS" --out "$WORK"

say ""
first_file() { (cd "$1" && find indicators -name '*.yaml' | LC_ALL=C sort | sed -n 1p); }
step 900 "$KBENCH" watch --kinerja "$KINERJA" --dir "$WORK/ws10k" --file "$(first_file "$WORK/ws10k")" \
    --runs "$WATCH_RUNS" --label 10k
step 300 "$KBENCH" watch --kinerja "$KINERJA" --dir "$WORK/example" --file indicators/sp1.yaml \
    --runs "$WATCH_RUNS" --label example

say ""
say "   load avg    $(cut -d' ' -f1-3 /proc/loadavg) (after)"
python3 "$BENCH/summary.py" "$LOG" | tee -a "$LOG"
say "full log: $LOG"
