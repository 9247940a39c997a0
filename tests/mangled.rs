//! Property tests: whatever is written in a workspace's files, `kinerja` answers with
//! diagnostics, never with a panic.
//!
//! Each property writes a small workspace with one file replaced (by arbitrary text, or by a
//! mangled copy of one of the repository's own files) and analyses it through the library
//! ([`kinerja::analyze`]), then renders every diagnostic and, for a workspace
//! without errors, the report in every format.

mod common;
use common::*;
use kinerja::{Analysis, Format, Locale, Options, Presentation, Rounding};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

// ---------------------------------------------------------------------------------------
// What is checked of every analysis.

/// Analyses `files`, and checks that the analysis is consistent and every diagnostic renders.
fn analyze(files: &Files) -> Result<(), TestCaseError> {
    let ws = files.write();
    let analysis = kinerja::analyze(ws.path(), &Options::default())
        .map_err(|e| TestCaseError::fail(format!("the workspace did not load: {e}")))?;
    check(analysis)
}

/// Like [`analyze`], then runs `kinerja check --format json` in-process: its exit status
/// follows from the errors, and its JSON parses, with a code and a severity per entry.
fn analyze_and_check(files: &Files) -> Result<(), TestCaseError> {
    use clap::Parser;
    let ws = files.write();
    let analysis = kinerja::analyze(ws.path(), &Options::default())
        .map_err(|e| TestCaseError::fail(format!("the workspace did not load: {e}")))?;
    let has_errors = analysis.diagnostics().has_errors();
    check(analysis)?;
    let dir = ws.path().to_string_lossy().into_owned();
    let cli = kinerja::cli::Cli::parse_from(["kinerja", "check", "--format", "json", &dir]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = kinerja::cli::run(
        &cli,
        &mut kinerja::cli::Io {
            out: &mut out,
            err: &mut err,
            color: false,
            width: 120,
        },
    );
    let out = String::from_utf8_lossy(&out);
    prop_assert_eq!(status, u8::from(has_errors), "{}", out);
    prop_assert!(!out.contains(dir.as_str()), "absolute path in:\n{}", out);
    let v: serde_json::Value = serde_json::from_str(&out)
        .map_err(|e| TestCaseError::fail(format!("check --format json: {e}\n{out}")))?;
    let list = v
        .as_array()
        .ok_or_else(|| TestCaseError::fail("not a list"))?;
    for d in list {
        prop_assert!(d["code"].is_string() && d["severity"].is_string(), "{}", d);
    }
    Ok(())
}

fn check(a: Analysis) -> Result<(), TestCaseError> {
    let has_errors = a.diagnostics().has_errors();
    prop_assert_eq!(
        a.is_complete(),
        !has_errors,
        "results are complete exactly when there is no error"
    );
    let count = a.diagnostics().iter().count();
    let sources = a.sources();
    let sorted = a.sorted_diagnostics();
    prop_assert!(sorted.len() <= count);
    for d in &sorted {
        for label in d.primary.iter().chain(&d.secondary) {
            let text = &sources.get(label.span.file).text;
            prop_assert!(
                label.span.start <= label.span.end && label.span.end <= text.len(),
                "{} {}: span {:?} outside its file ({} bytes)",
                d.code,
                d.message,
                label.span,
                text.len()
            );
            let _ = sources.location(label.span);
        }
        let plain = d.render(sources, false);
        prop_assert!(plain.contains(d.code.as_str()), "{}", plain);
        let _ = d.render(sources, true);
        let _ = d.short(sources);
        prop_assert!(!d.message.trim().is_empty(), "{:?}", d);
    }
    if has_errors {
        prop_assert!(
            a.figures().is_empty(),
            "figures come only from complete results"
        );
    }
    for rounding in [Some(Rounding::half_up(2)), None] {
        for locale in [Locale::En, Locale::Id] {
            let p = Presentation {
                rounding,
                locale,
                width: 120,
            };
            for format in [
                Format::Table,
                Format::Json,
                Format::Yaml,
                Format::Markdown,
                Format::Csv,
            ] {
                let out = a.render(format, &p);
                prop_assert_eq!(out.is_some(), !has_errors);
                if let Some(out) = out
                    && format == Format::Json
                {
                    prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                        "eval --format json must be JSON:\n{}",
                        out
                    );
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Inputs.

/// Text made of YAML's meaningful pieces and kinerja's keys: more likely than random text
/// to get past the parser and reach the readers.
fn yaml_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        select(vec![
            "\n",
            "\n",
            "\n",
            "  ",
            "  ",
            "    ",
            "- ",
            "- ",
            ": ",
            ": ",
            ":",
            "{",
            "}",
            "[",
            "]",
            ", ",
            "\"",
            "'",
            "#",
            "&a ",
            "*a",
            "!!str ",
            "!!int ",
            "!!map ",
            "|\n",
            ">-\n",
            "? ",
            "---\n",
            "...\n",
            "~",
            "null",
            "true",
            "\t",
            "<<: ",
            "%YAML 1.2\n",
        ])
        .prop_map(String::from),
        select(vec![
            "sasaran",
            "indikator",
            "id",
            "nama",
            "satuan",
            "persen",
            "target",
            "pk",
            "renstra",
            "realisasi",
            "rumus",
            "masukan",
            "rasio",
            "rata_rata",
            "capaian",
            "komponen",
            "bulatkan",
            "desimal",
            "mode",
            "dicetak",
            "bukti",
            "polaritas",
            "minimal",
            "organisasi",
            "tahun",
            "tampilan",
            "pembulatan",
            "kegiatan",
            "jenis_belanja",
            "rincian",
            "riwayat",
            "pagu",
            "kode",
            "program",
            "SP1",
            "IKP1.1",
            "2022",
        ])
        .prop_map(String::from),
        select(vec![
            "0",
            "90",
            "-5",
            "250",
            "1.234,5",
            "Rp28.585.438.802.000",
            "99,25%",
            "1_000",
            "1e400",
            "0x1F",
            ".inf",
            "-.nan",
            "99999999999999999999999999999999",
            "0.0000001",
            "2022.5",
            "\"51\"",
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9_.é✓ ]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Any text at all, or YAML-like soup.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), ".{0,200}", yaml_soup(), yaml_soup()]
}

/// One change to a file's text. Positions are taken modulo the number of characters (or
/// lines), so that any `usize` names one.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut the file at a character.
    Truncate(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Insert text at a character.
    Insert(usize, String),
    /// Delete a few characters.
    DeleteChars(usize, usize),
    /// Change a line's indentation by this many spaces (removing at most what is there).
    Indent(usize, i8),
    /// Replace a line's leading spaces with a tab.
    Tab(usize),
}

fn yaml_insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            ":", ": ", "- ", "{", "}", "[", "]", "\"", "'", "#", "&a", "*a", "!!str", "|", ">",
            "\t", "\n", " ", "  ", ",", "?", "%", "@", "`", "\u{feff}", "\u{0}", "é", "1.234,5",
            "Rp", "~", "null", "---\n", "x: 1\n", "- \n", "0",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ]
}

/// What may be inserted into a rule file. Nothing that makes a loop: a rule that loops is
/// stopped after its 500 ms (see tests/check.rs), which would only make this test slow.
fn rhai_insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "{",
            "}",
            "(",
            ")",
            ";",
            ",",
            "\"",
            "`",
            "'",
            "/",
            "*",
            "//",
            "/*",
            "*/",
            "#{",
            "[",
            "]",
            "=",
            "==",
            "+",
            "-",
            "!",
            ".",
            "..",
            "\n",
            " ",
            "let ",
            "const ",
            "throw ",
            "return ",
            "fn ",
            "private ",
            "x",
            "m.",
            "m.n",
            "0",
            "0.0",
            "1.5",
            "()",
            "true",
            "if ",
            "else ",
            "import \"x\" as y;",
            "eval(\"1\")",
            "print(1);",
            "debug(1);",
            "Fn(\"rasio\")",
            "this",
            "\u{feff}",
            "é",
            "\u{0}",
        ])
        .prop_map(String::from),
        any::<char>()
            .prop_filter("no letters that could spell a loop keyword", |c| {
                !c.is_alphabetic()
            })
            .prop_map(String::from),
    ]
}

