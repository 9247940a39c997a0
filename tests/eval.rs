//! `kinerja eval` on the repository's own workspace: the LKj 2022, computed through rules.

mod common;
use common::*;

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["eval", "--format", "json"];
    all.extend_from_slice(args);
    let out = kinerja(&example(), &all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("eval --format json prints JSON")
}

fn capaian(v: &serde_json::Value, list: &str, id: &str) -> f64 {
    v[list]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id))
        .and_then(|i| i["capaian"].as_f64())
        .unwrap_or_else(|| panic!("no capaian for {id}"))
}

#[test]
fn reproduces_the_published_figures() {
    let v = json(&[]);
    let expected = [
        ("IKP1.1", 99.25),
        ("IKP1.2", 100.0),
        ("IKP2.1", 125.0),
        ("IKP3.1", 93.42),
        ("IKP3.2", 100.0),
        ("IKP4.1", 98.01),
        ("IKP4.2", 70.90),
        ("IKP4.3", 91.50),
        ("IKP5.1", 113.05),
        ("IKP6.1", 100.0),
        ("IKP6.2", 96.89),
        ("IKP6.3", 102.98),
        ("IKP6.4", 111.11),
        ("IKP7.1", 101.17),
    ];
    for (id, want) in expected {
        assert_eq!(capaian(&v, "indikator", id), want, "{id}");
    }
    let sasaran = [
        ("SP1", 99.62),
        ("SP2", 125.0),
        ("SP3", 96.71),
        ("SP4", 86.80),
        ("SP5", 113.05),
        ("SP6", 102.74),
        ("SP7", 101.17),
    ];
    for (id, want) in sasaran {
        assert_eq!(capaian(&v, "sasaran", id), want, "{id}");
    }
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(103.58));
    let total = &v["anggaran"]["total"];
    assert_eq!(total["pagu"].as_u64(), Some(28_585_438_802_000));
    assert_eq!(total["realisasi"].as_u64(), Some(28_356_563_552_756));
    assert_eq!(total["persen"].as_f64(), Some(99.20));
    assert_eq!(total["sisa"].as_u64(), Some(228_875_249_244));
    let persen = |table: &str| -> Vec<f64> {
        v["anggaran"][table]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["persen"].as_f64().expect("persen"))
            .collect()
    };
    assert_eq!(
        persen("kegiatan"),
        [
            89.08, 96.38, 22.11, 98.37, 99.71, 79.66, 93.83, 76.52, 56.74, 99.38
        ]
    );
    assert_eq!(persen("jenis_belanja"), [65.80, 95.47, 99.62, 99.39]);
}

#[test]
fn full_precision_keeps_every_digit_and_the_stage_rounding() {
    let out = kinerja(
        &example(),
        &["eval", "--format", "json", "--full-precision"],
    );
    let text = stdout(&out);
    // 18 658 193 ÷ 18 800 000 × 100 to 28 significant digits, not an f64's 17.
    assert!(
        text.contains("\"realisasi\": 99.24570744680851063829787234"),
        "{text}"
    );
    // The sasaran are rounded at their stage (manifest), so the headline averages 2-decimal
    // figures: 725.09 ÷ 7.
    assert!(
        text.contains("\"nilai_kinerja\": 103.58428571428571428571428571"),
        "{text}"
    );
    // Rupiah stay whole.
    assert!(text.contains("\"sisa\": 228875249244"), "{text}");
}

