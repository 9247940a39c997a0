//! The indikator side of reporting periods through the real binary: a realisasi computed
//! per period by a rule from each period's inputs, printed figures audited at the period
//! they were printed for (and left out, with a note, at another), the per-period table of
//! the terminal and Markdown reports, and a line for a figure not due in the snapshot files.
//!
//! The workspace is small and synthetic: the figures only need to tell the cases apart.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Reported as of TW2, counting villages (`desa`) by summing the periods.
const MANIFEST: &str = "\
organisasi: Dinas Contoh
tahun: 2022
periode: {kalender: triwulan, laporan: TW2, akumulasi: {desa: jumlah}}
dicetak:
  - {nilai_kinerja: 91.67, periode: TW1, sumber: Laporan Triwulan I}
  - {nilai_kinerja: 107.22, sumber: Laporan Triwulan II}
";

/// IK1: a ratio s.d. each triwulan (cumulative inputs, the latest value); IK2: the villages
/// of each triwulan, by the shipped `jumlah` over a list, summed over the periods; IK3: first
/// given in TW3, so not due as of TW2. Printed figures for TW1 and for the manifest's TW2.
const INDIKATOR: &str = "\
sasaran:
  - id: SP1
    nama: Layanan tepat waktu
    dicetak:
      - {capaian: 91.67, periode: TW1}
      - {capaian: 107.22}
indikator:
  - id: IK1
    nama: Persentase dokumen tepat waktu
    sasaran: SP1
    satuan: persen
    target: 90
    realisasi:
      rumus: rasio
      per_periode:
        TW1: {n: 30, t: 40}
        TW2: {n: 85, t: 100}
      akumulasi: terakhir
    dicetak:
      - {realisasi: 75.00, capaian: 83.33, periode: TW1}
      - {realisasi: 85.00, capaian: 94.44}
  - id: IK2
    nama: Jumlah desa dibina
    sasaran: SP1
    satuan: desa
    target: {pk: 20, per_periode: {TW1: 5, TW2: 10}}
    realisasi:
      rumus: jumlah
      per_periode:
        TW1: [3, 2]
        TW2: [4, 1, 2]
  - id: IK3
    nama: Indeks kepuasan
    sasaran: SP1
    satuan: indeks
    target: 80
    realisasi: {per_periode: {TW3: 82}}
";

const FILE: &str = "indicators/ik.yaml";

fn files() -> Files {
    Files::minimal()
        .remove("indicators/sp1.yaml")
        .set("kinerja.yaml", MANIFEST)
        .set(FILE, INDIKATOR)
}

fn ok(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(out), stderr(out));
    stdout(out)
}

fn json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["eval", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&kinerja(dir, &args))).expect("json")
}

fn indikator<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {v}"))
}

/// The values counted per period, as JSON writes them.
fn per_periode(v: &Value, id: &str) -> Vec<String> {
    indikator(v, id)["per_periode"]
        .as_array()
        .expect("per_periode")
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                p["periode"].as_str().unwrap_or("?"),
                p["realisasi"]
            )
        })
        .collect()
}

#[test]
fn a_rule_computes_each_periods_value_and_the_periods_accumulate() {
    let ws = files().write();
    let (tw1, tw2) = (
        json(ws.path(), &["--periode", "TW1"]),
        json(ws.path(), &["--periode", "TW2"]),
    );
    // terakhir over cumulative inputs: the ratio s.d. the period (30/40, then 85/100).
    assert_eq!(indikator(&tw1, "IK1")["realisasi"], 75);
    assert_eq!(indikator(&tw2, "IK1")["realisasi"], 85);
    assert_eq!(per_periode(&tw2, "IK1"), ["TW1=75", "TW2=85"]);
    // jumlah of each period's list (5, then 7), summed over the periods by jumlah.
    assert_eq!(indikator(&tw1, "IK2")["realisasi"], 5);
    assert_eq!(indikator(&tw2, "IK2")["realisasi"], 12);
    assert_eq!(per_periode(&tw2, "IK2"), ["TW1=5", "TW2=7"]);
    assert_eq!(indikator(&tw2, "IK2")["capaian"], 120);
    // The year: IK3's TW3 counted, the others as of their last period given.
    let year = json(ws.path(), &["--periode", "TW4"]);
    assert_eq!(indikator(&year, "IK2")["realisasi"], 12);
    assert_eq!(indikator(&year, "IK3")["realisasi"], 82);
    // A value computed per period is shown at the presentation's precision, as the
    // figure is: 55 ÷ 60 × 100 is 91.67, not every decimal of the division.
    let ws = files()
        .edit(FILE, "TW2: {n: 85, t: 100}", "TW2: {n: 55, t: 60}")
        .write();
    let v = json(ws.path(), &[]);
    assert_eq!(per_periode(&v, "IK1"), ["TW1=75", "TW2=91.67"]);
    let csv = ok(&kinerja(ws.path(), &["eval", "--format", "csv"]));
    assert!(
        csv.contains("indikator,IK1,Persentase dokumen tepat waktu,realisasi_periode,91.67,TW2\n"),
        "{csv}"
    );
}