fn mutation(insertion: BoxedStrategy<String>) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), insertion).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), 1..8usize).prop_map(|(i, n)| Mutation::DeleteChars(i, n)),
        (any::<usize>(), -6..=6i8).prop_map(|(i, d)| Mutation::Indent(i, d)),
        any::<usize>().prop_map(Mutation::Tab),
    ]
}

fn mutations(insertion: BoxedStrategy<String>) -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(insertion), 1..5)
}

/// Byte offsets of every character boundary, the end included.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    let at = |i: &usize| {
        let b = boundaries(text);
        b[i % b.len()]
    };
    match m {
        Mutation::Truncate(i) => text[..at(i)].to_string(),
        Mutation::Insert(i, s) => {
            let at = at(i);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Mutation::DeleteChars(i, n) => {
            let b = boundaries(text);
            let start = i % b.len();
            let end = b[(start + n).min(b.len() - 1)];
            format!("{}{}", &text[..b[start]], &text[end..])
        }
        _ if lines.is_empty() => text.to_string(),
        Mutation::DeleteLine(i) => {
            lines.remove(i % lines.len());
            lines.concat()
        }
        Mutation::DuplicateLine(i) => {
            let i = i % lines.len();
            let mut line = lines[i].clone();
            if !line.ends_with('\n') {
                line.push('\n');
            }
            lines.insert(i, line);
            lines.concat()
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (a % lines.len(), b % lines.len());
            lines.swap(a, b);
            lines.concat()
        }
        Mutation::Indent(i, d) => {
            let n = lines.len();
            let line = &mut lines[i % n];
            let indent = line.len() - line.trim_start_matches(' ').len();
            let new = (indent as i64 + i64::from(*d)).max(0) as usize;
            *line = format!("{}{}", " ".repeat(new), &line[indent..]);
            lines.concat()
        }
        Mutation::Tab(i) => {
            let n = lines.len();
            let line = &mut lines[i % n];
            *line = format!("\t{}", line.trim_start_matches(' '));
            lines.concat()
        }
    }
}

