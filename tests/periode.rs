//! Reporting periods through the real binary: the calendar and the period reported
//! (`periode:` in the manifest, `--periode`), realisasi and targets per period, how periods
//! accumulate (rules), figures not due, every output naming the period, and the period
//! diagnostics (P001–P003) at their line and column.
//!
//! The workspaces are small and synthetic: the figures only need to tell the rules apart.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// A workspace without sasaran: a count summed over the periods (the manifest's rule for
/// `orang`), a percentage at its latest value (the default), an index at its highest
/// (its own rule), a mean, and a figure first given in TW3.
const MANIFEST: &str = "\
organisasi: Dinas Contoh
tahun: 2022
periode: {kalender: triwulan, akumulasi: {orang: jumlah}}
";

const INDIKATOR: &str = "\
indikator:
  - id: IK1
    nama: Jumlah peserta pelatihan
    satuan: orang
    target: {pk: 400, per_periode: {TW1: 100, TW2: 200, TW3: 300, TW4: 400}}
    realisasi: {per_periode: {TW1: 120, TW2: 90, TW3: 110, TW4: 100}}
  - id: IK2
    nama: Persentase dokumen tepat waktu
    satuan: persen
    target: 90
    realisasi: {per_periode: {TW1: 70, TW2: 85, TW3: 80, TW4: 92}}
  - id: IK3
    nama: Indeks kepuasan
    satuan: indeks
    target: 80
    realisasi: {per_periode: {TW1: 75, TW2: 88, TW3: 82, TW4: 79}, akumulasi: maksimum}
  - id: IK4
    nama: Rata-rata hari layanan
    satuan: hari
    target: 10
    realisasi: {per_periode: {TW1: 12, TW2: 8, TW3: 10, TW4: 6}, akumulasi: rata_rata}
  - id: IK5
    nama: Jumlah desa dibina
    satuan: desa
    target: 20
    realisasi: {per_periode: {TW3: 8, TW4: 14}, akumulasi: jumlah}
";

fn files() -> Files {
    Files::minimal()
        .remove("indicators/sp1.yaml")
        .set("kinerja.yaml", MANIFEST)
        .set("indicators/ik.yaml", INDIKATOR)
}

fn json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["eval", "--format", "json"];
    args.extend_from_slice(extra);
    let out = kinerja(dir, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `id`'s figure `ukuran` in a JSON report, as text (`null` when there is none).
fn figure(v: &Value, id: &str, ukuran: &str) -> String {
    let ind = v["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"));
    ind[ukuran].to_string()
}

#[test]
fn each_rule_accumulates_the_periods_up_to_the_one_reported() {
    let ws = files().write();
    let at = |p: &str| json(ws.path(), &["--periode", p]);
    let (tw1, tw2, tw3, tw4) = (at("TW1"), at("TW2"), at("TW3"), at("TW4"));
    // jumlah: the cumulative sum.
    let ik1: Vec<String> = [&tw1, &tw2, &tw3, &tw4]
        .iter()
        .map(|v| figure(v, "IK1", "realisasi"))
        .collect();
    assert_eq!(ik1, ["120", "210", "320", "420"]);
    // terakhir (the default for a satuan the manifest does not list): the latest value.
    let ik2: Vec<String> = [&tw1, &tw2, &tw3, &tw4]
        .iter()
        .map(|v| figure(v, "IK2", "realisasi"))
        .collect();
    assert_eq!(ik2, ["70", "85", "80", "92"]);
    // maksimum: the highest so far.
    let ik3: Vec<String> = [&tw1, &tw2, &tw3, &tw4]
        .iter()
        .map(|v| figure(v, "IK3", "realisasi"))
        .collect();
    assert_eq!(ik3, ["75", "88", "88", "88"]);
    // rata_rata: the mean so far.
    let ik4: Vec<String> = [&tw1, &tw2, &tw3, &tw4]
        .iter()
        .map(|v| figure(v, "IK4", "realisasi"))
        .collect();
    assert_eq!(ik4, ["12", "10", "10", "9"]);
    // The target as of a period is the PK's for that period.
    assert_eq!(figure(&tw2, "IK1", "target"), "200");
    assert_eq!(figure(&tw2, "IK1", "capaian"), "105");
}

