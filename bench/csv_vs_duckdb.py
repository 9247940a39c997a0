"""Benchmark c (see ../BENCHMARKS.md): the budget CSV aggregated by kegiatan and jenis
belanja (first two digits of the akun), exact decimal sums, kinerja against DuckDB.

    python csv_vs_duckdb.py FILE --kinerja-bench BIN [--rounds 15] [--out DIR]

Side by side: each round times one kinerja aggregation (`BIN csv FILE --warmup 1 --reps 1`,
timed inside that process, around `kinerja::bench::aggregate_csv`) and then one
DuckDB query (timed inside this process: interpreter start-up and `import duckdb` excluded;
one untimed warm-up query first). Both read the file each time. Prints the median and the
best of the rounds for each, their ratio, both grand totals, and whether every group agrees.
"""

import argparse
import decimal
import os
import re
import statistics
import subprocess
import time

import duckdb

# Amounts are Indonesian: dots group thousands, a comma starts the decimals, maybe `Rp`.
# Text to DECIMAL(38,2) is exact, and SUM over DECIMAL(38,2) is exact (128-bit integers).
AMOUNT = "CAST(replace(replace(replace({c}, 'Rp', ''), '.', ''), ',', '.') AS DECIMAL(38,2))"

QUERY = f"""
SELECT kegiatan,
       substr(akun, 1, 2) AS jenis_belanja,
       sum({AMOUNT.format(c='pagu')}) AS pagu,
       sum({AMOUNT.format(c='realisasi')}) AS realisasi,
       count(*) AS rows
FROM read_csv(?, delim = ';', header = true, all_varchar = true)
GROUP BY kegiatan, substr(akun, 1, 2)
"""


def plain(d: decimal.Decimal) -> str:
    """The same text as Rust's Decimal::normalize(): no exponent, no trailing zeros."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def kinerja_once(bench: str, file: str, groups: str) -> tuple[float, dict]:
    out = subprocess.run(
        [bench, "csv", file, "--warmup", "1", "--reps", "1", "--groups", groups],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT csv "))
    fields = dict(re.findall(r"(\w+)=(\S+)", line))
    return float(fields["kinerja_best_ms"]), fields


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--kinerja-bench", required=True)
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--out", default=".")
    a = p.parse_args()
    k_groups = os.path.join(a.out, "groups-kinerja.tsv")
    d_groups = os.path.join(a.out, "groups-duckdb.tsv")

    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute(QUERY, [a.file]).fetchall()  # warm-up

    k_times, d_times = [], []
    rows, k_fields = None, None
    for _ in range(a.rounds):
        ms, k_fields = kinerja_once(a.kinerja_bench, a.file, k_groups)
        k_times.append(ms)
        t0 = time.perf_counter()
        rows = con.execute(QUERY, [a.file]).fetchall()
        d_times.append((time.perf_counter() - t0) * 1000)

    pagu = sum((r[2] for r in rows), decimal.Decimal(0))
    realisasi = sum((r[3] for r in rows), decimal.Decimal(0))
    count = sum(r[4] for r in rows)
    with open(d_groups, "w") as f:
        f.write(
            "\n".join(
                sorted(f"{k}\t{jb}\t{plain(p_)}\t{plain(r_)}\t{n}" for k, jb, p_, r_, n in rows)
            )
            + "\n"
        )
    with open(k_groups) as f1, open(d_groups) as f2:
        same_groups = f1.read() == f2.read()

    km, kb = statistics.median(k_times), min(k_times)
    dm, db = statistics.median(d_times), min(d_times)
    fmt = lambda ts: " ".join(f"{t:.1f}" for t in ts)
    print(f"== c. budget CSV aggregation: {a.file}, {a.rounds} rounds, alternating ==")
    print(f"   {'':28} {'kinerja':>22} {'DuckDB ' + duckdb.__version__:>22}")
    print(f"   {'rows':28} {k_fields['rows']:>22} {count:>22}")
    print(f"   {'groups':28} {k_fields['groups']:>22} {len(rows):>22}")
    print(f"   {'grand total pagu':28} {k_fields['pagu']:>22} {plain(pagu):>22}")
    print(f"   {'grand total realisasi':28} {k_fields['realisasi']:>22} {plain(realisasi):>22}")
    print(f"   {'median ms':28} {km:>22.1f} {dm:>22.1f}")
    print(f"   {'best ms':28} {kb:>22.1f} {db:>22.1f}")
    print(f"   kinerja runs ms: {fmt(k_times)}")
    print(f"   DuckDB  runs ms: {fmt(d_times)} (threads {threads})")
    print(f"   every group identical (kegiatan, jenis belanja, pagu, realisasi, rows): {'yes' if same_groups else 'NO'}")
    print(f"   kinerja / DuckDB: median {km / dm:.2f}, best {kb / db:.2f}")
    print(
        f"RESULT csv kinerja_median_ms={km:.1f} kinerja_best_ms={kb:.1f} duckdb_median_ms={dm:.1f} "
        f"duckdb_best_ms={db:.1f} ratio_median={km / dm:.2f} ratio_best={kb / db:.2f} "
        f"same_groups={'yes' if same_groups else 'NO'} duckdb={duckdb.__version__} "
        f"pagu_k={k_fields['pagu']} pagu_d={plain(pagu)} realisasi_k={k_fields['realisasi']} realisasi_d={plain(realisasi)}"
    )


if __name__ == "__main__":
    main()
