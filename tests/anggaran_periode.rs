//! Budget realisation per period and the disbursement plan (RPD) through the real binary:
//! realisasi and plans per period on budget rows, accumulated by rules (`jumlah` for
//! rupiah, `terakhir` for amounts printed "s.d. TW II"), a row with rows under it summed
//! period by period, figures as of each period and of the whole year, the plan's % and the
//! deviation from it, rows not due, line data with a period or a date column, every
//! output, `explain`, and the diagnostics (P001–P003, P006, B001) at their places.
//!
//! The workspaces are small and synthetic: the amounts only need to tell the rules apart.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const MANIFEST: &str = "organisasi: Dinas Contoh\ntahun: 2022\n";

/// A kegiatan of two KRO: one given per period (each the period's own spending) with its
/// plan, one given cumulatively (`terakhir`, "s.d.") from TW2 on; a second kegiatan first
/// given in TW3, without a plan; the jenis belanja given cumulatively, matching the rows at
/// every period.
const BUDGET: &str = "\
program: Program Contoh
kegiatan:
  - kode: \"01\"
    nama: Layanan Satu
    kro:
      - kode: AAA
        nama: Bantuan
        pagu: 1_000
        realisasi: {per_periode: {TW1: 100, TW2: 250, TW3: 300, TW4: 330}}
        rpd: {per_periode: {TW1: 150, TW2: 300, TW3: 300, TW4: 250}}
      - kode: BBB
        nama: Pelatihan
        pagu: 500
        realisasi: {per_periode: {TW2: 200, TW4: 450}, akumulasi: terakhir}
        rpd: {per_periode: {TW1: 100, TW2: 100, TW3: 150, TW4: 150}}
  - kode: \"02\"
    nama: Layanan Dua
    pagu: 300
    realisasi: {per_periode: {TW3: 120, TW4: 150}}
jenis_belanja:
  - kode: \"52\"
    pagu: 1_800
    realisasi: {per_periode: {TW1: 100, TW2: 550, TW3: 970, TW4: 1_700}, akumulasi: terakhir}
";

fn files() -> Files {
    Files::minimal()
        .remove("indicators/sp1.yaml")
        .set("kinerja.yaml", MANIFEST)
        .set("budgets/anggaran.yaml", BUDGET)
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

/// The row of `kode` among the budget's rows (at any level), or the total (`""`).
fn row<'a>(v: &'a Value, kode: &str) -> &'a Value {
    fn find<'a>(rows: &'a Value, kode: &str) -> Option<&'a Value> {
        rows.as_array()?.iter().find_map(|r| {
            if r["kode"] == kode {
                return Some(r);
            }
            ["kro", "ro", "komponen", "sub_kegiatan", "kegiatan"]
                .iter()
                .find_map(|l| find(&r[*l], kode))
        })
    }
    let a = &v["anggaran"];
    if kode.is_empty() {
        return &a["total"];
    }
    find(&a["kegiatan"], kode)
        .or_else(|| find(&a["jenis_belanja"], kode))
        .unwrap_or_else(|| panic!("no row {kode} in {a}"))
}

fn field(v: &Value, kode: &str, name: &str) -> String {
    row(v, kode)[name].to_string()
}

/// A row's `per_periode` as `TW1 realisasi/rpd` strings.
fn periods(v: &Value, kode: &str) -> Vec<String> {
    row(v, kode)["per_periode"]
        .as_array()
        .unwrap_or_else(|| panic!("no per_periode for {kode}"))
        .iter()
        .map(|p| {
            format!(
                "{} {}/{}",
                p["periode"].as_str().unwrap_or_default(),
                p["realisasi"],
                p["rpd"]
            )
        })
        .collect()
}

