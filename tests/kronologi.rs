//! Issue 13, item 3 (budget side): dated pagu changes (`kronologi:`) on budget rows and on
//! the total, through the real binary. Each kind of change steps the pagu; a row may leave
//! its pagu to its chronology; the audit checks that a chronology reaches its pagu, that a
//! stated pagu agrees with its amount, and that no more is opened than was blocked (A007,
//! each known where the workspace says why); `explain` shows the chain as of a period;
//! `diff` names changed entries by row and date; every report output shows it, and the
//! outputs of a budget without one are unchanged. Each mistake is a located diagnostic.
//!
//! The fixture's figures are small and synthetic: they only need to tell the cases apart.
//! The repository's own workspace encodes the LKj 2022's chronology (the last tests).

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const BUDGET: &str = "budgets/anggaran.yaml";

/// A budget of two kegiatan and a jenis belanja: kegiatan 1001 leaves its pagu to its
/// chronology, which has every kind of change (1,000 → 900 → 1,200 → 1,150 → 1,100, with
/// 200 blocked and opened again); the total's chronology reaches the total, 1,600.
const ANGGARAN: &str = "\
program: Program Contoh

kegiatan:
  - kode: \"1001\"
    nama: Kegiatan satu
    realisasi: 900
    kronologi:
      - {tanggal: 2021-11-24, jenis: pagu_awal, jumlah: 1_000, sumber: DIPA awal}
      - {tanggal: 2022-03, jenis: blokir, jumlah: 200}
      - {tanggal: 2022-05-26, jenis: penghematan, jumlah: 100, menjadi: 900, keterangan: tukin, sumber: p. 56}
      - {tanggal: 2022-08, jenis: buka_blokir, jumlah: 200}
      - {tanggal: 2022-10, jenis: hibah, jumlah: 300}
      - {tanggal: 2022-11, jenis: revisi, jumlah: -50}
      - {tanggal: 2022-12, jenis: revisi, menjadi: 1_100, sumber: DIPA revisi 3}
  - kode: \"1002\"
    nama: Kegiatan dua
    pagu: 500
    realisasi: 400

