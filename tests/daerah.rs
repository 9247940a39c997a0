//! Issue 14, item 6: a regional budget (APBD, Permendagri 90/2019) names its jenis belanja
//! by dotted codes (5.1.02 Barang dan Jasa, 5.2 Modal), and its line data's akun are dotted
//! (`5.1.02.01.01.0024`); the manifest names the scheme: `anggaran: {skema: daerah}`.

mod common;

use common::{Files, kinerja, snapshot_settings, stdout};

const MANIFEST_DAERAH: &str =
    "organisasi: Sub Bidang Contoh\ntahun: 2022\nanggaran:\n  skema: daerah\n";

/// Written rows naming a jenis by its code alone (5.1.02), or with the report's own name
/// (5.2); line data with regional akun supplies the amounts and the rows not written.
const BUDGET_DAERAH: &str = "\
program: Program Penunjang Urusan Pemerintahan Daerah
rincian_csv:
  - file: realisasi.csv
jenis_belanja:
  - kode: 5.1.02
  - kode: 5.2
    nama: Belanja Modal Peralatan
";

const LINES_DAERAH: &str = "\
kegiatan;akun;uraian;pagu;realisasi
5.01.01;5.1.01.01.01.0001;Gaji pokok PNS;1.000.000;950.000
5.01.01;5.1.02.01.01.0024;Alat tulis kantor;2.000.000;1.500.000
5.01.02;5.1.02.01.01.0052;Makanan dan minuman rapat;500.000;400.000
5.01.02;5.2.02.05.01.0005;Laptop;3.000.000;2.900.000
";

fn regional() -> Files {
    Files::minimal()
        .set("kinerja.yaml", MANIFEST_DAERAH)
        .set("budgets/anggaran.yaml", BUDGET_DAERAH)
        .set("budgets/realisasi.csv", LINES_DAERAH)
}

/// The row of a table whose first cell is `kode`, its cells trimmed.
fn row(text: &str, kode: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim_matches(|c| c == '│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first().is_some_and(|c| c == kode))
        .unwrap_or_else(|| panic!("no row {kode} in:\n{text}"))
}

#[test]
fn a_regional_budget_is_aggregated_by_its_dotted_jenis_belanja() {
    let dir = regional().write();
    let out = kinerja(dir.path(), &["check", "."]);
    assert!(out.status.success(), "{}", stdout(&out));
    let out = kinerja(dir.path(), &["eval", "."]);
    assert!(out.status.success(), "{}", stdout(&out));
    let text = stdout(&out);
    // 5.1.02: two lines of two kegiatan; its name follows from the code.
    assert_eq!(
        row(&text, "5.1.02")[..4],
        [
            "5.1.02",
            "Belanja Barang dan Jasa",
            "2,500,000",
            "1,900,000"
        ]
    );
    // 5.2: a six-segment akun under 5.2 is of jenis 5.2; the written name is kept.
    assert_eq!(
        row(&text, "5.2")[..4],
        ["5.2", "Belanja Modal Peralatan", "3,000,000", "2,900,000"]
    );
    // 5.1.01: only the line data has it; named from the regional codes.
    assert_eq!(
        row(&text, "5.1.01")[..4],
        ["5.1.01", "Belanja Pegawai", "1,000,000", "950,000"]
    );
}

/// The same line data read under the central scheme (the default) is refused line by line:
/// the scheme decides how an akun is read.
#[test]
fn regional_akun_under_the_central_scheme_are_bad_rows() {
    let dir = regional()
        .set(
            "kinerja.yaml",
            "organisasi: Sub Bidang Contoh\ntahun: 2022\n",
        )
        .write();
    let out = kinerja(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("akun `5.1.01.01.01.0001` does not start with two digits")
            && text.contains("at budgets/realisasi.csv:2:2"),
        "{text}"
    );
}

/// A malformed regional akun is a bad row, at its line and column.
#[test]
fn a_malformed_regional_akun_is_a_bad_row() {
    let dir = regional()
        .set(
            "budgets/realisasi.csv",
            &LINES_DAERAH.replace("5.1.02.01.01.0052", "5.1.2.01.01.0052"),
        )
        .write();
    let out = kinerja(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("error[B001]: bad budget line: akun `5.1.2.01.01.0052` does not start with a regional jenis belanja"), "{text}");
    assert!(text.contains("at budgets/realisasi.csv:4:2"), "{text}");
    assert_eq!(text.matches("error[B001]").count(), 1, "{text}");
}

/// A jenis belanja row giving only a code the scheme does not know: where the code is, and
/// the scheme's codes. As for a central code the scheme does not know (`59`).
#[test]
fn a_code_unknown_to_the_scheme_is_located_and_lists_the_codes() {
    let budget = "jenis_belanja:\n  - kode: 5.1.07\n    pagu: 100\n    realisasi: 90\n";
    let dir = regional()
        .remove("budgets/realisasi.csv")
        .set("budgets/anggaran.yaml", budget)
        .write();
    let out = kinerja(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("--> budgets/anggaran.yaml:2:11\n"), "{text}");
    snapshot_settings().bind(|| insta::assert_snapshot!("daerah.unknown_regional_code", text));

    let dir = Files::minimal()
        .set("budgets/anggaran.yaml", &budget.replace("5.1.07", "\"59\""))
        .write();
    let out = kinerja(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("--> budgets/anggaran.yaml:2:11\n"), "{text}");
    snapshot_settings().bind(|| insta::assert_snapshot!("daerah.unknown_central_code", text));
}

/// Written without line data, a regional row may give just its code.
#[test]
fn a_regional_row_may_give_just_its_code() {
    let budget = "kegiatan:\n  - kode: \"5.01.01\"\n    nama: Penyusunan Dokumen Perencanaan\n    pagu: 1_000\n    realisasi: 900\njenis_belanja:\n  - kode: 5.3\n    pagu: 1_000\n    realisasi: 900\n";
    let dir = regional()
        .remove("budgets/realisasi.csv")
        .set("budgets/anggaran.yaml", budget)
        .write();
    let out = kinerja(dir.path(), &["eval", "."]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_eq!(row(&text, "5.3")[..2], ["5.3", "Belanja Tidak Terduga"]);
}

/// The scheme is one of two names.
#[test]
fn an_unknown_scheme_is_refused() {
    let dir = regional()
        .set("kinerja.yaml", &MANIFEST_DAERAH.replace("daerah", "dearah"))
        .write();
    let out = kinerja(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("`dearah` is not one of: pusat, daerah")
            && text.contains("kinerja.yaml:4:10"),
        "{text}"
    );
}