#[test]
fn what_if_sets_one_periods_input_and_diff_lists_the_inputs() {
    let ws = files().write();
    // `--set` reaches a period's inputs by the period's name.
    let v = json(ws.path(), &["--set", "IK1.masukan.TW2.n=90"]);
    assert_eq!(indikator(&v, "IK1")["realisasi"], 90);
    assert_eq!(per_periode(&v, "IK1"), ["TW1=75", "TW2=90"]);
    let out = kinerja(ws.path(), &["eval", "--set", "IK1.masukan.n=90"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("`IK1.masukan` (indicators/ik.yaml:14:7) is given per period, each with its own inputs; name the period before the input: `IK1.masukan.TW1.…` (its periods: TW1, TW2)"),
        "{}",
        stderr(&out)
    );
    // `diff` names the rule and every period's inputs.
    let after = files()
        .edit(FILE, "TW2: {n: 85, t: 100}", "TW2: {n: 88, t: 100}")
        .write();
    let a = ws.path().to_string_lossy().into_owned();
    let b = after.path().to_string_lossy().into_owned();
    let text = ok(&kinerja(ws.path(), &["diff", &a, &b]));
    assert!(
        text.contains("  ~ IK1 realisasi: rasio({TW1: {n: 30, t: 40}, TW2: {n: 85, t: 100}}) → rasio({TW1: {n: 30, t: 40}, TW2: {n: 88, t: 100}})\n"),
        "{text}"
    );
    assert!(
        text.contains("  ~ IK1 realisasi: 85.00 → 88.00\n"),
        "{text}"
    );
}

#[test]
fn explain_shows_each_periods_inputs_and_value() {
    let ws = files().write();
    let text = ok(&kinerja(ws.path(), &["explain", "IK2"]));
    snapshot_settings().bind(|| insta::assert_snapshot!("periode_indikator.explain_ik2", text));
    assert!(text.contains("realisasi as of TW2 = 12.00"), "{text}");
    assert!(text.contains("TW1 = 5.00  indicators/ik.yaml:"), "{text}");
    assert!(text.contains("TW2 = 7.00  indicators/ik.yaml:"), "{text}");
    assert!(text.contains("[2] = 2  indicators/ik.yaml:"), "{text}");
}

/// Runs `check` (with `extra`), asserts the exit status and that `code` is reported with
/// `location` among its places, and snapshots the output as `periode_indikator.<name>`.
fn diagnostic(name: &str, files: &Files, extra: &[&str], exit: i32, code: &str, location: &str) {
    let ws = files.write();
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let out = kinerja(ws.path(), &args);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(exit),
        "{name}:\n{text}{}",
        stderr(&out)
    );
    let block = text
        .split("\n\n")
        .find(|b| b.contains(&format!("[{code}]")))
        .unwrap_or_else(|| panic!("{name}: no {code} in:\n{text}"));
    assert!(
        block.contains(&format!("--> {location}\n"))
            || block.contains(&format!("::: {location}\n")),
        "{name}: expected {code} at {location}:\n{block}"
    );
    assert!(block.contains("= help:"), "{name}: a hint:\n{block}");
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("periode_indikator.{name}"), text));
}