#[test]
fn a_figure_not_due_is_shown_as_not_due_never_as_zero() {
    let ws = files().write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(figure(&v, "IK5", "realisasi"), "null");
    assert_eq!(figure(&v, "IK5", "belum_jatuh_tempo"), "true");
    assert_eq!(figure(&v, "IK5", "capaian"), "null");
    // Left out of the nilai kinerja rather than counted as 0 or failing it: the mean of the
    // other four capaian (105, 94.44…, 110, and 10 ÷ 10 … by capaian_maksimal, 100).
    assert!(v["nilai_kinerja"].is_number(), "{v}");
    let due = json(ws.path(), &["--periode", "TW3"]);
    assert_eq!(figure(&due, "IK5", "realisasi"), "8");
    assert_eq!(figure(&due, "IK5", "belum_jatuh_tempo"), "null");

    let out = kinerja(ws.path(), &["eval", "--periode", "TW2"]);
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.contains("IK5"))
        .expect("a row for IK5");
    assert!(row.contains("belum jatuh tempo"), "{row}");
    assert!(!row.contains(" 0.00 "), "{row}");
    let csv = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "csv", "--periode", "TW2"],
    ));
    assert!(
        csv.contains("indikator,IK5,Jumlah desa dibina,realisasi,belum jatuh tempo,TW2\n"),
        "{csv}"
    );
}

#[test]
fn every_output_names_the_period() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["eval", "--periode", "TW2"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("Laporan Kinerja Triwulan II 2022 — Dinas Contoh\n"),
        "{text}"
    );
    assert!(text.contains("Capaian kinerja Triwulan II 2022"), "{text}");
    let md = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "markdown", "--periode", "TW2"],
    ));
    assert!(
        md.starts_with("# Laporan Kinerja Triwulan II 2022 — Dinas Contoh\n"),
        "{md}"
    );
    let v = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(
        v["periode"],
        serde_json::json!({"kalender": "triwulan", "kode": "TW2", "nama": "Triwulan II"})
    );
    // The values counted, in long form.
    let ik1 = &v["indikator"][0];
    assert_eq!(
        ik1["per_periode"],
        serde_json::json!([{"periode": "TW1", "realisasi": 120}, {"periode": "TW2", "realisasi": 90}])
    );
    let yaml = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "yaml", "--periode", "TW2"],
    ));
    assert!(
        yaml.contains("periode:\n  kalender: triwulan\n  kode: TW2\n"),
        "{yaml}"
    );
    let csv = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "csv", "--periode", "TW2"],
    ));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("bagian,id,nama,ukuran,nilai,periode"));
    assert!(
        csv.contains("indikator,IK1,Jumlah peserta pelatihan,realisasi,210,TW2\n"),
        "{csv}"
    );
    assert!(
        csv.contains("indikator,IK1,Jumlah peserta pelatihan,realisasi_periode,120,TW1\n"),
        "{csv}"
    );
    // The period after the one reported is not in the report.
    assert!(!csv.contains(",TW3\n"), "{csv}");
    let html = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "html", "--periode", "TW2"],
    ));
    assert!(
        html.contains("Laporan Kinerja Triwulan II 2022"),
        "the page's title"
    );
}

#[test]
fn the_manifest_names_the_period_and_the_command_line_overrides_it() {
    let ws = files()
        .set(
            "kinerja.yaml",
            &MANIFEST.replace("kalender: triwulan,", "kalender: triwulan, laporan: TW1,"),
        )
        .write();
    let v = json(ws.path(), &[]);
    assert_eq!(v["periode"]["kode"], "TW1");
    assert_eq!(figure(&v, "IK1", "realisasi"), "120");
    let v = json(ws.path(), &["--periode", "Triwulan III"]);
    assert_eq!(v["periode"]["kode"], "TW3");
    assert_eq!(figure(&v, "IK1", "realisasi"), "320");
}

#[test]
fn no_period_is_the_whole_year_and_tw4_gives_the_same_figures() {
    // The repository's workspace: its figures as of TW4 are the year's.
    let root = example();
    let year = json(&root, &[]);
    let mut tw4 = json(&root, &["--periode", "TW4"]);
    assert!(year.get("periode").is_none(), "no period, no key");
    assert_eq!(tw4["periode"]["kode"], "TW4");
    tw4.as_object_mut().expect("an object").remove("periode");
    assert_eq!(year, tw4);
    // And a workspace given per period: the year is as of its last period.
    let ws = files().write();
    let year = json(ws.path(), &[]);
    let mut tw4 = json(ws.path(), &["--periode", "TW4"]);
    tw4.as_object_mut().expect("an object").remove("periode");
    assert_eq!(year, tw4);
    assert_eq!(figure(&year, "IK1", "realisasi"), "420");
}

