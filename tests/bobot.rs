//! Issue 14, item 5: weighted rollups. A workspace weighs its indikator within their sasaran
//! and its sasaran within the nilai kinerja (`bobot:`), states the weighted rule
//! (`rata_rata_berbobot`), and every output shows the weights where they matter.
//! The diagnostics (M006, M005) are in tests/check.rs.

mod common;

use common::{Files, kinerja, snapshot_settings, stdout};

/// Two sasaran weighed 60 and 40; SP1's indikator weighed 70 and 30, SP2's one indikator
/// 100. Capaian: IKU1.1 90, IKU1.2 100, IKU2.1 110; SP1 = 90 × 0.7 + 100 × 0.3 = 93;
/// SP2 = 110; nilai kinerja = 93 × 0.6 + 110 × 0.4 = 99.8 (the plain means would give 95,
/// 110 and 102.5).
const MANIFEST: &str = "\
organisasi: Bidang Contoh
tahun: 2022
rumus:
  capaian_sasaran: rata_rata_berbobot
  nilai_kinerja: rata_rata_berbobot
";

const INDICATORS: &str = "\
sasaran:
  - id: SP1
    nama: Sasaran satu
    bobot: 60
  - id: SP2
    nama: Sasaran dua
    bobot: 40

indikator:
  - id: IKU1.1
    nama: Indikator satu
    sasaran: SP1
    satuan: persen
    bobot: 70
    target: 90
    realisasi: 81
  - id: IKU1.2
    nama: Indikator dua
    sasaran: SP1
    satuan: persen
    bobot: 30
    target: 80
    realisasi: 80
  - id: IKU2.1
    nama: Indikator tiga
    sasaran: SP2
    satuan: persen
    bobot: 100
    target: 50
    realisasi: 55
";

fn weighted() -> Files {
    Files::minimal()
        .set("kinerja.yaml", MANIFEST)
        .set("indicators/sp1.yaml", INDICATORS)
}