#[test]
fn a_failing_periods_inputs_are_located_at_that_period() {
    // The rule fails on TW2's inputs: the failure names the period and points at it.
    diagnostic(
        "r002_failing_period",
        &files().edit(FILE, "TW2: {n: 85, t: 100}", "TW2: {n: 85, t: 0}"),
        &[],
        1,
        "R002",
        "indicators/ik.yaml:17:9",
    );
    let ws = files()
        .edit(FILE, "TW2: {n: 85, t: 100}", "TW2: {n: 85, t: 0}")
        .write();
    let text = stdout(&kinerja(ws.path(), &["check"]));
    assert!(
        text.contains("IK1: realisasi TW2: rule `rasio` failed"),
        "{text}"
    );
    assert!(
        text.contains("while computing realisasi TW2 of IK1"),
        "{text}"
    );
    // As of TW1, TW2's inputs are not computed, so they do not fail the report.
    let out = kinerja(ws.path(), &["eval", "--periode", "TW1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_number_among_a_rules_inputs_is_refused_where_it_stands() {
    diagnostic(
        "y004_number_beside_inputs",
        &files().edit(FILE, "TW1: {n: 30, t: 40}", "TW1: 75"),
        &[],
        1,
        "Y004",
        "indicators/ik.yaml:16:14",
    );
}

#[test]
fn inputs_without_a_rule_are_refused_where_they_stand() {
    diagnostic(
        "y004_inputs_without_rumus",
        &files().edit(
            FILE,
            "realisasi: {per_periode: {TW3: 82}}",
            "realisasi: {per_periode: {TW3: {n: 82, t: 100}}}",
        ),
        &[],
        1,
        "Y004",
        "indicators/ik.yaml:37:36",
    );
}

#[test]
fn inputs_for_the_year_beside_inputs_per_period_are_refused() {
    diagnostic(
        "y004_masukan_beside_per_periode",
        &files().edit(
            FILE,
            "      rumus: rasio\n",
            "      rumus: rasio\n      masukan: {n: 85, t: 100}\n",
        ),
        &[],
        1,
        "Y004",
        "indicators/ik.yaml:15:16",
    );
}

// ---------------------------------------------------------------------------------------
// Printed figures per period.

fn audit(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit"];
    args.extend_from_slice(extra);
    kinerja(dir, &args)
}

#[test]
fn printed_figures_are_audited_as_of_their_period_and_left_out_at_another() {
    let ws = files().write();
    // As of the manifest's TW2: its printings agree; TW1's four are left out, said once.
    let tw2 = ok(&audit(ws.path(), &[]));
    snapshot_settings().bind(|| insta::assert_snapshot!("periode_indikator.audit_tw2", tw2));
    assert!(
        tw2.starts_with("note: 4 printed figures for Triwulan I not compared: this run is as of Triwulan II (`--periode TW1` audits them)\n"),
        "{tw2}"
    );
    // As of TW1: TW1's printings agree; those of the manifest's period are left out.
    let tw1 = ok(&audit(ws.path(), &["--periode", "TW1"]));
    snapshot_settings().bind(|| insta::assert_snapshot!("periode_indikator.audit_tw1", tw1));
    assert!(
        tw1.contains("note: 4 printed figures for Triwulan II not compared: this run is as of Triwulan I (`--periode TW2` audits them)\n"),
        "{tw1}"
    );
    // `check` says it too, and it is no warning. Values after TW1 that the manifest's
    // TW2 counts are expected by a run looking back; IK3's TW3 value is after TW2 itself
    // (P002).
    let check = ok(&kinerja(ws.path(), &["check", "--periode", "TW1"]));
    assert!(
        check.contains("note: 4 printed figures for Triwulan II"),
        "{check}"
    );
    assert!(check.ends_with("\n0 errors, 1 warning\n"), "{check}");
    assert_eq!(check.matches("warning[P002]").count(), 1, "{check}");
    assert!(check.contains("IK3's realisasi for TW3"), "{check}");
}

#[test]
fn a_printed_figure_is_compared_at_its_period_only() {
    // A TW1 capaian printed wrong: found as of TW1, and only then.
    let ws = files()
        .edit(
            FILE,
            "{realisasi: 75.00, capaian: 83.33, periode: TW1}",
            "{realisasi: 75.00, capaian: 83.38, periode: TW1}",
        )
        .write();
    let out = audit(ws.path(), &["--periode", "TW1"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("IK1 capaian: printed 83.38, computed 83.33 (difference +0.05)"),
        "{text}"
    );
    let text = ok(&audit(ws.path(), &[]));
    assert!(!text.contains("83.38"), "{text}");
    // Before figures had periods, every printing was compared with every run: the TW1
    // figures as of TW2 disagreed for no fault of the report. Dropping the periods shows it.
    let ws = files()
        .edit(FILE, ", capaian: 83.33, periode: TW1}", ", capaian: 83.33}")
        .write();
    let out = audit(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("IK1 capaian: printed 83.33, computed 94.44"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_whole_years_printing_is_of_the_last_period() {
    // Without `laporan`, printings naming no period are the year's: audited without
    // `--periode` and with `--periode TW4`, left out as of TW2.
    let ws = files()
        .edit("kinerja.yaml", "laporan: TW2, ", "")
        .edit("kinerja.yaml", "  - {nilai_kinerja: 107.22, sumber: Laporan Triwulan II}\n", "")
        .edit(FILE, "      - {capaian: 107.22}\n", "")
        .edit(FILE, "      - {realisasi: 85.00, capaian: 94.44}\n", "      - {realisasi: 85.00, capaian: 94.44, periode: TW2}\n      - {realisasi: 85.00, capaian: 94.44}\n")
        .write();
    let year = ok(&audit(ws.path(), &[]));
    assert!(
        year.starts_with("note: 6 printed figures for other periods (TW1: 4, TW2: 2) not compared: this run is the whole year's (`--periode TW1` audits them)\n"),
        "{year}"
    );
    let tw4 = ok(&audit(ws.path(), &["--periode", "TW4"]));
    assert!(tw4.contains("(TW1: 4, TW2: 2)"), "{tw4}");
    let tw2 = ok(&audit(ws.path(), &["--periode", "TW2"]));
    assert!(
        tw2.starts_with("note: 6 printed figures for other periods (TW1: 4, TW4: 2)"),
        "{tw2}"
    );
}

#[test]
fn a_printing_for_another_calendars_period_is_refused() {
    diagnostic(
        "p001_printed_for_a_month",
        &files().edit(
            FILE,
            "      - {capaian: 91.67, periode: TW1}",
            "      - {capaian: 91.67, periode: Maret}",
        ),
        &[],
        1,
        "P001",
        "indicators/ik.yaml:5:35",
    );
    diagnostic(
        "p001_printed_for_no_period",
        &files().edit(
            "kinerja.yaml",
            "periode: TW1, sumber",
            "periode: TW5, sumber",
        ),
        &[],
        1,
        "P001",
        "kinerja.yaml:5:37",
    );
}

// ---------------------------------------------------------------------------------------
// The per-period table.

#[test]
fn the_report_shows_each_periods_value() {
    let ws = files().write();
    let table = ok(&kinerja(ws.path(), &["eval"]));
    snapshot_settings().bind(|| insta::assert_snapshot!("periode_indikator.eval_txt", table));
    let md = ok(&kinerja(ws.path(), &["eval", "--format", "markdown"]));
    snapshot_settings().bind(|| insta::assert_snapshot!("periode_indikator.eval_md", md));
    assert!(
        md.contains("## Realisasi per periode Triwulan II 2022\n\n| ID | Indikator | TW1 | TW2 | Realisasi | Akumulasi |\n"),
        "{md}"
    );
    assert!(
        md.contains("| IK2 | Jumlah desa dibina | 5.00 | 7.00 | 12.00 | jumlah |\n"),
        "{md}"
    );
    assert!(
        md.contains("| IK3 | Indeks kepuasan | — | — | belum jatuh tempo | terakhir |\n"),
        "{md}"
    );
    // Right after the capaian table.
    let capaian = md.find("## Capaian kinerja").expect("capaian");
    let periode = md.find("## Realisasi per periode").expect("per periode");
    let next = md[capaian + 1..].find("\n## ").map(|i| i + capaian + 2);
    assert_eq!(next, Some(periode), "{md}");
    // As of TW1: one period's column.
    let md = ok(&kinerja(
        ws.path(),
        &["eval", "--format", "markdown", "--periode", "TW1"],
    ));
    assert!(
        md.contains("| ID | Indikator | TW1 | Realisasi | Akumulasi |\n"),
        "{md}"
    );
}

#[test]
fn without_values_per_period_there_is_no_such_table() {
    let ws = Files::minimal().write();
    for format in ["table", "markdown"] {
        let text = ok(&kinerja(ws.path(), &["eval", "--format", format]));
        assert!(!text.contains("per periode"), "{text}");
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots.

#[test]
fn a_figure_not_due_has_a_snapshot_line_and_its_becoming_due_is_a_change() {
    let ws = files().write();
    ok(&kinerja(ws.path(), &["snapshot"]));
    let stored =
        std::fs::read_to_string(ws.path().join("snapshots/TW2/indikator.snap")).expect("stored");
    assert!(
        stored.contains(
            "# IK3: Indeks kepuasan\n[IK3] target = 80.00\n[IK3] realisasi = belum jatuh tempo\n"
        ),
        "{stored}"
    );
    // IK3 given for TW2: the same line changes, with the capaian new beside it.
    edit(
        &ws.path().join(FILE),
        "realisasi: {per_periode: {TW3: 82}}",
        "realisasi: {per_periode: {TW2: 82}}",
    );
    let out = kinerja(ws.path(), &["snapshot", "--check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("  IK3 realisasi: belum jatuh tempo → 82.00  (indicators/ik.yaml)\n"),
        "{text}"
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("periode_indikator.snapshot_check_due", text));
}
