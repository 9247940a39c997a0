"""Benchmark b (see ../BENCHMARKS.md): `kinerja -v eval DIR --format json > /dev/null`
under `/usr/bin/time -v`, repeated; wall time, peak RSS and the stage timings kinerja logs.

    python3 eval_timed.py KINERJA DIR [--runs 3] [--label NAME]

Prints every run, the median of each figure, and a `RESULT` line for run.sh. Standard
library only.
"""

import argparse
import re
import statistics
import subprocess

UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def to_ms(text: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(ns|µs|us|ms|s)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * UNITS[m.group(2)]


def wall_seconds(text: str) -> float:
    parts = [float(p) for p in text.split(":")]
    s = 0.0
    for p in parts:
        s = s * 60 + p
    return s


def one_run(kinerja: str, workspace: str) -> tuple[float, int, int, dict]:
    r = subprocess.run(
        ["/usr/bin/time", "-v", kinerja, "-v", "--color", "never", "eval", workspace, "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    err = r.stderr
    if r.returncode != 0:
        raise SystemExit(f"kinerja eval failed ({r.returncode}):\n{err[-2000:]}")
    wall = wall_seconds(re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    cpu = int(re.search(r"Percent of CPU this job got: (\d+)%", err).group(1))
    stages = {}
    for line in err.splitlines():
        m = re.match(r"\S+Z\s+(?:DEBUG|INFO)\s+(.*)$", line)
        if not m or "elapsed=" not in m.group(1):
            continue
        words = m.group(1).split()
        # the message is the words before the first field; fields have no spaces here
        first_field = next(i for i, w in enumerate(words) if "=" in w)
        message = " ".join(words[:first_field])
        elapsed = next(w for w in words if w.startswith("elapsed="))[len("elapsed="):]
        stages[message] = to_ms(elapsed)
    return wall, rss_kb, cpu, stages


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("kinerja")
    p.add_argument("workspace")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--label", default=None)
    a = p.parse_args()
    label = a.label or a.workspace

    runs = [one_run(a.kinerja, a.workspace) for _ in range(a.runs)]
    walls = [w for w, _, _, _ in runs]
    rsss = [r for _, r, _, _ in runs]
    cpus = [c for _, _, c, _ in runs]
    names = []
    for _, _, _, st in runs:
        for k in st:
            if k not in names:
                names.append(k)

    print(f"== b. full eval: {label}, {a.runs} runs ==")
    print(f"   {'':34} {'median':>10}   runs")
    print(f"   {'wall s':34} {statistics.median(walls):>10.2f}   {' '.join(f'{w:.2f}' for w in walls)}")
    print(
        f"   {'peak RSS MB':34} {statistics.median(rsss) / 1024:>10.1f}   "
        f"{' '.join(f'{r / 1024:.1f}' for r in rsss)}"
    )
    print(f"   {'CPU % (of one core)':34} {statistics.median(cpus):>10.0f}   {' '.join(str(c) for c in cpus)}")
    for n in names:
        vals = [st.get(n) for _, _, _, st in runs if n in st]
        print(f"   {n + ' ms':34} {statistics.median(vals):>10.1f}   {' '.join(f'{v:.1f}' for v in vals)}")
    stage_fields = " ".join(
        f"{n.replace(' ', '_')}_ms={statistics.median([st[n] for _, _, _, st in runs if n in st]):.1f}" for n in names
    )
    print(
        f"RESULT eval label={label} wall_s={statistics.median(walls):.2f} "
        f"wall_best_s={min(walls):.2f} rss_mb={statistics.median(rsss) / 1024:.1f} "
        f"rss_max_mb={max(rsss) / 1024:.1f} cpu_pct={statistics.median(cpus):.0f} {stage_fields}"
    )


if __name__ == "__main__":
    main()
