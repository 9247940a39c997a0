//! kinerja benchmarks (see ../BENCHMARKS.md and run.sh).
//!
//! ```text
//! kinerja-bench rules [--n 100000] [--reps 5] [--workspace ..] [--only kinerja|rhai|zen|native]
//! kinerja-bench csv FILE [--reps 5] [--warmup 0] [--groups OUT.tsv]
//! kinerja-bench watch --kinerja BIN --dir DIR --file REL [--runs 10] [--debounce 25]
//! ```
//!
//! Every measurement is repeated; the figures printed are the median and the best (minimum)
//! of the repetitions. Lines starting with `RESULT` are for run.sh's summary.

use kinerja::bench::{self as kb, Rules};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

// The allocator of the `kinerja` binary, so that a and c measure what users run; the
// peers in the same process (zen-expression) use it too. `--features system-allocator`
// measures with the system's instead (run.sh runs a with both).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ALLOCATOR_NAME: &str = if cfg!(feature = "system-allocator") {
    "system"
} else {
    "mimalloc"
};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zen_expression::variable::{Variable, VariableMap};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        usage();
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "rules" => bench_rules(rest),
        "csv" => bench_csv(rest),
        "watch" => bench_watch(rest),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage:\n  kinerja-bench rules [--n 100000] [--reps 5] [--workspace ..] [--only kinerja|rhai|zen|native]\n  \
         kinerja-bench csv FILE [--reps 5] [--warmup 0] [--groups OUT.tsv]\n  \
         kinerja-bench watch --kinerja BIN --dir DIR --file REL [--runs 10] [--debounce 25] [--label NAME]"
    );
    std::process::exit(2)
}

/// `--name value` from the arguments.
fn opt(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn opt_num<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    opt(args, name).map_or(default, |v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}: not a number: {v}"))
    })
}