#[test]
fn figures_as_of_each_triwulan_and_of_the_whole_year() {
    let ws = files().write();
    let at = |p: &str| json(ws.path(), &["--periode", p]);
    let (tw1, tw2, tw3, tw4) = (at("TW1"), at("TW2"), at("TW3"), at("TW4"));
    let each = |kode: &str, name: &str| -> Vec<String> {
        [&tw1, &tw2, &tw3, &tw4]
            .iter()
            .map(|v| field(v, kode, name))
            .collect()
    };
    // jumlah: each value the period's own spending.
    assert_eq!(each("AAA", "realisasi"), ["100", "350", "650", "980"]);
    assert_eq!(each("AAA", "persen"), ["10", "35", "65", "98"]);
    assert_eq!(each("AAA", "rpd"), ["150", "450", "750", "1000"]);
    assert_eq!(each("AAA", "persen_rpd"), ["15", "45", "75", "100"]);
    // terakhir: each value the spending up to its period; TW3 has none, TW2's stands.
    assert_eq!(each("BBB", "realisasi"), ["null", "200", "200", "450"]);
    assert_eq!(
        each("BBB", "belum_jatuh_tempo"),
        ["true", "null", "null", "null"]
    );
    // The kegiatan sums its KRO, and claims no % while one of them is not due.
    assert_eq!(each("01", "realisasi"), ["100", "550", "850", "1430"]);
    assert_eq!(each("01", "persen"), ["null", "36.67", "56.67", "95.33"]);
    assert_eq!(each("01", "belum_lengkap"), ["1", "null", "null", "null"]);
    assert_eq!(each("02", "realisasi"), ["null", "null", "120", "270"]);
    assert_eq!(each("", "realisasi"), ["100", "550", "970", "1700"]);
    assert_eq!(each("", "belum_lengkap"), ["2", "1", "null", "null"]);
    assert_eq!(each("", "persen"), ["null", "null", "53.89", "94.44"]);
    // The whole year is as of TW4: the same figures, the period named only with one.
    let year = json(ws.path(), &[]);
    assert!(year.get("periode").is_none(), "{year}");
    assert_eq!(year["anggaran"], tw4["anggaran"]);
}

#[test]
fn cumulative_amounts_and_amounts_per_period_give_each_period_its_own() {
    let ws = files().write();
    let v = json(ws.path(), &["--periode", "TW4"]);
    assert_eq!(
        periods(&v, "AAA"),
        ["TW1 100/150", "TW2 250/300", "TW3 300/300", "TW4 330/250"]
    );
    // Given "s.d.": the period's own is the difference; before its first value, none.
    assert_eq!(
        periods(&v, "BBB"),
        ["TW1 null/100", "TW2 200/100", "TW3 0/150", "TW4 250/150"]
    );
    // The jenis belanja, given "s.d.", gives the same periods as the rows.
    assert_eq!(
        periods(&v, "52"),
        [
            "TW1 100/null",
            "TW2 450/null",
            "TW3 420/null",
            "TW4 730/null"
        ]
    );
}

#[test]
fn a_row_with_rows_under_it_sums_them_period_by_period() {
    let ws = files().write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(periods(&v, "01"), ["TW1 100/250", "TW2 450/400"]);
    // Its plan and deviation by the budget rules, from those sums:
    // (|100 − 250| ÷ 250 + |450 − 400| ÷ 400) ÷ 2 × 100.
    assert_eq!(field(&v, "01", "rpd"), "650");
    assert_eq!(field(&v, "01", "persen_rpd"), "43.33");
    assert_eq!(field(&v, "01", "deviasi_rpd"), "36.25");
    // A row without a plan leaves its parent's plan out: the total has none.
    assert_eq!(field(&v, "", "rpd"), "null");
    assert_eq!(periods(&v, ""), ["TW1 100/null", "TW2 450/null"]);
}