fn mangle(text: &str, ms: &[Mutation]) -> String {
    ms.iter().fold(text.to_string(), |t, m| apply(&t, m))
}

/// The repository's files under `dir` (e.g. `indicators/`).
fn example_paths(prefix: &str) -> Vec<String> {
    let paths: Vec<String> = Files::example()
        .paths()
        .into_iter()
        .filter(|p| p.starts_with(prefix))
        .collect();
    assert!(!paths.is_empty(), "no example files under {prefix}");
    paths
}

/// A workspace of the real manifest and rules, with only the given indicator file.
fn with_one_indicator_file(path: &str, text: &str) -> Files {
    Files::example()
        .retain(|p| !p.starts_with("indicators/") && !p.starts_with("budgets/"))
        .set(path, text)
}

/// `cases` per property, kept modest so that `cargo test` stays fast; set `PROPTEST_CASES`
/// to run more (`PROPTEST_CASES=5000 cargo test --release --test mangled`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Failures are reported with the shrunk input; no regression files in the repository.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Sanity checks of the harness itself.

#[test]
fn the_unmangled_files_are_clean() {
    let run = |files: &Files| {
        let ws = files.write();
        let a = kinerja::analyze(ws.path(), &Options::default()).expect("loads");
        let codes: Vec<String> = a.diagnostics().iter().map(|d| d.code.to_string()).collect();
        assert!(!a.diagnostics().has_errors(), "{codes:?}");
    };
    run(&Files::minimal());
    run(&Files::minimal().set("budgets/anggaran.yaml", MINIMAL_BUDGET));
    run(&Files::example());
    for path in example_paths("indicators/") {
        let text = Files::example().get(&path).expect("file").to_string();
        run(&with_one_indicator_file(&path, &text));
    }
}

#[test]
fn mutations_do_what_they_say() {
    use Mutation::*;
    let text = "a: 1\n  b: 2\nc: 3";
    assert_eq!(apply(text, &Truncate(0)), "");
    assert_eq!(apply(text, &Truncate(6)), "a: 1\n ");
    // Positions wrap around: the file has 16 characters, so 17 boundaries.
    assert_eq!(apply(text, &Truncate(17 + 6)), "a: 1\n ");
    assert_eq!(apply("é✓", &Truncate(1)), "é");
    assert_eq!(apply("", &DeleteLine(0)), "");
    assert_eq!(apply(text, &DeleteLine(1)), "a: 1\nc: 3");
    assert_eq!(apply(text, &DuplicateLine(2)), "a: 1\n  b: 2\nc: 3\nc: 3");
    assert_eq!(apply(text, &SwapLines(0, 1)), "  b: 2\na: 1\nc: 3");
    assert_eq!(apply(text, &Tab(1)), "a: 1\n\tb: 2\nc: 3");
    assert_eq!(apply(text, &Indent(0, 2)), "  a: 1\n  b: 2\nc: 3");
    assert_eq!(apply(text, &Indent(1, -5)), "a: 1\nb: 2\nc: 3");
    assert_eq!(apply("é✓", &DeleteChars(0, 1)), "✓");
    assert_eq!(apply("é✓", &DeleteChars(1, 9)), "é");
    assert_eq!(apply("é✓", &Insert(1, "x".into())), "éx✓");
    assert_eq!(mangle(text, &[DeleteLine(0), DeleteLine(0)]), "c: 3");
}