#[test]
fn semester_and_month_calendars() {
    let ws = files()
        .set(
            "kinerja.yaml",
            "organisasi: Dinas Contoh\ntahun: 2022\nperiode: {kalender: semester, akumulasi: {orang: jumlah}}\n",
        )
        .set(
            "indicators/ik.yaml",
            "indikator:\n  - id: IK1\n    nama: Peserta\n    satuan: orang\n    target: 100\n    realisasi: {per_periode: {S1: 40, Semester II: 70}}\n",
        )
        .write();
    assert_eq!(
        figure(&json(ws.path(), &["--periode", "S1"]), "IK1", "realisasi"),
        "40"
    );
    assert_eq!(figure(&json(ws.path(), &[]), "IK1", "realisasi"), "110");
    let text = stdout(&kinerja(ws.path(), &["eval", "--periode", "S1"]));
    assert!(
        text.starts_with("Laporan Kinerja Semester I 2022"),
        "{text}"
    );

    let ws = files()
        .set(
            "kinerja.yaml",
            "organisasi: Dinas Contoh\ntahun: 2022\nperiode: {kalender: bulan}\n",
        )
        .set(
            "indicators/ik.yaml",
            "indikator:\n  - id: IK1\n    nama: Persentase\n    satuan: persen\n    target: 90\n    realisasi: {per_periode: {Januari: 40, Jun: 70, Desember: 95}}\n",
        )
        .write();
    let v = json(ws.path(), &["--periode", "Juli"]);
    assert_eq!(v["periode"]["nama"], "Juli");
    assert_eq!(figure(&v, "IK1", "realisasi"), "70");
}

#[test]
fn snapshots_keep_one_set_per_period() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["snapshot", "--periode", "TW2"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("snapshots/TW2/indikator.snap"),
        "{}",
        stdout(&out)
    );
    let stored =
        std::fs::read_to_string(ws.path().join("snapshots/TW2/indikator.snap")).expect("stored");
    assert!(stored.contains("[IK1] realisasi = 210"), "{stored}");
    let check = kinerja(ws.path(), &["snapshot", "--check", "--periode", "TW2"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    // Another period is another set: not there yet, so the check fails.
    let other = kinerja(ws.path(), &["snapshot", "--check", "--periode", "TW3"]);
    assert_ne!(other.status.code(), Some(0), "{}", stdout(&other));
}

#[test]
fn explain_shows_the_periods_counted() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["explain", "IK1", "--periode", "TW2"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("realisasi as of TW2"), "{text}");
    assert!(text.contains("rule jumlah"), "{text}");
    assert!(text.contains("target (PK, TW2)"), "{text}");
    assert!(!text.contains("TW3"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Diagnostics: each at its line and column, snapshot as `check` prints it.

/// Runs `check` (with `extra`), asserts the exit status and that `code` is reported at
/// `location`, and snapshots the output as `periode.<name>`.
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
        block.contains(&format!("--> {location}\n")),
        "{name}: expected {code} at {location}:\n{block}"
    );
    assert!(block.contains("= help:"), "{name}: a hint:\n{block}");
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("periode.{name}"), text));
}

fn one(realisasi: &str) -> Files {
    files().set(
        "indicators/ik.yaml",
        &format!(
            "indikator:\n  - id: IK1\n    nama: Peserta\n    satuan: orang\n    target: 100\n    realisasi: {realisasi}\n"
        ),
    )
}

#[test]
fn p001_a_period_past_the_calendar() {
    diagnostic(
        "p001_tw5",
        &one("{per_periode: {TW1: 20, TW5: 35}}"),
        &[],
        1,
        "P001",
        "indicators/ik.yaml:6:40",
    );
}

#[test]
fn p001_a_month_in_a_triwulan_calendar() {
    diagnostic(
        "p001_month_in_triwulan",
        &one("{per_periode: {TW1: 20, Juni: 35}}"),
        &[],
        1,
        "P001",
        "indicators/ik.yaml:6:40",
    );
}

#[test]
fn p001_not_a_period_at_all() {
    diagnostic(
        "p001_not_a_period",
        &one("{per_periode: {Q1: 20}}"),
        &[],
        1,
        "P001",
        "indicators/ik.yaml:6:31",
    );
}