#[test]
fn the_deviation_from_the_plan_is_the_rule_of_the_manifest() {
    let ws = files().write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    // deviasi_rpd (IKPA): the mean of (|100 − 150| ÷ 150, |250 − 300| ÷ 300) × 100.
    assert_eq!(field(&v, "AAA", "deviasi_rpd"), "25");
    // A period before the first value spent nothing: (|0 − 100| ÷ 100 + |200 − 100| ÷ 100) ÷ 2.
    assert_eq!(field(&v, "BBB", "deviasi_rpd"), "100");
    // A row not due, or without a plan, has none.
    let tw1 = json(ws.path(), &["--periode", "TW1"]);
    assert_eq!(field(&tw1, "BBB", "deviasi_rpd"), "null");
    assert_eq!(field(&tw1, "02", "deviasi_rpd"), "null");

    let ws = files()
        .set(
            "kinerja.yaml",
            &format!("{MANIFEST}rumus: {{deviasi_rpd: deviasi_rpd_kumulatif, persen_rpd: sisa_anggaran}}\n"),
        )
        .write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    // The amounts to date: |350 − 450| ÷ 450 × 100.
    assert_eq!(field(&v, "AAA", "deviasi_rpd"), "22.22");
    // Any budget rule of (pagu, amount): here pagu − rpd.
    assert_eq!(field(&v, "AAA", "persen_rpd"), "550");
}

#[test]
fn the_manifest_may_accumulate_rupiah_otherwise() {
    let ws = files()
        .set(
            "kinerja.yaml",
            &format!("{MANIFEST}periode: {{akumulasi: {{rupiah: terakhir}}}}\n"),
        )
        .write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    // AAA's values are now read "s.d.": 250 as of TW2.
    assert_eq!(field(&v, "AAA", "realisasi"), "250");
    assert_eq!(field(&v, "AAA", "rpd"), "300");
}

#[test]
fn a_budget_without_values_per_period_reads_as_before() {
    let ws = Files::minimal()
        .set("budgets/anggaran.yaml", MINIMAL_BUDGET)
        .write();
    let out = kinerja(ws.path(), &["eval", "--periode", "TW2", "--format", "json"]);
    let text = stdout(&out);
    for key in ["per_periode", "rpd", "deviasi_rpd", "belum_jatuh_tempo"] {
        assert!(!text.contains(key), "{key} in {text}");
    }
    let table = stdout(&kinerja(ws.path(), &["eval", "--periode", "TW2"]));
    assert!(
        table.contains("Realisasi anggaran per kegiatan\n"),
        "{table}"
    );
}