jenis_belanja:
  - {kode: \"52\", pagu: 1_600, realisasi: 1_300}

kronologi:
  - {tanggal: 2022-01, jenis: pagu_awal, jumlah: 1_500}
  - {tanggal: 2022-09, jenis: revisi, jumlah: 100}
";

fn files() -> Files {
    Files::minimal().set(BUDGET, ANGGARAN)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["eval", "--format", "json"];
    all.extend_from_slice(args);
    let out = kinerja(dir, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// One field of every change of a chronology in the JSON report, as text.
fn column(kronologi: &Value, field: &str) -> Vec<String> {
    kronologi
        .as_array()
        .unwrap_or_else(|| panic!("a chronology: {kronologi}"))
        .iter()
        .map(|c| c[field].to_string())
        .collect()
}

/// The rendered diagnostics of `check` or `audit` output, each a block.
fn blocks(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(|b| b.trim_matches('\n'))
        .filter(|b| b.starts_with("error[") || b.starts_with("warning["))
        .collect()
}

/// Runs `check` on `files`, expects one diagnostic with `code` at `location` (exit status
/// 1), and snapshots the whole output as `kronologi.<name>`.
fn diagnostic(name: &str, files: &Files, code: &str, location: &str, mentions: &[&str]) {
    let ws = files.write();
    let out = kinerja(ws.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}:\n{text}{}",
        stderr(&out)
    );
    let found = blocks(&text);
    let d = found
        .iter()
        .find(|b| b.starts_with(&format!("error[{code}]")))
        .unwrap_or_else(|| panic!("{name}: no error[{code}] in:\n{text}"));
    assert!(
        d.contains(&format!("--> {location}\n")),
        "{name}: expected {code} at {location}:\n{d}"
    );
    for m in mentions {
        assert!(d.contains(m), "{name}: expected {m:?} in:\n{d}");
    }
    assert!(
        d.contains("= help:"),
        "{name}: a hint says what to write:\n{d}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("kronologi.{name}"), text));
}

// ---------------------------------------------------------------------------------------
// Stepping through the changes.

#[test]
fn each_kind_of_change_steps_the_pagu_and_a_pagu_left_out_is_the_chronologys() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["check", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(ws.path(), &[]);
    let k = &v["anggaran"]["kegiatan"][0];
    // Its pagu is the chronology's last, and the total counts it.
    assert_eq!(k["pagu"], 1100);
    assert_eq!(v["anggaran"]["total"]["pagu"], 1600);
    let c = &k["kronologi"];
    assert_eq!(
        column(c, "jenis"),
        [
            "\"pagu_awal\"",
            "\"blokir\"",
            "\"penghematan\"",
            "\"buka_blokir\"",
            "\"hibah\"",
            "\"revisi\"",
            "\"revisi\""
        ]
    );
    assert_eq!(
        column(c, "pagu"),
        ["1000", "1000", "900", "900", "1200", "1150", "1100"]
    );
    assert_eq!(column(c, "blokir"), ["0", "200", "200", "0", "0", "0", "0"]);
    // The stated pagu alone implies its change; beside an amount there is none to imply.
    assert_eq!(
        column(c, "jumlah_tersirat"),
        ["null", "null", "null", "null", "null", "null", "-50"]
    );
    // As of the whole year the last change is in force; as of TW2 the saving of May.
    assert_eq!(column(c, "berlaku")[6], "true");
    let tw2 = json(ws.path(), &["--periode", "TW2"]);
    let at_tw2 = column(&tw2["anggaran"]["kegiatan"][0]["kronologi"], "berlaku");
    assert_eq!(
        at_tw2,
        ["null", "null", "true", "null", "null", "null", "null"]
    );
    // The total's chronology is the total's.
    assert_eq!(
        column(&v["anggaran"]["total"]["kronologi"], "pagu"),
        ["1500", "1600"]
    );
    // A row without one has none in the output.
    assert!(
        v["anggaran"]["kegiatan"][1].get("kronologi").is_none(),
        "{v}"
    );
}

#[test]
fn the_report_shows_every_chronology_in_each_format() {
    let ws = files().write();
    let table = stdout(&kinerja(ws.path(), &["eval"]));
    let section = &table[table.find("Kronologi anggaran").expect("the section")..];
    let md = stdout(&kinerja(ws.path(), &["eval", "--format", "markdown"]));
    let md_section = &md[md.find("## Kronologi anggaran").expect("the section")..];
    // The change in force as of the period reported is emphasised.
    assert!(
        md_section.contains("| **2022-12** | **revisi (tersirat)** |"),
        "{md_section}"
    );
    let yaml = stdout(&kinerja(ws.path(), &["eval", "--format", "yaml"]));
    assert!(
        yaml.contains(
            "      kronologi:\n        - tanggal: 2021-11-24\n          jenis: pagu_awal\n"
        ),
        "{yaml}"
    );
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("kronologi.report_table", section);
        insta::assert_snapshot!("kronologi.report_markdown", md_section);
    });
}

#[test]
fn a_budget_without_a_chronology_reads_as_before() {
    let with = files().write();
    let without = Files::minimal().set(BUDGET, MINIMAL_BUDGET).write();
    for format in ["table", "markdown", "json", "yaml", "csv"] {
        let out = stdout(&kinerja(without.path(), &["eval", "--format", format]));
        assert!(!out.contains("ronologi"), "{format}:\n{out}");
    }
    // CSV has no chronology: the long format holds figures, and a change is no figure.
    let csv = stdout(&kinerja(with.path(), &["eval", "--format", "csv"]));
    assert!(!csv.contains("ronologi"), "{csv}");
}

// ---------------------------------------------------------------------------------------
// Explain.

#[test]
fn explain_shows_the_chain_as_of_the_period_reported() {
    let ws = files().write();
    let explain = |args: &[&str]| {
        let mut all = vec!["explain", "kegiatan: 1001"];
        all.extend_from_slice(args);
        let out = kinerja(ws.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let year = explain(&[]);
    let tw2 = explain(&["--periode", "TW2"]);
    assert!(
        year.contains("pagu (its chronology's final pagu) = 1100  budgets/anggaran.yaml:14:19"),
        "{year}"
    );
    assert!(
        year.contains(
            "2022-12 revisi, menjadi 1100 (implied change -50) = pagu 1100, blokir 0  ← in force as of the end of 2022"
        ),
        "{year}"
    );
    assert!(
        tw2.contains(
            "2022-05-26 penghematan -100, menjadi 900 = pagu 900, blokir 200  ← in force as of Triwulan II 2022"
        ),
        "{tw2}"
    );
    assert!(!tw2.contains("in force as of the end"), "{tw2}");
    let total = stdout(&kinerja(
        ws.path(),
        &["explain", "total", "--periode", "TW1"],
    ));
    assert!(
        total.contains("kronologi pagu: in force as of Triwulan I 2022, the pagu_awal of Januari 2022 = pagu 1500, blokir 0"),
        "{total}"
    );
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("kronologi.explain_row", year);
        insta::assert_snapshot!("kronologi.explain_row_tw2", tw2);
    });
}

// ---------------------------------------------------------------------------------------
// The audit.

/// The fixture with three findings: kegiatan 1001 gives its pagu, 1,200, which its
/// chronology does not reach; its saving states a pagu its amount does not make (950 for
/// 1,000 − 100); kegiatan 1002 opens 300 where 200 was blocked; and the total's chronology
/// stops at 1,500 of 1,700.
fn with_findings() -> Files {
    files()
        .edit(BUDGET, "    realisasi: 900\n", "    pagu: 1_200\n    realisasi: 900\n")
        .edit(BUDGET, "menjadi: 900, keterangan", "menjadi: 950, keterangan")
        .edit(
            BUDGET,
            "    pagu: 500\n    realisasi: 400\n",
            "    pagu: 500\n    realisasi: 400\n    kronologi:\n      - {tanggal: 2022-01, jenis: pagu_awal, jumlah: 500}\n      - {tanggal: 2022-02, jenis: blokir, jumlah: 200}\n      - {tanggal: 2022-04, jenis: buka_blokir, jumlah: 300}\n",
        )
        .edit(BUDGET, "pagu: 1_600, realisasi", "pagu: 1_700, realisasi")
        .edit(BUDGET, "jenis: revisi, jumlah: 100}", "jenis: revisi, menjadi: 1_500}")
}

#[test]
fn a_chronology_that_does_not_add_up_is_a_finding_with_both_values() {
    let ws = with_findings().write();
    let out = kinerja(ws.path(), &["audit"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let a007: Vec<&str> = blocks(&text)
        .into_iter()
        .filter(|b| b.starts_with("warning[A007]"))
        .collect();
    assert_eq!(a007.len(), 4, "{text}");
    let first = |s: &str| a007.iter().find(|b| b.contains(s)).copied();
    // The stated pagu against the pagu before and the amount, at the stated pagu.
    let stated = first("the penghematan of 2022-05-26").expect("the stated pagu");
    assert!(
        stated.contains("pagu 1000 - 100 is 900, the report states 950 (difference +50)"),
        "{stated}"
    );
    assert!(
        stated.contains("--> budgets/anggaran.yaml:11:73"),
        "{stated}"
    );
    // Opened beyond what was blocked.
    let opened = first("buka_blokir").expect("a block opened beyond");
    assert!(
        opened.contains("opens 300, 200 was blocked: 100 opened beyond"),
        "{opened}"
    );
    // The final pagu against the row's given pagu, and the total's against the total.
    let row = first("kegiatan: 1001: the chronology reaches").expect("the row's");
    assert!(
        row.contains("the chronology reaches 1100; the pagu is 1200: +100 not accounted for"),
        "{row}"
    );
    let total = first("total: the chronology reaches").expect("the total's");
    assert!(
        total.contains("reaches 1500; the pagu is 1700: +200 not accounted for"),
        "{total}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("kronologi.audit_open", text));
}

#[test]
fn a_finding_recorded_as_known_no_longer_fails() {
    let known = with_findings()
        .edit(
            BUDGET,
            "keterangan: tukin, sumber: p. 56}",
            "keterangan: tukin, sumber: p. 56, diketahui: the report prints 950}",
        )
        .edit(
            BUDGET,
            "jenis: buka_blokir, jumlah: 300}",
            "jenis: buka_blokir, jumlah: 300, diketahui: a block of 100 is not dated}",
        )
        .edit(
            BUDGET,
            "    kronologi:\n      - {tanggal: 2021-11-24",
            "    kronologi:\n     diketahui: the last revision is not itemised\n     perubahan:\n      - {tanggal: 2021-11-24",
        )
        .edit(
            BUDGET,
            "\nkronologi:\n  - {tanggal: 2022-01",
            "\nkronologi:\n  diketahui: the report gives no later change\n  perubahan:\n  - {tanggal: 2022-01",
        );
    let ws = known.write();
    let out = kinerja(ws.path(), &["check", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let audit = stdout(&kinerja(ws.path(), &["audit"]));
    assert_eq!(
        audit.matches("= note: known: ").count(),
        4,
        "every finding is listed, as known:\n{audit}"
    );
    assert!(audit.contains("known: the report prints 950"), "{audit}");
    assert!(
        audit.contains("known: a block of 100 is not dated"),
        "{audit}"
    );
    assert!(
        audit.contains("known: the last revision is not itemised"),
        "{audit}"
    );
    assert!(
        audit.contains("known: the report gives no later change"),
        "{audit}"
    );
}

// ---------------------------------------------------------------------------------------
// Diff.

#[test]
fn diff_names_a_changed_entry_by_its_row_and_date() {
    let before = files().write();
    let after = files()
        .edit(
            BUDGET,
            "jenis: hibah, jumlah: 300}",
            "jenis: hibah, jumlah: 350}",
        )
        .edit(
            BUDGET,
            "      - {tanggal: 2022-11, jenis: revisi, jumlah: -50}\n",
            "",
        )
        .edit(
            BUDGET,
            "jenis: revisi, jumlah: 100}\n",
            "jenis: revisi, jumlah: 100}\n  - {tanggal: 2022-12-01, jenis: blokir, jumlah: 10}\n",
        )
        .write();
    let out = kinerja(
        before.path(),
        &["diff", ".", after.path().to_str().expect("a path")],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("  ~ kegiatan: 1001 kronologi 2022-10 hibah: jumlah 300 → jumlah 350\n"),
        "{text}"
    );
    assert!(
        text.contains("  ~ kegiatan: 1001 kronologi 2022-11 revisi: jumlah -50 → (none)\n"),
        "{text}"
    );
    assert!(
        text.contains("  + total: kronologi 2022-12-01 blokir = jumlah 10\n"),
        "{text}"
    );
    // The stated pagu that ends the chronology holds the row's pagu where it was.
    assert!(text.contains("Figures: 0 changed\n"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Diagnostics.

/// The fixture's kegiatan 1001 with its hibah written as `entry` (line 12).
fn hibah(entry: &str) -> Files {
    files().edit(
        BUDGET,
        "{tanggal: 2022-10, jenis: hibah, jumlah: 300}",
        entry,
    )
}

#[test]
fn p004_a_date_that_is_no_date() {
    diagnostic(
        "p004_date_format",
        &hibah("{tanggal: 10-2022, jenis: hibah, jumlah: 300}"),
        "P004",
        "budgets/anggaran.yaml:12:19",
        &["`10-2022` is not a date"],
    );
}

#[test]
fn p004_a_change_outside_the_year() {
    diagnostic(
        "p004_outside_the_year",
        &files().edit(
            BUDGET,
            "{tanggal: 2022-12, jenis: revisi, menjadi: 1_100",
            "{tanggal: 2023-01, jenis: revisi, menjadi: 1_100",
        ),
        "P004",
        "budgets/anggaran.yaml:14:19",
        &["a revision dated Januari 2023 in a report of 2022"],
    );
}

#[test]
fn p005_changes_out_of_order() {
    diagnostic(
        "p005_out_of_order",
        &hibah("{tanggal: 2022-07, jenis: hibah, jumlah: 300}"),
        "P005",
        "budgets/anggaran.yaml:12:19",
        &["the pagu changes of kegiatan `1001` out of order: Juli 2022 stands after Agustus 2022"],
    );
}

#[test]
fn p005_a_pagu_awal_after_other_changes() {
    diagnostic(
        "p005_pagu_awal_not_first",
        &hibah("{tanggal: 2022-10, jenis: pagu_awal, jumlah: 300}"),
        "P005",
        "budgets/anggaran.yaml:12:19",
        &["the pagu_awal of 2022-10 stands after other changes"],
    );
}

#[test]
fn y004_a_kind_of_change_kinerja_does_not_know() {
    diagnostic(
        "y004_wrong_jenis",
        &hibah("{tanggal: 2022-10, jenis: hibbah, jumlah: 300}"),
        "Y004",
        "budgets/anggaran.yaml:12:35",
        &["did you mean `hibah`?"],
    );
}

#[test]
fn y003_a_change_without_its_amount() {
    diagnostic(
        "y003_missing_jumlah",
        &hibah("{tanggal: 2022-10, jenis: hibah, menjadi: 1_450}"),
        "Y003",
        "budgets/anggaran.yaml:12:19",
        &[
            "the hibah of 2022-10 has no `jumlah`",
            "`revisi` with `menjadi`",
        ],
    );
    diagnostic(
        "y003_revisi_without_amounts",
        &hibah("{tanggal: 2022-10, jenis: revisi}"),
        "Y003",
        "budgets/anggaran.yaml:12:19",
        &["neither `jumlah` nor `menjadi`"],
    );
}

#[test]
fn m005_a_saving_with_a_sign() {
    diagnostic(
        "m005_negative_penghematan",
        &files().edit(
            BUDGET,
            "jenis: penghematan, jumlah: 100,",
            "jenis: penghematan, jumlah: -100,",
        ),
        "M005",
        "budgets/anggaran.yaml:10:59",
        &["write the amount without a sign, `jumlah: 100`"],
    );
}

#[test]
fn y002_a_stated_pagu_on_a_block() {
    diagnostic(
        "y002_menjadi_on_blokir",
        &files().edit(
            BUDGET,
            "jenis: blokir, jumlah: 200}",
            "jenis: blokir, jumlah: 200, menjadi: 800}",
        ),
        "Y002",
        "budgets/anggaran.yaml:9:65",
        &["a block leaves the pagu as it is"],
    );
}

#[test]
fn m001_the_totals_chronology_in_two_files() {
    diagnostic(
        "m001_total_twice",
        &files().set(
            "budgets/revisi.yaml",
            "kronologi:\n  - {tanggal: 2022-02, jenis: revisi, jumlah: 10}\n",
        ),
        "M001",
        "budgets/revisi.yaml:2:15",
        &[
            "the budget's total has two chronologies",
            "budgets/anggaran.yaml:24:15",
        ],
    );
}

#[test]
fn m001_a_rows_chronology_in_two_files() {
    diagnostic(
        "m001_row_twice",
        &files().set(
            "budgets/revisi.yaml",
            "kegiatan:\n  - kode: \"1002\"\n    kronologi: [{tanggal: 2022-02, jenis: pagu_awal, jumlah: 500}]\n  - kode: \"1001\"\n    kronologi: [{tanggal: 2022-02, jenis: pagu_awal, jumlah: 1_100}]\n",
        ),
        "M001",
        "budgets/revisi.yaml:5:27",
        &["kegiatan `1001` has two chronologies of its pagu"],
    );
}

#[test]
fn y006_an_amount_with_three_decimals() {
    let ws = files()
        .edit(
            BUDGET,
            "jenis: hibah, jumlah: 300}",
            "jenis: hibah, jumlah: 300.500}",
        )
        .write();
    let out = kinerja(ws.path(), &["check"]);
    let text = stdout(&out);
    let d = blocks(&text)
        .into_iter()
        .find(|b| b.starts_with("warning[Y006]"))
        .unwrap_or_else(|| panic!("no Y006 in:\n{text}"));
    assert!(d.contains("--> budgets/anggaran.yaml:12:50\n"), "{d}");
    assert!(
        d.contains("jumlah of the hibah of 2022-10, kegiatan: 1001"),
        "{d}"
    );
}

#[test]
fn a_row_whose_chronology_sets_no_pagu_needs_one() {
    diagnostic(
        "y003_no_pagu_reached",
        &files().edit(
            BUDGET,
            "    pagu: 500\n",
            "    kronologi: [{tanggal: 2022-03, jenis: revisi, jumlah: 10}]\n",
        ),
        "Y003",
        "budgets/anggaran.yaml:15:5",
        &["start its chronology with the allocation"],
    );
}

// ---------------------------------------------------------------------------------------
// The repository's workspace: the LKj 2022's chronology.

#[test]
fn the_lkj_2022_chronology_is_encoded_and_audited() {
    let root = example();
    let table = stdout(&kinerja(&root, &["eval"]));
    let section = &table[table.find("Kronologi anggaran").expect("the section")..];
    let audit = stdout(&kinerja(&root, &["audit"]));
    let a007: Vec<&str> = blocks(&audit)
        .into_iter()
        .filter(|b| b.starts_with("warning[A007]"))
        .collect();
    assert_eq!(a007.len(), 3, "{audit}");
    assert!(
        a007.iter().all(|b| b.contains("= note: known: ")),
        "{audit}"
    );
    assert!(
        a007[2].contains(
            "total: the chronology reaches 28010338692000; the pagu is 28585438802000: +575100110000 not accounted for"
        ),
        "{audit}"
    );
    // The year-end figures stand: the chronology only tells how the pagu came to be.
    let v = json(&root, &[]);
    assert_eq!(v["anggaran"]["total"]["pagu"], 28585438802000_i64);
    let explain =
        |periode: &str| stdout(&kinerja(&root, &["explain", "total", "--periode", periode]));
    let (tw2, tw3) = (explain("TW2"), explain("TW3"));
    assert!(
        tw2.contains("kronologi pagu: in force as of Triwulan II 2022, the pagu_awal of Januari 2022 = pagu 413885279000, blokir 0"),
        "{tw2}"
    );
    assert!(
        tw3.contains("kronologi pagu: in force as of Triwulan III 2022, the buka_blokir of September 2022 = pagu 28010338692000, blokir 0"),
        "{tw3}"
    );
    let a007_text = a007.join("\n\n");
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("kronologi.lkj_2022_section", section);
        insta::assert_snapshot!("kronologi.lkj_2022_audit", a007_text);
        insta::assert_snapshot!("kronologi.lkj_2022_explain_tw3", tw3);
    });
}

// ---------------------------------------------------------------------------------------
// A chronology in a budget given per period: the pagu in force at the period reported.

/// Kegiatan 01 is in the DIPA all year; 02 is added by a revision of 9 September; 03's pagu
/// moves with every change (1,000 → 1,500 in May → 1,200 in August).
const PER_PERIODE: &str = "\
program: Program Contoh
kegiatan:
  - kode: \"01\"
    nama: Sejak awal
    pagu: 1_000
    realisasi: {per_periode: {TW1: 100, TW2: 100, TW3: 100}}
  - kode: \"02\"
    nama: Ditambah September
    kronologi:
      - {tanggal: 2022-09-09, jenis: pagu_awal, jumlah: 5_000}
    realisasi: {per_periode: {TW3: 4_000}}
  - kode: \"03\"
    nama: Direvisi
    kronologi:
      - {tanggal: 2022-01, jenis: pagu_awal, jumlah: 1_000}
      - {tanggal: 2022-05, jenis: revisi, jumlah: 500}
      - {tanggal: 2022-08, jenis: penghematan, jumlah: 300}
    realisasi: {per_periode: {TW1: 100, TW2: 250, TW3: 300}}
";

fn budget_row(v: &Value, kode: &str, field: &str) -> String {
    let rows = v["anggaran"]["kegiatan"].as_array().expect("kegiatan");
    let row = rows
        .iter()
        .find(|r| r["kode"] == kode)
        .unwrap_or_else(|| panic!("no {kode} in {rows:?}"));
    row[field].to_string()
}

#[test]
fn a_row_added_mid_year_has_no_pagu_before_its_first_change_and_no_finding_is_false() {
    let ws = Files::minimal().set(BUDGET, PER_PERIODE).write();
    let tw1 = json(ws.path(), &["--periode", "TW1"]);
    // Not yet in the DIPA: 0, not the 5,000 it will have.
    assert_eq!(budget_row(&tw1, "02", "pagu"), "0");
    assert_eq!(budget_row(&tw1, "03", "pagu"), "1000");
    let tw2 = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(budget_row(&tw2, "03", "pagu"), "1500");
    let tw3 = json(ws.path(), &["--periode", "TW3"]);
    assert_eq!(budget_row(&tw3, "02", "pagu"), "5000");
    assert_eq!(budget_row(&tw3, "03", "pagu"), "1200");
    // A chronology is held to the year's pagu, not to the pagu in force at an earlier
    // period: no A007 at any period, nor a false A005 for the programme.
    for periode in ["TW1", "TW2", "TW3", "TW4"] {
        let check = kinerja(
            ws.path(),
            &["check", "--deny", "warnings", "--periode", periode],
        );
        assert!(check.status.success(), "{periode}: {}", stdout(&check));
    }
}