// ---------------------------------------------------------------------------------------
// The properties.

proptest! {
    // Each case is analysed, then checked in-process as text and as JSON.
    #![proptest_config(config(64))]

    /// Any text as an indicator file.
    #[test]
    fn any_text_as_an_indicator_file(text in any_text()) {
        analyze_and_check(&Files::minimal().set("indicators/sp1.yaml", &text))?;
    }

    /// Any text as a second indicator file, beside a valid one.
    #[test]
    fn any_text_beside_a_valid_indicator_file(text in any_text()) {
        analyze_and_check(&Files::minimal().set("indicators/sp2.yaml", &text))?;
    }

    /// Any text as the manifest.
    #[test]
    fn any_text_as_the_manifest(text in any_text()) {
        analyze_and_check(&Files::minimal().set("kinerja.yaml", &text))?;
    }

    /// Any text as a budget file.
    #[test]
    fn any_text_as_a_budget_file(text in any_text()) {
        analyze_and_check(&Files::minimal().set("budgets/anggaran.yaml", &text))?;
    }

    /// Any text as a rule file.
    #[test]
    fn any_text_as_a_rule_file(text in prop_oneof![any::<String>(), ".{0,200}"]) {
        analyze_and_check(&Files::minimal().set("rules/extra.rhai", &text))?;
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// The repository's indicator files, mangled.
    #[test]
    fn mangled_indicator_files(
        path in select(example_paths("indicators/")),
        ms in mutations(yaml_insertion().boxed()),
    ) {
        let text = mangle(Files::example().get(&path).expect("file"), &ms);
        analyze(&with_one_indicator_file(&path, &text))?;
    }

    /// The repository's manifest, mangled.
    #[test]
    fn mangled_manifest(ms in mutations(yaml_insertion().boxed())) {
        let text = mangle(Files::example().get("kinerja.yaml").expect("file"), &ms);
        analyze(
            &Files::minimal()
                .set("budgets/anggaran.yaml", MINIMAL_BUDGET)
                .set("kinerja.yaml", &text),
        )?;
    }

    /// The repository's budget file, mangled.
    #[test]
    fn mangled_budget_file(
        path in select(example_paths("budgets/")),
        ms in mutations(yaml_insertion().boxed()),
    ) {
        let text = mangle(Files::example().get(&path).expect("file"), &ms);
        analyze(&Files::minimal().set(&path, &text))?;
    }
}

proptest! {
    // The whole example is evaluated for each case: fewer cases.
    #![proptest_config(config(64))]

    /// The repository's rule files, mangled, under the whole example (which calls every
    /// shipped rule).
    #[test]
    fn mangled_rule_files(
        path in select(example_paths("rules/")),
        ms in mutations(rhai_insertion().boxed()),
    ) {
        let files = Files::example();
        let text = mangle(files.get(&path).expect("file"), &ms);
        analyze(&files.set(&path, &text))?;
    }
}

// ---------------------------------------------------------------------------------------
// Extreme numbers: exact decimals hold 28 digits; anything past that must be a diagnostic,
// not an overflow.

/// A number as it could be written in a file: ordinary, huge, tiny, negative, at the limits
/// of a 96-bit decimal and past them.
fn extreme_number() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "0",
            "-0",
            "1",
            "-1",
            "100",
            "0.0000000000000000000000000001",
            "-0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "79228162514264337593543950336",
            "7922816251426433759354395033.5",
            "39614081257132168796771975168",
            "9999999999999999999999999999",
            "99999999999999999999999999999999",
            "1e28",
            "1e-28",
            "28_585_438_802_000",
            "0.5",
        ])
        .prop_map(String::from),
        any::<i64>().prop_map(|n| n.to_string()),
        (any::<i64>(), 0..28u32)
            .prop_map(|(n, scale)| rust_decimal::Decimal::new(n, scale).to_string()),
    ]
}