fn run(files: &Files, args: &[&str]) -> String {
    let ws = files.write();
    let out = kinerja(ws.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    stdout(&out)
}

#[test]
fn weighted_figures_in_json() {
    let text = run(&weighted(), &["eval", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["sasaran"][0]["capaian"].as_f64(), Some(93.0), "{v}");
    assert_eq!(v["sasaran"][0]["bobot"].as_f64(), Some(60.0), "{v}");
    assert_eq!(v["sasaran"][1]["capaian"].as_f64(), Some(110.0), "{v}");
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(99.8), "{v}");
    assert_eq!(v["indikator"][0]["bobot"].as_f64(), Some(70.0), "{v}");
    // The same weights, unweighted rules: the plain means, and a warning for each rollup.
    let plain = weighted().set("kinerja.yaml", "organisasi: Bidang Contoh\ntahun: 2022\n");
    let ws = plain.write();
    let out = kinerja(ws.path(), &["eval", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["sasaran"][0]["capaian"].as_f64(), Some(95.0), "{v}");
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(102.5), "{v}");
    let out = kinerja(ws.path(), &["check"]);
    assert_eq!(
        stdout(&out).matches("warning[M006]").count(),
        3,
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_tables_have_a_bobot_column() {
    let text = run(&weighted(), &["eval", "--format", "markdown"]);
    assert!(
        text.contains(
            "| ID | Sasaran / Indikator | Satuan | Bobot | Target | Realisasi | Capaian (%) |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| **SP1** | **Sasaran satu** |  | **60** |  |  | **93.00** |"),
        "{text}"
    );
    assert!(
        text.contains("| IKU1.1 | Indikator satu | persen | 70 | 90.00 | 81.00 | 90.00 |"),
        "{text}"
    );
    assert!(
        text.contains(
            "| ID | Sasaran | Bobot | Indikator | Tercapai | Belum tercapai | Capaian (%) |"
        ),
        "{text}"
    );
    // Fractions in the id locale: a decimal comma.
    let fractions = weighted()
        .set(
            "kinerja.yaml",
            &format!("{MANIFEST}bobot:\n  jumlah: 1\ntampilan:\n  format: id\n"),
        )
        .set(
            "indicators/sp1.yaml",
            &INDICATORS
                .replace("bobot: 60", "bobot: 0.6")
                .replace("bobot: 40", "bobot: 0.4")
                .replace("bobot: 70", "bobot: 0.7")
                .replace("bobot: 30", "bobot: 0.3")
                .replace("bobot: 100", "bobot: 1"),
        );
    let text = run(&fractions, &["eval", "--format", "markdown"]);
    assert!(
        text.contains("| SP1 | Sasaran satu | 0,6 | 2 | 1 | 1 | 93,00 |"),
        "{text}"
    );
}

#[test]
fn the_weights_in_csv_and_snapshots() {
    let text = run(&weighted(), &["eval", "--format", "csv"]);
    assert!(
        text.contains("indikator,IKU1.1,Indikator satu,bobot,70\n"),
        "{text}"
    );
    assert!(
        text.contains("sasaran,SP2,Sasaran dua,bobot,40\n"),
        "{text}"
    );
    let ws = weighted().write();
    let out = kinerja(ws.path(), &["snapshot"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let indikator =
        std::fs::read_to_string(ws.path().join("snapshots/indikator.snap")).expect("snapshot");
    assert!(indikator.contains("[IKU1.1] bobot = 70\n"), "{indikator}");
    let sasaran =
        std::fs::read_to_string(ws.path().join("snapshots/sasaran.snap")).expect("snapshot");
    assert!(sasaran.contains("[SP1] bobot = 60\n"), "{sasaran}");
    // A weight changed is a change of its own, and moves the rollups.
    common::edit(
        &ws.path().join("indicators/sp1.yaml"),
        "bobot: 70",
        "bobot: 40",
    );
    common::edit(
        &ws.path().join("indicators/sp1.yaml"),
        "bobot: 30",
        "bobot: 60",
    );
    let out = kinerja(ws.path(), &["snapshot", "--check"]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("-[IKU1.1] bobot = 70"), "{text}");
    assert!(text.contains("+[IKU1.1] bobot = 40"), "{text}");
    assert!(text.contains("+[SP1] capaian = 96.00"), "{text}");
}

#[test]
fn explain_shows_the_weights() {
    let text = run(&weighted(), &["explain", "nilai_kinerja"]);
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_weighted_nilai_kinerja", text));
}

#[test]
fn the_page_has_the_weights() {
    let text = run(&weighted(), &["eval", "--format", "html"]);
    assert!(
        text.contains("\"bobot\":{\"t\":\"70\",\"v\":70}"),
        "the page's data"
    );
}

/// Without sasaran, the indikator roll up to the organisation directly: their weights weigh
/// the nilai kinerja (90 × 0.7 + 100 × 0.3 = 93).
#[test]
fn indikator_without_sasaran_weigh_the_nilai_kinerja() {
    let files = Files::minimal()
        .set(
            "kinerja.yaml",
            "organisasi: Sub Bidang Contoh\ntahun: 2022\nrumus:\n  nilai_kinerja: rata_rata_berbobot\n",
        )
        .set(
            "indicators/sp1.yaml",
            "indikator:\n  - {id: IKU1, nama: Satu, satuan: persen, bobot: 70, target: 90, realisasi: 81}\n  - {id: IKU2, nama: Dua, satuan: persen, bobot: 30, target: 80, realisasi: 80}\n",
        );
    let text = run(&files, &["eval", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(93.0), "{v}");
    let text = run(&files, &["explain", "nilai_kinerja"]);
    assert!(text.contains("bobot in the nilai kinerja = 70"), "{text}");
    // Weights that do not add up are reported at the manifest's rule.
    let ws = files
        .edit("indicators/sp1.yaml", "bobot: 30", "bobot: 20")
        .write();
    let out = kinerja(ws.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("the weights of the organisation's indikator add up to 90, not 100: IKU1 70 + IKU2 20 = 90")
            && text.contains("--> kinerja.yaml:4:18"),
        "{text}"
    );
}