#[test]
fn headline_is_a_configuration_not_a_special_case() {
    // Without the stage rounding of the sasaran, the full-precision mean gives 103.59.
    let ws = copy_example();
    edit(
        &ws.path().join("kinerja.yaml"),
        "pembulatan:\n  capaian_sasaran: {desimal: 2, mode: half_up}",
        "pembulatan: {}",
    );
    let out = kinerja(ws.path(), &["eval", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(103.59));
}

#[test]
fn editing_a_rule_changes_the_result_without_rebuilding() {
    let ws = copy_example();
    edit(
        &ws.path().join("rules/capaian.rhai"),
        "    realisasi / target * 100\n}",
        "    let c = realisasi / target * 100;\n    if c > 110 { 110 } else { c }\n}",
    );
    let out = kinerja(ws.path(), &["eval", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(capaian(&v, "indikator", "IKP2.1"), 110.0);
    assert_eq!(capaian(&v, "indikator", "IKP4.1"), 98.01);
    assert_eq!(capaian(&v, "sasaran", "SP2"), 110.0);
}

#[test]
fn indonesian_locale() {
    let out = kinerja(&example(), &["eval", "--locale", "id"]);
    let text = stdout(&out);
    assert!(text.contains("99,25"), "{text}");
    assert!(text.contains("Rp28.585.438.802.000"), "{text}");
}

#[test]
fn every_format_is_snapshotted() {
    for (format, ext) in [
        ("table", "txt"),
        ("json", "json"),
        ("yaml", "yaml"),
        ("markdown", "md"),
        ("csv", "csv"),
    ] {
        let out = kinerja(&example(), &["eval", "--format", format]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("eval.{ext}"), stdout(&out));
        });
    }
}

#[test]
fn yaml_output_is_valid_yaml_with_the_same_content_as_json() {
    let yaml = stdout(&kinerja(&example(), &["eval", "--format", "yaml"]));
    let from_yaml: serde_json::Value = serde_saphyr::from_str(&yaml).expect("valid YAML");
    let from_json = json(&[]);
    assert_eq!(from_yaml["nilai_kinerja"], from_json["nilai_kinerja"]);
    assert_eq!(from_yaml["indikator"][13]["id"], "IKP7.1");
    assert_eq!(
        from_yaml["anggaran"]["total"]["sisa"].as_u64(),
        Some(228_875_249_244)
    );
}

#[test]
fn missing_workspace_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = kinerja(dir.path(), &["eval"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a kinerja workspace"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_new_rule_file_is_a_plugin() {
    // The worked example of the README's "Writing rules", verbatim.
    let ws = copy_example();
    std::fs::write(
        ws.path().join("rules/kuota.rhai"),
        "/// Share of a quota reached, counting at most the quota: min(n, kuota) ÷ kuota × 100.\nfn rasio_kuota(m) {\n    if m.kuota == 0 { throw \"kuota is 0\"; }\n    let n = if m.n > m.kuota { m.kuota } else { m.n };\n    n / m.kuota * 100\n}\n",
    )
    .expect("write rule");
    edit(
        &ws.path().join("indicators/sp4.yaml"),
        "      rumus: rasio\n      masukan: {n: 330, t: 370}",
        "      rumus: rasio_kuota\n      masukan: {n: 130, kuota: 120}",
    );
    let rules = stdout(&kinerja(ws.path(), &["rules"]));
    assert!(
        rules.contains("rasio_kuota(m)  (rules/kuota.rhai:2:1)"),
        "{rules}"
    );
    assert!(rules.contains("Share of a quota reached"), "{rules}");
    let out = kinerja(ws.path(), &["eval", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ikp = v["indikator"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == "IKP4.1"))
        .expect("IKP4.1");
    assert_eq!(ikp["realisasi"].as_f64(), Some(100.0));
    assert_eq!(ikp["capaian"].as_f64(), Some(109.89));
}

#[test]
fn html_is_one_self_contained_page_with_the_report_inside() {
    let out = kinerja(
        &example(),
        &["eval", "--format", "html", "--locale", "id", "."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"id\" data-mode=\"static\">"));
    // Nothing is fetched: no external script, style, image or font.
    for external in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
        assert!(!html.contains(external), "{external} in the page");
    }
    let start = "<script id=\"kinerja-data\" type=\"application/json\">";
    let data = &html[html.find(start).expect("the data element") + start.len()..];
    let data = &data[..data.find("</script>").expect("its end")];
    let data: serde_json::Value = serde_json::from_str(data).expect("the data is JSON");
    let laporan = &data["laporan"];
    assert_eq!(laporan["nilai_kinerja"]["t"], "103,58");
    assert_eq!(laporan["indikator"].as_array().map(Vec::len), Some(14));
    assert_eq!(
        laporan["anggaran"]["total"]["pagu"]["t"],
        "Rp28.585.438.802.000"
    );
    // The same figures as the JSON report, presented in the page's locale.
    let report = json(&[]);
    assert_eq!(laporan["nilai_kinerja"]["v"], report["nilai_kinerja"]);
}

/// Reads a workbook `eval --format xlsx` wrote.
fn workbook(path: &std::path::Path) -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).expect("calamine reads the workbook")
}

/// The files in a folder, by name.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_excel_workbook_of_the_report() {
    use calamine::{Data, Reader};
    let out_dir = tempfile::tempdir().expect("tmp");
    let path = out_dir.path().join("laporan.xlsx");
    let out = kinerja(
        &example(),
        &[
            "eval",
            "--format",
            "xlsx",
            "--output",
            path.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
    // Written through a temporary file, and nothing of it left.
    assert_eq!(names(out_dir.path()), ["laporan.xlsx"]);
    let mut book = workbook(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "Indikator",
            "Sasaran",
            "Jangka menengah",
            "Kegiatan",
            "Jenis belanja",
            "Riwayat",
            "Kronologi"
        ]
    );
    // The chronology's amounts are numbers, exact: the BLT BBM revision of 9 September.
    let kronologi = book.worksheet_range("Kronologi").expect("sheet");
    assert_eq!(
        kronologi.get_value((5, 0)),
        Some(&Data::String("2022-09-09".into()))
    );
    assert_eq!(
        kronologi.get_value((5, 3)),
        Some(&Data::Float(12_962_005_000_000.0))
    );
    let indikator = book.worksheet_range("Indikator").expect("sheet");
    let last = indikator.height() as u32 - 1;
    assert_eq!(
        indikator.get_value((last, 1)),
        Some(&Data::String("Nilai kinerja".into()))
    );
    assert_eq!(indikator.get_value((last, 5)), Some(&Data::Float(103.58)));
    let kegiatan = book.worksheet_range("Kegiatan").expect("sheet");
    let total = kegiatan.height() as u32 - 1;
    let row: Vec<&Data> = (2..6)
        .map(|c| kegiatan.get_value((total, c)).expect("cell"))
        .collect();
    assert_eq!(
        row,
        [
            &Data::Float(28_585_438_802_000.0),
            &Data::Float(28_356_563_552_756.0),
            &Data::Float(99.2),
            &Data::Float(228_875_249_244.0)
        ]
    );
}

