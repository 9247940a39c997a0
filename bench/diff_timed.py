"""Benchmark e (see ../BENCHMARKS.md): `kinerja diff A B` under `/usr/bin/time -v`,
repeated; wall time and peak RSS.

    python3 diff_timed.py KINERJA A B [--runs 3] [--label NAME]

Prints every run, the medians, and a `RESULT` line for run.sh. Standard library only.
"""

import argparse
import re
import statistics
import subprocess


def wall_seconds(text: str) -> float:
    s = 0.0
    for p in text.split(":"):
        s = s * 60 + float(p)
    return s


def one_run(kinerja: str, a: str, b: str) -> tuple[float, int, int]:
    r = subprocess.run(
        ["/usr/bin/time", "-v", kinerja, "--color", "never", "diff", a, b],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    if r.returncode != 0:
        raise SystemExit(f"kinerja diff failed ({r.returncode}):\n{r.stderr[-2000:]}")
    wall = wall_seconds(re.search(r"Elapsed \(wall clock\) time.*: (\S+)", r.stderr).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    changed = sum(int(n) for n in re.findall(r"^\w+: (\d+) changed$", r.stdout, re.M))
    return wall, rss_kb, changed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kinerja")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--label", default="100k")
    args = ap.parse_args()
    print(f"== e. kinerja diff, {args.label}: {args.runs} runs ==")
    walls, rss = [], []
    changed = 0
    for n in range(args.runs):
        wall, kb, changed = one_run(args.kinerja, args.a, args.b)
        walls.append(wall)
        rss.append(kb / 1024)
        print(f"   run {n + 1}: {wall:.2f} s, peak RSS {kb / 1024:.1f} MB, {changed} changes")
    w, m = statistics.median(walls), statistics.median(rss)
    print(f"   median: {w:.2f} s, {m:.1f} MB")
    print(f"RESULT diff label={args.label} wall_s={w:.3f} rss_mb={m:.1f} changes={changed}")


if __name__ == "__main__":
    main()
