//! Issue 14, item 9: budget composition. Every budget row's share (proporsi) of the pagu of
//! what it belongs to (a row of its parent's, a top row and the budget's own jenis belanja
//! of the total), computed by the rule the manifest names (`rumus.proporsi_anggaran`,
//! default `proporsi`), shown, snapshot, explained and audited like the realisation %.

mod common;

use common::{Files, kinerja, snapshot_settings, stdout};
use serde_json::Value;

const MANIFEST: &str = "organisasi: Bidang Contoh\ntahun: 2022\nanggaran:\n  skema: daerah\n";

/// Two programmes of 800 and 200: the first with a kegiatan summed from its two sub
/// kegiatan (100 and 200) and one given (500), the second with one kegiatan.
const BUDGET: &str = "\
program:
  - kode: \"1.01.01\"
    nama: Program Penunjang Urusan Pemerintahan Daerah
    kegiatan:
      - kode: 1.01.01.2.01
        nama: Perencanaan, Penganggaran, dan Evaluasi Kinerja
        sub_kegiatan:
          - {kode: 1.01.01.2.01.0001, nama: Penyusunan Dokumen Perencanaan, pagu: 100, realisasi: 90}
          - {kode: 1.01.01.2.01.0002, nama: Evaluasi Kinerja, pagu: 200, realisasi: 180}
      - kode: 1.01.01.2.02
        nama: Administrasi Keuangan
        pagu: 500
        realisasi: 450
  - kode: \"1.02.01\"
    nama: Program Pengelolaan Pendidikan
    kegiatan:
      - kode: 1.02.01.2.01
        nama: Pengelolaan Pendidikan Sekolah Dasar
        pagu: 200
        realisasi: 100