#[test]
fn p001_the_manifests_period_outside_its_calendar() {
    diagnostic(
        "p001_manifest_laporan",
        &one("{per_periode: {S1: 20}}").set(
            "kinerja.yaml",
            "organisasi: Dinas Contoh\ntahun: 2022\nperiode:\n  kalender: semester\n  laporan: TW2\n",
        ),
        &[],
        1,
        "P001",
        "kinerja.yaml:5:12",
    );
}

#[test]
fn p001_a_target_for_a_period_of_another_calendar() {
    diagnostic(
        "p001_target_month",
        &files().set(
            "indicators/ik.yaml",
            "indikator:\n  - id: IK1\n    nama: Peserta\n    satuan: orang\n    target: {pk: 100, per_periode: {Maret: 25}}\n    realisasi: {per_periode: {TW1: 20}}\n",
        ),
        &[],
        1,
        "P001",
        "indicators/ik.yaml:5:37",
    );
}

#[test]
fn p002_a_realisasi_after_the_period_reported() {
    let as_of_tw2 = "organisasi: Dinas Contoh\ntahun: 2022\nperiode: {laporan: TW2}\n";
    diagnostic(
        "p002_after_the_period",
        &one("{per_periode: {TW1: 20, TW2: 35, TW3: 50}}").set("kinerja.yaml", as_of_tw2),
        &[],
        0,
        "P002",
        "indicators/ik.yaml:6:49",
    );
    // Naming the manifest's period again changes nothing.
    diagnostic(
        "p002_after_the_period",
        &one("{per_periode: {TW1: 20, TW2: 35, TW3: 50}}").set("kinerja.yaml", as_of_tw2),
        &["--periode", "TW2"],
        0,
        "P002",
        "indicators/ik.yaml:6:49",
    );
    // Looking back at an earlier period of a workspace that reports a later one expects
    // the later values: no warning.
    let back = one("{per_periode: {TW1: 20, TW2: 35, TW3: 50}}").write();
    let check = kinerja(
        back.path(),
        &["check", "--deny", "warnings", "--periode", "TW2"],
    );
    assert!(check.status.success(), "{}", stdout(&check));
    // Not summed: the figure as of TW2 is 20 + 35.
    let ws = one("{per_periode: {TW1: 20, TW2: 35, TW3: 50}, akumulasi: jumlah}").write();
    assert_eq!(
        figure(&json(ws.path(), &["--periode", "TW2"]), "IK1", "realisasi"),
        "55"
    );
}

#[test]
fn p003_two_values_for_the_same_period() {
    diagnostic(
        "p003_twice",
        &one("{per_periode: {TW2: 20, Triwulan II: 35}}"),
        &[],
        1,
        "P003",
        "indicators/ik.yaml:6:40",
    );
}

#[test]
fn the_command_line_period_outside_the_calendar() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["eval", "--periode", "TW5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--periode `TW5` is not a period of the triwulan calendar"),
        "{err}"
    );
    assert!(err.contains("`TW1`, `TW2`, `TW3`, `TW4`"), "{err}");
    let out = kinerja(ws.path(), &["check", "--periode", "Juni"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("`Juni` is a period of the bulan calendar"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn realisasi_given_per_period_and_for_the_year_is_refused() {
    diagnostic(
        "y004_per_periode_beside_nilai",
        &one("{nilai: 50, per_periode: {TW1: 20}}"),
        &[],
        1,
        "Y004",
        "indicators/ik.yaml:6:24",
    );
    diagnostic(
        "y004_akumulasi_without_per_periode",
        &one("{nilai: 50, akumulasi: jumlah}"),
        &[],
        1,
        "Y004",
        "indicators/ik.yaml:6:39",
    );
}

#[test]
fn watch_reports_as_of_the_period() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let ws = files().write();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(["watch", "--format", "json", "--periode", "TW2"])
        .arg(ws.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("NO_COLOR", "1")
        .spawn()
        .expect("kinerja watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Some(Ok(line)) = BufReader::new(stdout).lines().next() {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    let first: Value = serde_json::from_str(&line.expect("a first run")).expect("json");
    assert_eq!(first["status"], "initial", "{first}");
    assert_eq!(first["periode"], "TW2", "{first}");
    // The nilai kinerja of TW2 (IK5 not due), not the year's.
    let eval = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(first["nilai_kinerja"], eval["nilai_kinerja"], "{first}");
    assert_ne!(
        first["nilai_kinerja"],
        json(ws.path(), &[])["nilai_kinerja"]
    );
}