fn fill(template: &str, numbers: &[String]) -> String {
    let mut out = template.to_string();
    for n in numbers {
        out = out.replacen("{}", n, 1);
    }
    assert!(!out.contains("{}"), "not enough numbers for the template");
    out
}

const EXTREME_INDICATORS: &str = "\
sasaran:
  - id: SP1
    nama: Sasaran satu
indikator:
  - id: IKP1.1
    nama: Satu
    sasaran: SP1
    satuan: persen
    target: {pk: {}, renstra: {2022: {}, 2024: {}}}
    realisasi:
      rumus: rasio
      masukan: {n: {}, t: {}}
  - id: IKP1.2
    nama: Dua
    sasaran: SP1
    satuan: nilai
    polaritas: minimal
    target: {}
    realisasi: {}
    capaian: {bulatkan: 2}
  - id: IKP1.3
    nama: Tiga
    sasaran: SP1
    satuan: indeks
    polaritas: stabilisasi
    target: {}
    realisasi: {rumus: rasio_gabungan, masukan: {n: [{}, {}], t: [{}, {}]}}
";

/// The same, with figures the report printed and evidence: what the audit compares.
const EXTREME_PRINTED: &str = "\
sasaran:
  - id: SP1
    nama: Sasaran satu
    dicetak: {capaian: {}}
indikator:
  - id: IKP1.1
    nama: Satu
    sasaran: SP1
    satuan: persen
    target: {pk: {}, renstra: {2022: {}, 2024: {}}}
    realisasi:
      rumus: rasio
      masukan: {n: {}, t: {}}
    dicetak: {target: {}, realisasi: {}, capaian: {}, capaian_jangka_menengah: {}}
    bukti:
      - {keterangan: lain, rumus: rasio, masukan: {n: {}, t: {}}}
";

/// One row in one table: nothing to add up or compare, only rule calls.
const EXTREME_BUDGET_ROW: &str = "\
program: P
kegiatan:
  - {kode: '1', nama: A, pagu: {}, realisasi: {}}
riwayat:
  - {tahun: 2021, pagu: {}, realisasi: {}}
  - {tahun: 2020, persen: {}}
";

/// Several rows, line items and printed totals: sums, and what the audit compares.
const EXTREME_BUDGET_TOTALS: &str = "\
program: P
kegiatan:
  - {kode: '1', nama: A, pagu: {}, realisasi: {}, dicetak: {persen: {}}}
  - {kode: '2', nama: B, pagu: {}, realisasi: {}}
jenis_belanja:
  - {kode: '52', pagu: {}, realisasi: {}}
  - {kode: '53', pagu: {}, realisasi: {}}
rincian:
  - {kegiatan: '1', jenis_belanja: '52', pagu: {}, realisasi: {}}
dicetak: {pagu: {}, realisasi: {}, persen: {}, sisa: {}}
";

fn placeholders(template: &str) -> usize {
    template.matches("{}").count()
}

/// `template` with its `{}` filled by extreme numbers.
fn extreme(template: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(extreme_number(), placeholders(template))
        .prop_map(move |numbers| fill(template, &numbers))
}

proptest! {
    #![proptest_config(config(64))]

    /// Extreme numbers in every numeric place of an indicator file.
    #[test]
    fn extreme_numbers_in_indicators(text in extreme(EXTREME_INDICATORS)) {
        analyze(&Files::minimal().set("indicators/sp1.yaml", &text))?;
    }

    /// Extreme numbers in a budget file's rows.
    #[test]
    fn extreme_numbers_in_budget_rows(text in extreme(EXTREME_BUDGET_ROW)) {
        analyze(&Files::minimal().set("budgets/anggaran.yaml", &text))?;
    }

    /// Extreme numbers in printed figures and evidence.
    #[test]
    fn extreme_numbers_in_printed_figures(text in extreme(EXTREME_PRINTED)) {
        analyze(&Files::minimal().set("indicators/sp1.yaml", &text))?;
    }

    /// Extreme numbers in a budget with several rows, line items and printed totals.
    #[test]
    fn extreme_numbers_in_budget_totals(text in extreme(EXTREME_BUDGET_TOTALS)) {
        analyze(&Files::minimal().set("budgets/anggaran.yaml", &text))?;
    }
}