jenis_belanja:
  - {kode: \"5.1.02\", pagu: 600, realisasi: 500}
  - {kode: \"5.2\", pagu: 400, realisasi: 320}
";

fn regional() -> Files {
    Files::minimal()
        .set("kinerja.yaml", MANIFEST)
        .set("budgets/anggaran.yaml", BUDGET)
}

fn run(files: &Files, args: &[&str]) -> (bool, String) {
    let dir = files.write();
    let out = kinerja(dir.path(), args);
    (out.status.success(), stdout(&out))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

/// The rendered diagnostics of `check` output, each a block.
fn blocks(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(|b| b.trim_matches('\n'))
        .filter(|b| b.starts_with("error[") || b.starts_with("warning["))
        .collect()
}

#[test]
fn each_row_is_a_share_of_its_parent_and_the_top_rows_of_the_total() {
    let files = regional();
    assert_eq!(
        run(&files, &["check", "."]),
        (true, "ok: no problems found\n".into())
    );
    let (ok, text) = run(&files, &["eval", "--format", "json", "."]);
    assert!(ok, "{text}");
    let j: Value = serde_json::from_str(&text).expect("json");
    let a = &j["anggaran"];
    let p1 = &a["program"][0];
    let p2 = &a["program"][1];
    assert_eq!(num(&p1["proporsi"]), 80.0);
    assert_eq!(num(&p2["proporsi"]), 20.0);
    // A kegiatan's share is of its programme's pagu: 300 of 800, 500 of 800, 200 of 200.
    assert_eq!(num(&p1["kegiatan"][0]["proporsi"]), 37.5);
    assert_eq!(num(&p1["kegiatan"][1]["proporsi"]), 62.5);
    assert_eq!(num(&p2["kegiatan"][0]["proporsi"]), 100.0);
    // A sub kegiatan's of its kegiatan's (300), at the presentation precision.
    let sub = &p1["kegiatan"][0]["sub_kegiatan"];
    assert_eq!(num(&sub[0]["proporsi"]), 33.33);
    assert_eq!(num(&sub[1]["proporsi"]), 66.67);
    // The budget's jenis belanja are shares of the total pagu; the total has none.
    assert_eq!(num(&a["jenis_belanja"][0]["proporsi"]), 60.0);
    assert_eq!(num(&a["jenis_belanja"][1]["proporsi"]), 40.0);
    assert!(a["total"].get("proporsi").is_none(), "{}", a["total"]);

    let (_, csv) = run(&files, &["eval", "--format", "csv", "."]);
    for line in [
        "kegiatan,1.01.01.2.02,Administrasi Keuangan,proporsi,62.5",
        "jenis_belanja,5.2,Belanja Modal,proporsi,40",
    ] {
        assert!(csv.contains(line), "{line} in:\n{csv}");
    }
    assert!(!csv.contains("anggaran,,Total,proporsi"), "{csv}");
}

#[test]
fn shares_are_snapshot_explained_and_shown_in_a_column() {
    let dir = regional().write();
    let out = kinerja(dir.path(), &["snapshot", "."]);
    assert!(out.status.success(), "{}", stdout(&out));
    let snap = std::fs::read_to_string(dir.path().join("snapshots/anggaran.snap")).expect("snap");
    for line in [
        "[sub_kegiatan: 1.01.01.2.01.0001] proporsi = 33.33",
        "[program: 1.02.01] proporsi = 20.00",
        "[jenis_belanja: 5.1.02] proporsi = 60.00",
    ] {
        assert!(snap.contains(line), "{line} in:\n{snap}");
    }
    assert!(!snap.contains("[total] proporsi"), "{snap}");

    let out = kinerja(dir.path(), &["explain", "kegiatan: 1.01.01.2.02", "."]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    for part in [
        "proporsi = 62.50",
        "rule proporsi(bagian, total)  rules/anggaran.rhai:",
        "of the pagu of program: 1.01.01 = 800",
    ] {
        assert!(text.contains(part), "{part} in:\n{text}");
    }
    let out = kinerja(dir.path(), &["explain", "jenis_belanja: 5.2", "."]);
    assert!(
        stdout(&out).contains("of the total pagu = 1000"),
        "{}",
        stdout(&out)
    );

    let out = kinerja(dir.path(), &["eval", "--format", "markdown", "."]);
    let md = stdout(&out);
    assert!(
        md.contains(
            "| Kode | Uraian | Pagu (Rp) | Realisasi (Rp) | % | Sisa (Rp) | Proporsi (%) |"
        ),
        "{md}"
    );
    assert!(md.contains("| 62.50 |"), "{md}");
}

#[test]
fn a_table_of_rows_that_are_each_all_of_their_parent_has_no_share_column() {
    // One kegiatan and one jenis belanja: every share is 100, which says nothing.
    let files = Files::minimal().set(
        "budgets/anggaran.yaml",
        "kegiatan:\n  - {kode: \"6371\", nama: Pemberdayaan Sosial, pagu: 10, realisasi: 9}\njenis_belanja:\n  - {kode: \"52\", pagu: 10, realisasi: 9}\n",
    );
    let (ok, md) = run(&files, &["eval", "--format", "markdown", "."]);
    assert!(ok, "{md}");
    assert!(md.contains("| Kode | Kegiatan | Pagu (Rp)"), "{md}");
    assert!(!md.contains("Proporsi"), "{md}");
    // The figure is there all the same, for the snapshot and the audit.
    let (_, csv) = run(&files, &["eval", "--format", "csv", "."]);
    assert!(
        csv.contains("kegiatan,6371,Pemberdayaan Sosial,proporsi,100\n"),
        "{csv}"
    );
}

#[test]
fn a_printed_share_that_disagrees_is_a_finding_at_its_place() {
    // The report printed 65 % for a kegiatan that is 500 of its programme's 800 (62.50).
    let files = regional().edit(
        "budgets/anggaran.yaml",
        "        nama: Administrasi Keuangan\n",
        "        nama: Administrasi Keuangan\n        dicetak: {proporsi: 65.00}\n",
    );
    let (_, text) = run(&files, &["check", "."]);
    let all = blocks(&text);
    assert_eq!(all.len(), 1, "{text}");
    let d = all[0];
    assert!(d.starts_with("warning[A001]"), "{d}");
    assert!(d.contains("--> budgets/anggaran.yaml:12:29\n"), "{d}");
    assert!(
        d.contains(
            "kegiatan: 1.01.01.2.02 proporsi: printed 65.00, computed 62.50 (difference +2.5)"
        ),
        "{d}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("proporsi.printed_disagrees", text));
    // As printed, it passes.
    let agrees = regional().edit(
        "budgets/anggaran.yaml",
        "        nama: Administrasi Keuangan\n",
        "        nama: Administrasi Keuangan\n        dicetak: {proporsi: 62.50}\n",
    );
    assert_eq!(
        run(&agrees, &["check", "."]),
        (true, "ok: no problems found\n".into())
    );
}

#[test]
fn a_printed_share_of_the_realisasi_is_named_as_the_cause() {
    // The second programme spent 100 of the 820 spent in all (12.20 %); its pagu is 200 of
    // 1000 (20.00 %).
    let files = regional().edit(
        "budgets/anggaran.yaml",
        "    nama: Program Pengelolaan Pendidikan\n",
        "    nama: Program Pengelolaan Pendidikan\n    dicetak: {proporsi: 12.20}\n",
    );
    let (_, text) = run(&files, &["check", "."]);
    let all = blocks(&text);
    assert_eq!(all.len(), 1, "{text}");
    let d = all[0];
    assert!(d.contains("--> budgets/anggaran.yaml:16:25\n"), "{d}");
    assert!(
        d.contains("program: 1.02.01 proporsi: printed 12.20, computed 20.00 (difference -7.8)"),
        "{d}"
    );
    assert!(
        d.contains("likely cause: it is the share of the realisasi (12.20), where kinerja's proporsi is of the pagu"),
        "{d}"
    );
}

#[test]
fn the_total_has_no_share_to_print() {
    let files = regional().set(
        "budgets/anggaran.yaml",
        &format!("{BUDGET}dicetak: {{persen: 82.00, proporsi: 100}}\n"),
    );
    let (ok, text) = run(&files, &["check", "."]);
    assert!(!ok, "{text}");
    let all = blocks(&text);
    assert_eq!(all.len(), 1, "{text}");
    assert!(
        all[0].starts_with("error[Y002]: unknown key `proporsi`"),
        "{}",
        all[0]
    );
    assert!(
        all[0].contains("--> budgets/anggaran.yaml:24:26\n"),
        "{}",
        all[0]
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("proporsi.total_has_none", text));
}

#[test]
fn the_manifest_names_the_share_rule() {
    // A report that gives shares per mille: the workspace's own rule, named once.
    let files = regional()
        .set(
            "kinerja.yaml",
            &format!("{MANIFEST}rumus:\n  proporsi_anggaran: permil\n"),
        )
        .set(
            "rules/permil.rhai",
            "// Shares per mille.\nfn permil(bagian, total) {\n    bagian / total * 1000\n}\n",
        );
    let (ok, text) = run(&files, &["eval", "--format", "json", "."]);
    assert!(ok, "{text}");
    let j: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(num(&j["anggaran"]["program"][0]["proporsi"]), 800.0);
    // A rule that cannot give the share is reported at the row.
    let files = files.set(
        "rules/permil.rhai",
        "// Refuses.\nfn permil(bagian, total) {\n    throw \"no shares here\";\n}\n",
    );
    let (ok, text) = run(&files, &["check", "."]);
    assert!(!ok, "{text}");
    let rows = blocks(&text);
    // One for each row, every row at its pagu.
    assert_eq!(rows.len(), 9, "{text}");
    let d = rows
        .iter()
        .find(|d| {
            d.contains(
                "kegiatan: 1.01.01.2.02: proporsi anggaran: rule `permil` failed: no shares here",
            )
        })
        .unwrap_or_else(|| panic!("{text}"));
    assert!(d.starts_with("error[R002]"), "{d}");
    assert!(d.contains("::: budgets/anggaran.yaml:12:15\n"), "{d}");
}
