"""The summary table of a run.sh log: each goal, the measured figure, met or missed.

    python3 summary.py LOG

Reads the `RESULT …` lines the benchmarks print. Standard library only.
"""

import re
import sys


def results(path: str) -> dict:
    out = {}
    for line in open(path, encoding="utf-8"):
        if not line.startswith("RESULT "):
            continue
        kind, rest = line.split()[1], line.split(None, 2)[2]
        fields = dict(re.findall(r"(\w+)=(\S+)", rest))
        key = kind + (":" + fields["label"] if "label" in fields else "")
        out[key] = fields
    return out


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    r = results(sys.argv[1])
    rows = []
    for key in ("rules:mimalloc", "rules:system"):
        if key not in r:
            continue
        f = r[key]
        k, z = float(f["kinerja_ns"]), float(f["zen_ns"])
        rows.append((f"a. rule cost: kinerja / zen-expression ({key[6:]} allocator)", "<= 1.00",
                     f"{k / z:.2f} ({k:.0f} vs {z:.0f} ns/indicator, median)", verdict(k <= z)))
        if key != "rules:mimalloc":
            continue
        rows.append(("a. rule cost: kinerja / native rust_decimal", "(none)",
                     f"{float(f['kinerja_over_native']):.2f} (native {float(f['native_ns']):.0f} ns)", "-"))
        if "rhai_ns" in f:
            rows.append(("a. rule cost: Rhai alone / zen-expression", "(none)",
                         f"{float(f['rhai_over_zen']):.2f} ({float(f['rhai_ns']):.0f} ns)", "-"))
        rows.append(("a. same figures native = kinerja = Rhai = zen", "all equal",
                     "yes" if f["mismatches"] == "0" else f"{f['mismatches']} differ",
                     verdict(f["mismatches"] == "0")))
    for key, goal in (("eval:100k", True), ("eval:10k", False)):
        if key not in r:
            continue
        f = r[key]
        wall, rss = float(f["wall_s"]), float(f["rss_mb"])
        rows.append((f"b. eval {key[5:]}: wall time", "< 2 s" if goal else "(none)",
                     f"{wall:.2f} s (median)", verdict(wall < 2) if goal else "-"))
        rows.append((f"b. eval {key[5:]}: peak RSS", "< 500 MB" if goal else "(none)",
                     f"{rss:.1f} MB (median)", verdict(rss < 500) if goal else "-"))
    if "csv" in r:
        f = r["csv"]
        ratio = float(f["ratio_median"])
        rows.append(("c. CSV 1M lines: kinerja / DuckDB", "<= 1.00",
                     f"{ratio:.2f} ({f['kinerja_median_ms']} vs {f['duckdb_median_ms']} ms, median)",
                     verdict(ratio <= 1.0)))
        same = f["same_groups"] == "yes" and f["pagu_k"] == f["pagu_d"] and f["realisasi_k"] == f["realisasi_d"]
        rows.append(("c. same totals (every group, grand totals)", "equal", "yes" if same else "NO", verdict(same)))
    for key in [k for k in r if k.startswith("watch:")]:
        f = r[key]
        med, mx = float(f["latency_median_ms"]), float(f["latency_max_ms"])
        goal = key == "watch:10k"
        rows.append((f"d. watch {key[6:]}: save -> JSON line", "< 100 ms" if goal else "(none)",
                     f"median {med:.1f} ms, max {mx:.1f} ms (elapsed_ms median {float(f['elapsed_median_ms']):.1f})",
                     verdict(med < 100) if goal else "-"))
    if "diff:100k" in r:
        f = r["diff:100k"]
        wall, rss = float(f["wall_s"]), float(f["rss_mb"])
        rows.append(("e. diff 100k against a revision: wall time", "< 2 s",
                     f"{wall:.2f} s (median; {f['changes']} changes)", verdict(wall < 2)))
        rows.append(("e. diff 100k against a revision: peak RSS", "< 600 MB",
                     f"{rss:.1f} MB (median)", verdict(rss < 600)))
    if "snapshot:30k" in r:
        f = r["snapshot:30k"]
        wall, clean = float(f["wall_s"]), float(f["clean_s"])
        rows.append(("f. snapshot --check 30k, every target changed / nothing changed", "<= 4.00",
                     f"{wall / clean:.2f} ({wall:.2f} vs {clean:.2f} s, median; {f['changes']} changes)",
                     verdict(wall <= 4 * clean)))
    w = [max(len(c[i]) for c in rows) for i in range(4)] if rows else [0] * 4
    print("== summary ==")
    for c in [("benchmark", "goal", "measured", "")] + rows:
        print("   " + "  ".join(c[i].ljust(w[i]) for i in range(4)).rstrip())


if __name__ == "__main__":
    main()
