"""Benchmark f: `kinerja snapshot --check` when every target of a workspace changed, against
the same check with nothing changed. The check lists and diffs every changed figure; it
must stay linear in the workspace (it was quadratic in the changes: 34 s at 30 000
indikator where the clean check took 0.4 s).

    python3 snapshot_timed.py KINERJA WORKSPACE [--runs 3] [--label NAME]

WORKSPACE is a freshly generated one (`kinerja gen`); its snapshots are written, the
clean check timed, then every PK target is revised in place (its two digits swapped, as
run.sh does for e) and the check timed again. Prints every run, the medians, and a
`RESULT` line for run.sh. Standard library only.
"""

import argparse
import pathlib
import re
import statistics
import subprocess
import time


def check(kinerja: str, ws: str, expect: int) -> tuple[float, str]:
    started = time.perf_counter()
    r = subprocess.run(
        [kinerja, "--color", "never", "snapshot", "--check", ws],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - started
    if r.returncode != expect:
        raise SystemExit(f"snapshot --check exited {r.returncode}, expected {expect}:\n{r.stderr[-2000:]}")
    return wall, r.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kinerja")
    ap.add_argument("workspace")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--label", default="30k")
    args = ap.parse_args()
    print(f"== f. kinerja snapshot --check, {args.label}, every target changed: {args.runs} runs ==")
    w = subprocess.run([args.kinerja, "snapshot", args.workspace], stdout=subprocess.DEVNULL)
    if w.returncode != 0:
        raise SystemExit("kinerja snapshot failed")
    clean = [check(args.kinerja, args.workspace, 0)[0] for _ in range(args.runs)]
    swap = re.compile(r"pk: (\d)(\d),")
    for f in sorted(pathlib.Path(args.workspace, "indicators").rglob("*.yaml")):
        f.write_text(swap.sub(r"pk: \2\1,", f.read_text(encoding="utf-8")), encoding="utf-8")
    changed_walls, changed = [], 0
    for n in range(args.runs):
        wall, out = check(args.kinerja, args.workspace, 1)
        changed_walls.append(wall)
        changed = sum(int(c) for c in re.findall(r"^snapshots/\S+: (\d+) figures? changed$", out, re.M))
        print(f"   run {n + 1}: {wall:.2f} s, {changed} figures changed (clean check {clean[n]:.2f} s)")
    c, k = statistics.median(clean), statistics.median(changed_walls)
    print(f"   median: {k:.2f} s changed, {c:.2f} s clean, ratio {k / c:.2f}")
    print(f"RESULT snapshot label={args.label} wall_s={k:.3f} clean_s={c:.3f} changes={changed}")


if __name__ == "__main__":
    main()