/// `--output` takes every format: the file holds what standard output would have, and an
/// existing file is replaced whole.
#[test]
fn output_to_a_file_in_every_format() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let path = out_dir.path().join("laporan");
    std::fs::write(
        &path,
        "an older report, longer than any of the new ones ".repeat(1000),
    )
    .expect("write");
    let file = path.to_str().expect("utf-8");
    for format in ["table", "json", "yaml", "markdown", "csv"] {
        let printed = kinerja(&example(), &["eval", "--format", format]);
        let written = kinerja(&example(), &["eval", "--format", format, "-o", file]);
        assert_eq!(
            written.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&written)
        );
        assert!(written.stdout.is_empty(), "{format}: {}", stdout(&written));
        assert_eq!(
            std::fs::read(&path).expect("read"),
            printed.stdout,
            "{format}"
        );
    }
    assert_eq!(names(out_dir.path()), ["laporan"]);
}

#[test]
fn a_workbook_needs_a_file() {
    let out = kinerja(&example(), &["eval", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    snapshot_settings().bind(|| insta::assert_snapshot!("eval.xlsx_without_output", stderr(&out)));
}

/// The report is never written over a file of the workspace (however the path is written),
/// nor where the next run would read it as one; the file stays as it was.
#[test]
fn the_output_is_never_a_source() {
    let ws = Files::minimal()
        .set(
            "budgets/anggaran.yaml",
            "program: Program Contoh\nrincian_csv:\n  file: ../data/rincian.csv\nkegiatan:\n  - kode: \"1001\"\n    nama: Kegiatan satu\njenis_belanja:\n  - kode: \"52\"\n",
        )
        .set(
            "data/rincian.csv",
            "kegiatan;akun;pagu;realisasi\n1001;521111;1000;900\n",
        )
        .write();
    let before = |rel: &str| std::fs::read(ws.path().join(rel)).ok();
    for (output, format, snapshot) in [
        ("kinerja.yaml", "yaml", Some("eval.output_is_a_source")),
        ("indicators/../indicators/sp1.yaml", "yaml", None),
        ("rules/rasio.rhai", "table", None),
        ("data/rincian.csv", "csv", None),
        (
            "indicators/laporan.yaml",
            "yaml",
            Some("eval.output_adds_a_source"),
        ),
        ("rules/laporan.test.yaml", "xlsx", None),
    ] {
        let was = before(output);
        let out = kinerja(ws.path(), &["eval", "--format", format, "--output", output]);
        assert_eq!(out.status.code(), Some(2), "{output}: {}", stderr(&out));
        assert_eq!(before(output), was, "{output} is untouched");
        let text = stderr(&out);
        assert!(
            text.contains(&format!("--output {output} would ")),
            "{text}"
        );
        if let Some(name) = snapshot {
            snapshot_settings().bind(|| insta::assert_snapshot!(name, text));
        }
    }
    // Beside the sources is fine.
    let out = kinerja(
        ws.path(),
        &["eval", "--format", "csv", "--output", "laporan.csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(ws.path().join("laporan.csv").is_file());
}

#[test]
fn a_folder_that_does_not_exist() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let path = out_dir.path().join("tidak-ada/laporan.xlsx");
    let file = path.to_str().expect("utf-8");
    let out = kinerja(&example(), &["eval", "--format", "xlsx", "-o", file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("error: cannot write {file}: ")),
        "{}",
        stderr(&out)
    );
}

/// An amount Excel cannot hold exactly (more digits than a double or Excel keeps) is in the
/// workbook as its digits, as text; the CSV has it as a number.
#[test]
fn an_amount_excel_cannot_hold_is_text_in_the_workbook() {
    use calamine::{Data, Reader};
    let budget = common::MINIMAL_BUDGET.replace("1_000_000", "9_007_199_254_740_993");
    let ws = Files::minimal()
        .set("budgets/anggaran.yaml", &budget)
        .write();
    let out = kinerja(
        ws.path(),
        &["eval", "--format", "xlsx", "-o", "laporan.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut book = workbook(&ws.path().join("laporan.xlsx"));
    let kegiatan = book.worksheet_range("Kegiatan").expect("sheet");
    assert_eq!(
        kegiatan.get_value((1, 2)),
        Some(&Data::String("9,007,199,254,740,993".into()))
    );
    // The realisasi is a number.
    assert_eq!(kegiatan.get_value((1, 3)), Some(&Data::Float(900_000.0)));
    let csv = stdout(&kinerja(ws.path(), &["eval", "--format", "csv"]));
    assert!(
        csv.contains("kegiatan,1001,Kegiatan satu,pagu,9007199254740993\n"),
        "{csv}"
    );
}
