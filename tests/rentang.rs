//! Issue 14, item 5: range targets. `target: {min: 80, maks: 90}` (for the PK year and for
//! any Renstra year) is measured by the PermenPANRB rule: inside the range 100, above it
//! against the upper bound, below it against the lower; every output shows it as `80–90`.
//! The diagnostics (M005, R004, Y003) are in tests/check.rs.

mod common;

use common::{Files, kinerja, snapshot_settings, stdout};

/// IKU1.1: 80–90, realisasi 95 (above: 95 ÷ 90 = 105.56). IKU1.2: 80–90, realisasi 72
/// (below: 72 ÷ 80 = 90). IKU1.3: lower is better, 7–8 months, realisasi 7.5 (inside: 100);
/// its Renstra 2024 target is one number, 6 (75). IKU1.4: a Renstra range for 2022 and 2024.
const INDICATORS: &str = "\
sasaran:
  - id: SP1
    nama: Sasaran satu

indikator:
  - id: IKU1.1
    nama: Di atas rentang
    sasaran: SP1
    satuan: persen
    target: {min: 80, maks: 90}
    realisasi: 95
  - id: IKU1.2
    nama: Di bawah rentang
    sasaran: SP1
    satuan: persen
    target: {min: 80, maks: 90}
    realisasi: 72
  - id: IKU1.3
    nama: Waktu penyelesaian
    sasaran: SP1
    satuan: bulan
    polaritas: minimal
    target:
      pk: {min: 7, maks: 8}
      renstra: {2024: 6}
    realisasi: 7.5
  - id: IKU1.4
    nama: Rentang Renstra
    sasaran: SP1
    satuan: indeks
    target:
      renstra:
        2022: {min: 3, maks: 3.5}
        2024: {min: 3.2, maks: 3.6}
    realisasi: 3.3
";

fn ranged() -> Files {
    Files::minimal().set("indicators/sp1.yaml", INDICATORS)
}

fn run(files: &Files, args: &[&str]) -> String {
    let ws = files.write();
    let out = kinerja(ws.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    stdout(&out)
}

#[test]
fn capaian_against_a_range() {
    let text = run(&ranged(), &["eval", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let ind = |i: usize| &v["indikator"][i];
    assert_eq!(ind(0)["target"], serde_json::json!({"min": 80, "maks": 90}));
    assert_eq!(ind(0)["capaian"].as_f64(), Some(105.56), "{v}");
    assert_eq!(ind(1)["capaian"].as_f64(), Some(90.0), "{v}");
    assert_eq!(ind(2)["capaian"].as_f64(), Some(100.0), "{v}");
    // The Renstra's last year is one number: measured by the one-target rule.
    assert_eq!(
        ind(2)["jangka_menengah"]["target"].as_f64(),
        Some(6.0),
        "{v}"
    );
    assert_eq!(
        ind(2)["jangka_menengah"]["capaian"].as_f64(),
        Some(75.0),
        "{v}"
    );
    // A Renstra range counts for its year, and is the medium-term comparison point.
    assert_eq!(ind(3)["target"], serde_json::json!({"min": 3, "maks": 3.5}));
    assert_eq!(ind(3)["capaian"].as_f64(), Some(100.0), "{v}");
    assert_eq!(
        ind(3)["jangka_menengah"]["target"],
        serde_json::json!({"min": 3.2, "maks": 3.6})
    );
    assert_eq!(
        ind(3)["jangka_menengah"]["capaian"].as_f64(),
        Some(100.0),
        "{v}"
    );
}

#[test]
fn every_output_shows_a_range_as_80_90() {
    let files = ranged();
    let table = run(&files, &["eval"]);
    assert!(table.contains("80.00–90.00"), "{table}");
    let md = run(&files, &["eval", "--format", "markdown", "--locale", "id"]);
    assert!(
        md.contains("| IKU1.1 | Di atas rentang | persen | 80,00–90,00 | 95,00 | 105,56 |"),
        "{md}"
    );
    assert!(
        md.contains("| IKU1.4 | Rentang Renstra | 3,30 | 2024 | 3,20–3,60 | 100,00 |"),
        "{md}"
    );
    let csv = run(&files, &["eval", "--format", "csv"]);
    assert!(
        csv.contains("indikator,IKU1.1,Di atas rentang,target,80–90\n"),
        "{csv}"
    );
    assert!(
        csv.contains("indikator,IKU1.4,Rentang Renstra,target_2024,3.2–3.6\n"),
        "{csv}"
    );
    let yaml = run(&files, &["eval", "--format", "yaml"]);
    assert!(
        yaml.contains("    target:\n      min: 80\n      maks: 90\n"),
        "{yaml}"
    );
    let page = run(&files, &["eval", "--format", "html"]);
    assert!(
        page.contains("\"target\":{\"t\":\"80.00–90.00\",\"v\":null}"),
        "the page's data"
    );
    let ws = files.write();
    let out = kinerja(ws.path(), &["snapshot"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let snap =
        std::fs::read_to_string(ws.path().join("snapshots/indikator.snap")).expect("snapshot");
    assert!(snap.contains("[IKU1.1] target = 80.00–90.00\n"), "{snap}");
    assert!(
        snap.contains("[IKU1.4] target_2024 = 3.20–3.60\n"),
        "{snap}"
    );
    // A bound moved is a change of the target, shown as ranges.
    common::edit(
        &ws.path().join("indicators/sp1.yaml"),
        "    target: {min: 80, maks: 90}\n    realisasi: 95",
        "    target: {min: 80, maks: 95}\n    realisasi: 95",
    );
    let out = kinerja(ws.path(), &["snapshot", "--check"]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("-[IKU1.1] target = 80.00–90.00"), "{text}");
    assert!(text.contains("+[IKU1.1] target = 80.00–95.00"), "{text}");
    assert!(text.contains("+[IKU1.1] capaian = 100.00"), "{text}");
}

/// `explain` names the bound used: above the range the upper, below it the lower.
#[test]
fn explain_shows_the_bound_used() {
    let files = ranged();
    let mut text = run(&files, &["explain", "IKU1.1"]);
    text.push_str(&run(&files, &["explain", "IKU1.2"]));
    text.push_str(&run(&files, &["explain", "IKU1.3"]));
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_range_targets", text));
}

/// What-if: one number set over a range replaces it.
#[test]
fn a_number_set_over_a_range() {
    let text = run(
        &ranged(),
        &["eval", "--format", "json", "--set", "IKU1.1.target=95"],
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["indikator"][0]["target"].as_f64(), Some(95.0), "{v}");
    assert_eq!(v["indikator"][0]["capaian"].as_f64(), Some(100.0), "{v}");
}

#[test]
fn a_number_set_under_a_range_rule_is_reported_at_the_override() {
    // The indikator names a range rule; `--set` gives one number: the error is the
    // override's, not the file's range.
    let files = ranged().edit(
        "indicators/sp1.yaml",
        "    target: {min: 80, maks: 90}\n    realisasi: 95\n",
        "    target: {min: 80, maks: 90}\n    realisasi: 95\n    capaian: {rumus: capaian_rentang_maksimal}\n",
    );
    let ws = files.write();
    let out = kinerja(ws.path(), &["eval", "--set", "IKU1.1.target=95"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = common::stderr(&out) + &stdout(&out);
    assert!(text.contains("IKU1.1's target is one number, but its capaian rule `capaian_rentang_maksimal` measures against a range"), "{text}");
    assert!(text.contains("--> command line:1:21"), "{text}");
}