/// The first argument that is neither an option nor an option's value.
fn positional(args: &[String]) -> Option<String> {
    let mut i = 0;
    while i < args.len() {
        if args[i].starts_with("--") {
            i += 2;
        } else {
            return Some(args[i].clone());
        }
    }
    None
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn fmt_runs(v: &[f64], digits: usize) -> String {
    v.iter()
        .map(|x| format!("{x:.digits$}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// a. Per-indicator rule cost

/// Deterministic inputs (xorshift64*): n ≤ t, both whole numbers as in `kinerja gen`'s
/// `rasio` inputs, target between 50 and 100.
fn inputs(count: usize) -> Vec<(Decimal, Decimal, Decimal)> {
    let mut state: u64 = 0x2022_1234_abcd_ef01;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    (0..count)
        .map(|_| {
            let t = 100 + next() % 99_900;
            let n = 1 + next() % t;
            let target = 50 + next() % 51;
            (Decimal::from(n), Decimal::from(t), Decimal::from(target))
        })
        .collect()
}

fn native(n: Decimal, t: Decimal, target: Decimal) -> Decimal {
    let realisasi = n / t * Decimal::ONE_HUNDRED;
    realisasi / target * Decimal::ONE_HUNDRED
}

fn bench_rules(args: &[String]) {
    let n: usize = opt_num(args, "--n", 100_000);
    let reps: usize = opt_num(args, "--reps", 5);
    let root = PathBuf::from(opt(args, "--workspace").unwrap_or_else(|| "..".into()));
    let data = inputs(n);

    // kinerja: the workspace's own rules/*.rhai, compiled as the engine compiles them.
    let set = Rules::of_workspace(&root).expect("the workspace's rules compile");

    // zen-expression: compiled once.
    let zen_source = "n / t * 100 / target * 100";
    let zen_guarded_source = "t == 0 or target == 0 ? null : n / t * 100 / target * 100";
    let zen = zen_expression::compile_expression(zen_source).expect("zen compiles");
    let zen_guarded = zen_expression::compile_expression(zen_guarded_source).expect("zen compiles");
    let mut vm = zen_expression::vm::VM::new();

    let run_native = |data: &[(Decimal, Decimal, Decimal)]| -> Decimal {
        let mut acc = Decimal::ZERO;
        for &(n, t, target) in data {
            acc = black_box(native(black_box(n), black_box(t), black_box(target)));
        }
        acc
    };
    // Exactly as evaluation does for an indikator with `realisasi: {rumus: rasio, masukan:
    // {n, t}}` and polaritas maksimal: the masukan as the workspace model holds it (built
    // per indicator, as zen builds its context), then two rule calls (the fast path,
    // falling back to Rhai).
    let run_kinerja = |data: &[(Decimal, Decimal, Decimal)]| -> Decimal {
        let mut acc = Decimal::ZERO;
        for &(n, t, target) in data {
            acc = black_box(set.rasio_then_capaian(n, t, target).expect("rasio, capaian"));
        }
        acc
    };
    // The same two calls through Rhai's interpreter alone (what every call cost before the
    // fast path, and what a rule outside its subset costs).
    let run_rhai = |data: &[(Decimal, Decimal, Decimal)]| -> Decimal {
        let mut acc = Decimal::ZERO;
        for &(n, t, target) in data {
            acc = black_box(
                set.rasio_then_capaian_in_rhai(n, t, target)
                    .expect("rasio, capaian"),
            );
        }
        acc
    };
    let mut run_zen = |expr: &zen_expression::Expression<zen_expression::expression::Standard>,
                       data: &[(Decimal, Decimal, Decimal)]|
     -> Decimal {
        let mut acc = Decimal::ZERO;
        for &(n, t, target) in data {
            let mut m = VariableMap::with_capacity(3);
            m.insert("n".into(), Variable::Number(n));
            m.insert("t".into(), Variable::Number(t));
            m.insert("target".into(), Variable::Number(target));
            let out = expr
                .evaluate_with(Variable::from_object(m), &mut vm)
                .expect("zen evaluates");
            acc = black_box(out.as_number().expect("zen returns a number"));
        }
        acc
    };

    // Same figures from all three, to the last of 28 digits.
    let mut mismatches = 0usize;
    for &(n, t, target) in data.iter().take(10_000) {
        let a = native(n, t, target);
        let k = run_kinerja(&[(n, t, target)]);
        let h = run_rhai(&[(n, t, target)]);
        let z = run_zen(&zen, &[(n, t, target)]);
        if a != k || a != z || a != h {
            if mismatches < 3 {
                eprintln!("differ: n={n} t={t} target={target}: native {a}, kinerja {k}, zen {z}");
            }
            mismatches += 1;
        }
    }

    // `--only kinerja|zen|native`: that method alone, for a profiler (perf record).
    if let Some(only) = opt(args, "--only") {
        let s = Instant::now();
        for _ in 0..reps {
            match only.as_str() {
                "kinerja" => black_box(run_kinerja(&data)),
                "rhai" => black_box(run_rhai(&data)),
                "zen" => black_box(run_zen(&zen, &data)),
                "native" => black_box(run_native(&data)),
                _ => usage(),
            };
        }
        let ns = s.elapsed().as_nanos() as f64 / (n * reps) as f64;
        println!("{only}: {ns:.1} ns/indicator (mean of {reps} rounds)");
        return;
    }

    // Warm-up, then `reps` rounds; each round runs every method once, one after the other,
    // so a busy moment on the shared machine hits all of them alike.
    run_native(&data[..1000]);
    run_kinerja(&data[..1000]);
    run_rhai(&data[..1000]);
    run_zen(&zen, &data[..1000]);
    let (mut t_native, mut t_kinerja, mut t_rhai, mut t_zen, mut t_zen_g) =
        (vec![], vec![], vec![], vec![], vec![]);
    let per = |d: Duration| d.as_nanos() as f64 / n as f64;
    for _ in 0..reps {
        let s = Instant::now();
        black_box(run_native(&data));
        t_native.push(per(s.elapsed()));
        let s = Instant::now();
        black_box(run_kinerja(&data));
        t_kinerja.push(per(s.elapsed()));
        let s = Instant::now();
        black_box(run_rhai(&data));
        t_rhai.push(per(s.elapsed()));
        let s = Instant::now();
        black_box(run_zen(&zen, &data));
        t_zen.push(per(s.elapsed()));
        let s = Instant::now();
        black_box(run_zen(&zen_guarded, &data));
        t_zen_g.push(per(s.elapsed()));
    }

    let (mn, mk, mr, mz, mg) = (
        median(&t_native),
        median(&t_kinerja),
        median(&t_rhai),
        median(&t_zen),
        median(&t_zen_g),
    );
    println!(
        "== a. per-indicator rule cost: N = {n} indicators, {reps} rounds, one thread, {ALLOCATOR_NAME} allocator =="
    );
    println!(
        "   kinerja rules from {}/rules (rasio + capaian_maksimal)",
        root.display()
    );
    println!("   zen-expression: `{zen_source}`");
    println!("   zen-expression (guarded): `{zen_guarded_source}`");
    println!(
        "   results identical on the first 10000 inputs (native = kinerja = Rhai alone = zen): {}",
        if mismatches == 0 {
            "yes".to_string()
        } else {
            format!("NO, {mismatches} differ")
        }
    );
    println!(
        "   {:<28} {:>12} {:>10}   runs (ns/indicator)",
        "method", "median ns", "best ns"
    );
    for (name, v) in [
        ("native rust_decimal", &t_native),
        ("kinerja (rules, fast path)", &t_kinerja),
        ("kinerja, Rhai alone", &t_rhai),
        ("zen-expression", &t_zen),
        ("zen-expression (guarded)", &t_zen_g),
    ] {
        println!(
            "   {:<28} {:>12.1} {:>10.1}   {}",
            name,
            median(v),
            min(v),
            fmt_runs(v, 1)
        );
    }
    println!("   kinerja / native  = {:.2}", mk / mn);
    println!("   kinerja / zen     = {:.2}", mk / mz);
    println!("   kinerja / zen (guarded) = {:.2}", mk / mg);
    println!("   Rhai alone / zen  = {:.2}", mr / mz);
    println!(
        "RESULT rules label={ALLOCATOR_NAME} native_ns={mn:.1} kinerja_ns={mk:.1} rhai_ns={mr:.1} zen_ns={mz:.1} zen_guarded_ns={mg:.1} kinerja_over_native={:.2} kinerja_over_zen={:.2} kinerja_over_zen_guarded={:.2} rhai_over_zen={:.2} mismatches={mismatches}",
        mk / mn,
        mk / mz,
        mk / mg,
        mr / mz
    );
}

// ---------------------------------------------------------------------------------------
// c. Budget CSV aggregation

fn bench_csv(args: &[String]) {
    let path = PathBuf::from(positional(args).unwrap_or_else(|| usage()));
    let reps: usize = opt_num(args, "--reps", 5);
    let warmup: usize = opt_num(args, "--warmup", 0);
    for _ in 0..warmup {
        black_box(kb::aggregate_csv(&path, b';').expect("aggregates"));
    }
    let mut times = vec![];
    let mut last = None;
    for _ in 0..reps {
        let s = Instant::now();
        let agg = kb::aggregate_csv(&path, b';').expect("aggregates");
        times.push(s.elapsed().as_secs_f64() * 1000.0);
        last = Some(agg);
    }
    let agg = last.expect("at least one rep");
    let (mut pagu, mut realisasi) = (Decimal::ZERO, Decimal::ZERO);
    for (_, _, p, r, _) in &agg.groups {
        pagu += p;
        realisasi += r;
    }
    if let Some(out) = opt(args, "--groups") {
        let mut rows: Vec<String> = agg
            .groups
            .iter()
            .map(|(k, jb, p, r, rows)| {
                format!("{k}\t{jb}\t{}\t{}\t{rows}", p.normalize(), r.normalize())
            })
            .collect();
        rows.sort();
        std::fs::write(&out, rows.join("\n") + "\n").expect("write groups");
    }
    println!(
        "== c. budget CSV aggregation, kinerja::bench::aggregate_csv, {reps} runs =="
    );
    println!("   file {}", path.display());
    println!(
        "   rows {} groups {} bad rows {} threads {}",
        agg.rows,
        agg.groups.len(),
        agg.bad_rows,
        rayon_threads()
    );
    println!("   grand total pagu      {}", pagu.normalize());
    println!("   grand total realisasi {}", realisasi.normalize());
    println!(
        "   ms: median {:.1} best {:.1} (runs: {})",
        median(&times),
        min(&times),
        fmt_runs(&times, 1)
    );
    println!(
        "RESULT csv kinerja_median_ms={:.1} kinerja_best_ms={:.1} rows={} groups={} pagu={} realisasi={}",
        median(&times),
        min(&times),
        agg.rows,
        agg.groups.len(),
        pagu.normalize(),
        realisasi.normalize()
    );
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ---------------------------------------------------------------------------------------
// d. Watch latency

fn bench_watch(args: &[String]) {
    let bin = PathBuf::from(opt(args, "--kinerja").unwrap_or_else(|| usage()));
    let dir = PathBuf::from(opt(args, "--dir").unwrap_or_else(|| usage()));
    let rel = opt(args, "--file").unwrap_or_else(|| usage());
    let runs: usize = opt_num(args, "--runs", 10);
    // Unless told otherwise, the debounce `kinerja watch` uses by default: the goal is with it.
    let debounce: u64 = opt_num(args, "--debounce", kb::DEFAULT_DEBOUNCE_MS);
    let label = opt(args, "--label").unwrap_or_else(|| dir.display().to_string());
    let file = dir.join(&rel);
    let original = std::fs::read_to_string(&file).expect("read the indicator file");
    let Some((at, value)) = first_pk(&original) else {
        panic!("{}: no `pk: NN` in it", file.display());
    };

    let mut child = KillOnDrop(
        Command::new(&bin)
            .args([
                "watch",
                "--format",
                "json",
                "--debounce",
                &debounce.to_string(),
            ])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kinerja watch"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<(Instant, String)>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });

    let started = Instant::now();
    let (_, first) = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("no initial JSON line within 300 s");
    let initial_wall = started.elapsed().as_secs_f64() * 1000.0;
    let initial_elapsed = elapsed_ms(&first);
    // Let the watcher settle.
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}

    let (mut latency, mut inner, mut extra) = (vec![], vec![], 0usize);
    for i in 0..runs {
        // A different value each time, never the one in the file now.
        let new_value = if i % 2 == 0 {
            value + 1 + i as u64
        } else {
            value.saturating_sub(1 + i as u64).max(1)
        };
        let text = format!(
            "{}pk: {}{}",
            &original[..at],
            new_value,
            &original[at + format!("pk: {value}").len()..]
        );
        let t0 = Instant::now();
        std::fs::write(&file, &text).expect("rewrite the indicator file");
        let (t1, line) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("no JSON line within 60 s of the write");
        latency.push(t1.duration_since(t0).as_secs_f64() * 1000.0);
        inner.push(elapsed_ms(&line).unwrap_or(f64::NAN));
        if !line.contains("\"changes\"") {
            eprintln!("unexpected line: {}", &line[..line.len().min(200)]);
        }
        // Any second run for the same save would show up here.
        std::thread::sleep(Duration::from_millis(400));
        while rx.try_recv().is_ok() {
            extra += 1;
        }
    }
    std::fs::write(&file, &original).expect("restore the indicator file");
    std::thread::sleep(Duration::from_millis(300));
    drop(child);

    println!(
        "== d. watch latency: {label}, debounce {debounce} ms, {runs} saves (one `pk:` changed in {rel}) =="
    );
    println!(
        "   initial run: line after {initial_wall:.0} ms from start (elapsed_ms {})",
        initial_elapsed.map_or("?".into(), |v| format!("{v}"))
    );
    println!(
        "   write -> JSON line ms: median {:.1} max {:.1} (runs: {})",
        median(&latency),
        max(&latency),
        fmt_runs(&latency, 1)
    );
    println!(
        "   elapsed_ms reported:   median {:.1} max {:.1} (runs: {})",
        median(&inner),
        max(&inner),
        fmt_runs(&inner, 1)
    );
    println!("   extra runs (more than one JSON line for one save): {extra}");
    println!(
        "RESULT watch label={label} latency_median_ms={:.1} latency_max_ms={:.1} elapsed_median_ms={:.1} elapsed_max_ms={:.1} extra={extra}",
        median(&latency),
        max(&latency),
        median(&inner),
        max(&inner)
    );
}

/// The watcher, stopped however this function ends (a panic included).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Byte offset and value of the first `pk: NN`.
fn first_pk(text: &str) -> Option<(usize, u64)> {
    let at = text.find("pk: ")?;
    let digits: String = text[at + 4..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    Some((at, digits.parse().ok()?))
}

fn elapsed_ms(line: &str) -> Option<f64> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v.get("elapsed_ms")?.as_f64()
}