#[test]
fn the_table_and_markdown_show_the_figures_as_of_the_period_and_per_period() {
    let ws = files().write();
    for (name, format) in [("table", "table"), ("markdown", "markdown")] {
        let out = kinerja(ws.path(), &["eval", "--periode", "TW2", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("Realisasi anggaran per kegiatan / KRO s.d. Triwulan II 2022"),
            "{text}"
        );
        // The terminal table wraps long cells; the Markdown keeps them on their row.
        if format == "markdown" {
            assert!(
                text.contains("| 02 | Layanan Dua | 300 | belum jatuh tempo | — | — |"),
                "{text}"
            );
            assert!(
                text.contains("**belum lengkap: 1 baris belum jatuh tempo**"),
                "{text}"
            );
        }
        snapshot_settings()
            .bind(|| insta::assert_snapshot!(format!("anggaran_periode.eval_{name}"), text));
    }
}

#[test]
fn json_csv_and_snapshots_carry_the_figures_per_period() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["eval", "--periode", "TW2", "--format", "json"]);
    let text = stdout(&out);
    snapshot_settings().bind(|| insta::assert_snapshot!("anggaran_periode.eval_json", text));
    let yaml = stdout(&kinerja(
        ws.path(),
        &["eval", "--periode", "TW2", "--format", "yaml"],
    ));
    assert!(yaml.contains("deviasi_rpd: 36.25"), "{yaml}");
    let csv = stdout(&kinerja(
        ws.path(),
        &["eval", "--periode", "TW2", "--format", "csv"],
    ));
    for line in [
        "kro,AAA,Bantuan,realisasi,350,TW2",
        "kro,AAA,Bantuan,deviasi_rpd,25,TW2",
        "kro,AAA,Bantuan,realisasi_periode,100,TW1",
        "kro,AAA,Bantuan,rpd_periode,300,TW2",
        "kegiatan,02,Layanan Dua,realisasi,belum jatuh tempo,TW2",
        "anggaran,,Total,realisasi_periode,450,TW2",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line} in\n{csv}");
    }
    assert!(
        !csv.contains("kegiatan,02,Layanan Dua,realisasi,0,"),
        "{csv}"
    );
    let out = kinerja(ws.path(), &["snapshot", "--periode", "TW2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap =
        std::fs::read_to_string(ws.path().join("snapshots/TW2/anggaran.snap")).expect("snapshot");
    for line in [
        "[kro: AAA] rpd = 450",
        "[kro: AAA] deviasi_rpd = 25.00",
        "[kro: AAA] realisasi_TW1 = 100",
        "[kegiatan: 01] persen_rpd = 43.33",
    ] {
        assert!(snap.lines().any(|l| l == line), "{line} in\n{snap}");
    }
    // Not due: said so where its realisasi stands (after its pagu), never 0, so that it
    // becoming due shows as a change.
    let lines: Vec<&str> = snap.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "[kegiatan: 02] realisasi = belum jatuh tempo")
        .unwrap_or_else(|| panic!("no not-due line in\n{snap}"));
    assert!(
        lines[at - 1].starts_with("[kegiatan: 02] pagu = "),
        "{snap}"
    );
    assert!(!snap.contains("[kegiatan: 02] realisasi = 0"), "{snap}");
    // The page too.
    let page = stdout(&kinerja(
        ws.path(),
        &["eval", "--periode", "TW2", "--format", "html"],
    ));
    assert!(
        page.contains("belum jatuh tempo"),
        "the page shows the row not due"
    );
}

#[test]
fn explain_shows_the_values_counted_the_rule_and_the_pagu_in_force() {
    let ws = files().write();
    for (name, id) in [("kro", "kro: BBB"), ("kegiatan", "kegiatan: 01")] {
        let out = kinerja(ws.path(), &["explain", id, "--periode", "TW2"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("per periode, s.d. TW2"), "{text}");
        assert!(text.contains("pagu in force at TW2"), "{text}");
        snapshot_settings()
            .bind(|| insta::assert_snapshot!(format!("anggaran_periode.explain_{name}"), text));
    }
}

// ---------------------------------------------------------------------------------------
// Line data: a period column, a date column, and bad ones.

const LINES_BUDGET: &str = "\
rincian_csv:
  file: realisasi.csv
  kolom: {kegiatan: kode, COLUMN}
";

fn lines(column: &str, csv: &str) -> Files {
    Files::minimal()
        .remove("indicators/sp1.yaml")
        .set("kinerja.yaml", MANIFEST)
        .set(
            "budgets/anggaran.yaml",
            &LINES_BUDGET.replace("COLUMN", column),
        )
        .set("budgets/realisasi.csv", csv)
}

#[test]
fn line_data_with_a_period_column_gives_its_rows_realisasi_per_period() {
    let csv = "kode;akun;pagu;realisasi;triwulan\n\
               K1;521211;1.000;0;\n\
               K1;521211;0;100;TW1\n\
               K1;521211;0;150;Triwulan II\n\
               K1;521211;0;50;TW2\n\
               K2;532111;500;0;\n\
               K2;532111;0;200;TW II\n";
    let ws = lines("periode: triwulan", csv).write();
    let v = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(field(&v, "K1", "realisasi"), "300");
    assert_eq!(periods(&v, "K1"), ["TW1 100/null", "TW2 200/null"]);
    // A period with no lines spent nothing: the export is complete up to its latest.
    assert_eq!(periods(&v, "K2"), ["TW1 0/null", "TW2 200/null"]);
    assert_eq!(periods(&v, "53"), ["TW1 0/null", "TW2 200/null"]);
    let tw1 = json(ws.path(), &["--periode", "TW1"]);
    assert_eq!(field(&tw1, "K1", "realisasi"), "100");
    // Lines past the period reported are no mistake: not counted, and not warned about.
    let out = kinerja(
        ws.path(),
        &["check", "--periode", "TW1", "--deny", "warnings"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn line_data_with_a_date_column_counts_each_line_in_the_period_of_its_date() {
    let csv = "kode;akun;pagu;realisasi;tgl_sp2d\n\
               K1;521211;1.000;0;\n\
               K1;521211;0;100;2022-02-15\n\
               K1;521211;0;150;2022-05-31\n\
               K1;521211;0;75;2022-07\n";
    let ws = lines("tanggal: tgl_sp2d", csv).write();
    let v = json(ws.path(), &["--periode", "TW3"]);
    assert_eq!(
        periods(&v, "K1"),
        ["TW1 100/null", "TW2 150/null", "TW3 75/null"]
    );
    // Under a monthly calendar, the months.
    let ws = lines("tanggal: tgl_sp2d", csv)
        .set(
            "kinerja.yaml",
            &format!("{MANIFEST}periode: {{kalender: bulan, laporan: Juni}}\n"),
        )
        .write();
    let v = json(ws.path(), &[]);
    assert_eq!(field(&v, "K1", "realisasi"), "250");
    let months = periods(&v, "K1");
    assert_eq!(months[1], "Februari 100/null");
    assert_eq!(months[4], "Mei 150/null");
    assert_eq!(months.len(), 6);
}

#[test]
fn b001_bad_periods_and_dates_in_line_data() {
    let csv = "kode;akun;pagu;realisasi;tgl\n\
               K1;521211;1.000;0;\n\
               K1;521211;0;100;31/05/2022\n\
               K1;521211;0;100;2021-12-31\n\
               K1;521211;0;100;\n\
               K1;521211;0;100;2022-02-30\n";
    let ws = lines("tanggal: tgl", csv).write();
    let out = kinerja(ws.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    for place in [
        "budgets/realisasi.csv:3:5",
        "budgets/realisasi.csv:4:5",
        "budgets/realisasi.csv:5:5",
        "budgets/realisasi.csv:6:5",
    ] {
        assert!(text.contains(place), "{place} in\n{text}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("anggaran_periode.b001_bad_dates", text));

    let csv = "kode;akun;pagu;realisasi;tw\nK1;521211;1.000;100;TW5\nK1;521211;0;100;Juni\n";
    let ws = lines("periode: tw", csv).write();
    let text = stdout(&kinerja(ws.path(), &["check"]));
    assert!(text.contains("budgets/realisasi.csv:2:5"), "{text}");
    assert!(text.contains("budgets/realisasi.csv:3:5"), "{text}");
    snapshot_settings().bind(|| insta::assert_snapshot!("anggaran_periode.b001_bad_periods", text));

    // A period column and a date column: which one places the lines?
    let ws = lines("periode: tw, tanggal: tgl", csv).write();
    let out = kinerja(ws.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("names both a `periode` and a `tanggal` column"),
        "{}",
        stdout(&out)
    );
}

// ---------------------------------------------------------------------------------------
// Diagnostics: each at its line and column, snapshot as `check` prints it.

/// Runs `check` (with `extra`), asserts the exit status and that `code` is reported at
/// `location`, and snapshots the output as `anggaran_periode.<name>`.
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
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("anggaran_periode.{name}"), text));
}

/// One kegiatan with `keys` (its realisasi, its plan).
fn one(keys: &str) -> Files {
    files().set(
        "budgets/anggaran.yaml",
        &format!("kegiatan:\n  - kode: \"01\"\n    nama: Satu\n    pagu: 1_000\n{keys}"),
    )
}

#[test]
fn p001_a_period_outside_the_calendar() {
    diagnostic(
        "p001_tw5",
        &one("    realisasi: {per_periode: {TW1: 100, TW5: 300}}\n"),
        &[],
        1,
        "P001",
        "budgets/anggaran.yaml:5:41",
    );
    diagnostic(
        "p001_month_in_triwulan",
        &one("    realisasi: {per_periode: {TW1: 100}}\n    rpd: {per_periode: {Juni: 1_000}}\n"),
        &[],
        1,
        "P001",
        "budgets/anggaran.yaml:6:25",
    );
}

#[test]
fn p002_a_realisasi_after_the_period_reported() {
    let files = one("    realisasi: {per_periode: {TW1: 100, TW2: 250, TW3: 300}}\n").set(
        "kinerja.yaml",
        "organisasi: Dinas Contoh\ntahun: 2022\nperiode: {laporan: TW2}\n",
    );
    diagnostic(
        "p002_after_the_period",
        &files,
        &[],
        0,
        "P002",
        "budgets/anggaran.yaml:5:51",
    );
    // A run looking back before the manifest's period expects the later values.
    let back = one("    realisasi: {per_periode: {TW1: 100, TW2: 250, TW3: 300}}\n").write();
    let check = kinerja(
        back.path(),
        &["check", "--deny", "warnings", "--periode", "TW2"],
    );
    assert!(check.status.success(), "{}", stdout(&check));
    // Not summed; a plan for later periods is no mistake.
    let ws = files.write();
    assert_eq!(
        field(&json(ws.path(), &["--periode", "TW2"]), "01", "realisasi"),
        "350"
    );
}

#[test]
fn p003_two_values_for_the_same_period() {
    diagnostic(
        "p003_twice",
        &one("    realisasi: {per_periode: {TW2: 100, Triwulan II: 250}}\n"),
        &[],
        1,
        "P003",
        "budgets/anggaran.yaml:5:41",
    );
}

#[test]
fn p006_a_plan_that_does_not_add_up_to_the_pagu_in_force() {
    diagnostic(
        "p006_plan_total",
        &one(
            "    realisasi: {per_periode: {TW1: 100}}\n    rpd: {per_periode: {TW1: 150, TW2: 300, TW3: 300, TW4: 200}}\n",
        ),
        &[],
        0,
        "P006",
        "budgets/anggaran.yaml:6:5",
    );
    // Whatever the period reported: a plan is for the year.
    let ws = one(
        "    realisasi: {per_periode: {TW1: 100}}\n    rpd: {per_periode: {TW1: 150, TW2: 300, TW3: 300, TW4: 200}}\n",
    )
    .write();
    let text = stdout(&kinerja(ws.path(), &["check", "--periode", "TW1"]));
    assert!(
        text.contains("its rpd for the year adds up to 950, the pagu in force at the year's end is 1000 (difference -50)"),
        "{text}"
    );
    // One that does add up is not reported.
    let ws = one(
        "    realisasi: {per_periode: {TW1: 100}}\n    rpd: {per_periode: {TW1: 150, TW2: 300, TW3: 300, TW4: 250}}\n",
    )
    .write();
    let out = kinerja(ws.path(), &["check", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn values_per_period_without_per_periode_are_refused() {
    diagnostic(
        "y003_without_per_periode",
        &one("    realisasi: {akumulasi: terakhir}\n"),
        &[],
        1,
        "Y003",
        "budgets/anggaran.yaml:5:17",
    );
}

#[test]
fn a_row_given_twice_with_values_per_period_clashes() {
    let ws = files()
        .set(
            "budgets/tambahan.yaml",
            "kegiatan:\n  - kode: \"02\"\n    realisasi: {per_periode: {TW1: 5}}\n",
        )
        .write();
    let out = kinerja(ws.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("kegiatan `02` is given its realisasi per period twice"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_realisasi_set_for_the_year_replaces_the_values_per_period() {
    let ws = files().write();
    let v = json(
        ws.path(),
        &["--periode", "TW2", "--set", "kro: AAA.realisasi=600"],
    );
    assert_eq!(field(&v, "AAA", "realisasi"), "600");
    assert_eq!(field(&v, "AAA", "deviasi_rpd"), "null");
}

#[test]
fn a_budget_printing_is_audited_as_of_its_period_only() {
    // 250 of 1,000 by TW2 is 25 %; the year's printed 81.67 is of TW4.
    let ws = one("    realisasi: {per_periode: {TW1: 100, TW2: 150}}\n    dicetak:\n      - {persen: 25, periode: TW2}\n      - {persen: 81.67}\n").write();
    let tw2 = kinerja(ws.path(), &["audit", "--periode", "TW2"]);
    let text = stdout(&tw2);
    assert_eq!(tw2.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("note: 1 printed figure for Triwulan IV not compared"),
        "{text}"
    );
    // As of the year's end the year's printing is compared, and disagrees (25 of 1,000).
    let year = kinerja(ws.path(), &["audit"]);
    let text = stdout(&year);
    assert!(text.contains("printed 81.67, computed 25.00"), "{text}");
    assert!(
        text.contains("note: 1 printed figure for Triwulan II not compared"),
        "{text}"
    );
}

#[test]
fn a_jenis_belanja_row_of_the_year_has_no_share_of_a_pagu_in_force() {
    // The kegiatan's pagu moves (1,000 → 1,200 in February → 1,300 in March); the jenis
    // belanja row knows only the year's 1,300.
    let ws = files()
        .set(
            "kinerja.yaml",
            "organisasi: Dinas Contoh\ntahun: 2022\nperiode: {kalender: bulan}\n",
        )
        .set(
            "budgets/anggaran.yaml",
            "program: P\nkegiatan:\n  - kode: \"01\"\n    nama: Satu\n    kronologi:\n      - {tanggal: 2022-01-03, jenis: pagu_awal, jumlah: 1_000}\n      - {tanggal: 2022-02-28, jenis: revisi, menjadi: 1_200}\n      - {tanggal: 2022-03, jenis: revisi, jumlah: 100}\n    realisasi: {per_periode: {Januari: 100, Februari: 50}}\njenis_belanja:\n  - {kode: \"52\", pagu: 1_300, realisasi: {per_periode: {Januari: 100, Februari: 50}}}\n",
        )
        .write();
    let feb = json(ws.path(), &["--periode", "Februari"]);
    let row = &feb["anggaran"]["jenis_belanja"][0];
    assert_eq!(row["pagu"], 1300, "{row}");
    assert!(
        row["proporsi"].is_null(),
        "no share of 1,200 in force: {row}"
    );
    assert_eq!(feb["anggaran"]["total"]["pagu"], 1200);
    // Nor is the year's 1,300 held to the rows' 1,200 in force (A004) before the year's end.
    let check = kinerja(
        ws.path(),
        &["check", "--deny", "warnings", "--periode", "Februari"],
    );
    assert!(check.status.success(), "{}", stdout(&check));
    // As of December both are the year's.
    let dec = json(ws.path(), &[]);
    assert_eq!(dec["anggaran"]["jenis_belanja"][0]["proporsi"], 100);
}

#[test]
fn explain_says_a_row_not_due_is_not_due_in_the_sums() {
    let ws = one("    realisasi: {per_periode: {TW2: 100}}\n").write();
    let out = kinerja(ws.path(), &["explain", "total", "--periode", "TW1"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("realisasi = Σ kegiatan = belum jatuh tempo"),
        "{text}"
    );
    assert!(text.contains("kegiatan: 01 = belum jatuh tempo"), "{text}");
    assert!(!text.contains("kegiatan: 01 = 0 "), "{text}");
}
