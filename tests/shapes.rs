//! Workspace shapes (issue 14, item 2): indikator without sasaran (an eselon IV unit's roll
//! up to the organisation directly), a budget only, indikator only. Each shape runs through
//! the real binary in every output; each output leaves out what the workspace does not hold
//! and says so once. A workspace with neither, and one mixing sasaran with indikator that
//! name none, are refused (`tests/check.rs`).
//!
//! The fixtures are small and synthetic: IK1 reaches its target (45 of 50 = 90 % against
//! 90), IK2 does not (72 against 80: capaian 90), so the nilai kinerja of a unit without
//! sasaran is (100 + 90) ÷ 2 = 95.

#[path = "support/browser.rs"]
mod browser;
mod common;
#[path = "support/serve.rs"]
mod support;

use browser::{Browser, js_string};
use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SP1: &str = "indicators/sp1.yaml";
const BUDGET: &str = "budgets/anggaran.yaml";

/// An eselon IV unit's indikator: no sasaran, one komponen (IKK) without a target.
const INDIKATOR_LANGSUNG: &str = "\
indikator:
  - id: IK1
    nama: Persentase dokumen perencanaan selesai tepat waktu
    satuan: persen
    target: 90
    realisasi:
      rumus: rasio
      masukan: {n: 45, t: 50}
    komponen:
      - id: IK1.a
        nama: Jumlah dokumen selesai
        satuan: dokumen
        realisasi: 45
  - id: IK2
    nama: Nilai kepuasan layanan
    satuan: nilai
    target: 80
    realisasi: 72
";

/// The minimal budget with its history.
fn budget() -> String {
    format!("{MINIMAL_BUDGET}\nriwayat:\n  - {{tahun: 2021, persen: 95.5}}\n")
}

/// Indikator without sasaran, and no budget.
fn tanpa_sasaran() -> Files {
    Files::minimal()
        .remove(SP1)
        .set("indicators/ik.yaml", INDIKATOR_LANGSUNG)
}

/// Indikator without sasaran, with a budget.
fn tanpa_sasaran_dengan_anggaran() -> Files {
    tanpa_sasaran().set(BUDGET, &budget())
}

/// A budget, and no indicators/ folder at all.
fn anggaran_saja() -> Files {
    Files::minimal().remove(SP1).set(BUDGET, &budget())
}

/// A sasaran with its indikator, and no budget.
fn indikator_saja() -> Files {
    Files::minimal()
}

/// Every shape: its name, its files, and what `tidak_memuat` says it lacks.
fn shapes() -> Vec<(&'static str, Files, Vec<&'static str>)> {
    vec![
        (
            "tanpa_sasaran",
            tanpa_sasaran(),
            vec!["sasaran", "anggaran"],
        ),
        (
            "tanpa_sasaran_dengan_anggaran",
            tanpa_sasaran_dengan_anggaran(),
            vec!["sasaran"],
        ),
        ("anggaran_saja", anggaran_saja(), vec!["indikator"]),
        ("indikator_saja", indikator_saja(), vec!["anggaran"]),
    ]
}

/// The line that says what a workspace lacks, as the Indonesian outputs give it.
fn catatan(lacks: &[&str]) -> String {
    let list = lacks.join(" dan ");
    let direct = if lacks.contains(&"sasaran") {
        ": nilai kinerja dihitung langsung dari capaian indikator"
    } else {
        ""
    };
    format!("Ruang kerja ini tidak memuat {list}{direct}.")
}

fn eval(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["eval"];
    all.extend_from_slice(args);
    all.push(".");
    let out = kinerja(dir, &all);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn json_of(dir: &Path) -> Value {
    serde_json::from_str(&eval(dir, &["--format", "json"])).expect("JSON")
}

#[test]
fn every_shape_checks_clean() {
    for (name, files, _) in shapes() {
        let ws = files.write();
        let out = kinerja(ws.path(), &["check", "--deny", "warnings", "."]);
        assert_eq!(
            (out.status.code(), stdout(&out).as_str()),
            (Some(0), "ok: no problems found\n"),
            "{name}"
        );
        let out = kinerja(ws.path(), &["audit", "."]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
    }
}

/// Every text format of every shape, snapshot: the tables the workspace has and no other,
/// the line saying what it lacks once, under the title.
#[test]
fn every_format_leaves_out_what_the_workspace_lacks() {
    for (name, files, lacks) in shapes() {
        let ws = files.write();
        let line = catatan(&lacks);
        for format in ["table", "markdown", "json", "csv"] {
            let text = eval(ws.path(), &["--format", format]);
            let said = text.matches(&line).count();
            match format {
                "table" | "markdown" => assert_eq!(said, 1, "{name} {format}:\n{text}"),
                _ => assert_eq!(said, 0, "{name} {format}:\n{text}"),
            }
            if lacks.contains(&"indikator") {
                for absent in ["Nilai kinerja", "nilai_kinerja", "Capaian kinerja", "IKP"] {
                    assert!(!text.contains(absent), "{name} {format}: {absent}\n{text}");
                }
            }
            if lacks.contains(&"anggaran") {
                for absent in ["Realisasi anggaran", "\"anggaran\":", "kegiatan", "Total"] {
                    assert!(!text.contains(absent), "{name} {format}: {absent}\n{text}");
                }
            }
            if lacks.contains(&"sasaran") {
                for absent in ["Sasaran", "sasaran,", "\"sasaran\":"] {
                    assert!(!text.contains(absent), "{name} {format}: {absent}\n{text}");
                }
            }
            snapshot_settings().bind(|| {
                insta::assert_snapshot!(format!("shapes.{name}.{format}"), text);
            });
        }
        let v = json_of(ws.path());
        assert_eq!(v["tidak_memuat"], json!(lacks), "{name}");
        let yaml = eval(ws.path(), &["--format", "yaml"]);
        assert!(
            yaml.contains(&format!("tidak_memuat:\n  - {}\n", lacks[0])),
            "{name}:\n{yaml}"
        );
    }
}

/// The repository's own workspace holds every part: nothing is said, nothing left out.
#[test]
fn the_example_lacks_nothing() {
    let v = json_of(&example());
    assert!(v.get("tidak_memuat").is_none());
    for key in ["indikator", "sasaran", "nilai_kinerja", "anggaran"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    // Its organisation counts no indikator of its own: its sasaran do.
    assert!(v.get("indikator_tercapai").is_none());
    let text = eval(&example(), &[]);
    assert!(!text.contains("Ruang kerja ini"), "{text}");
}

/// Without sasaran, the nilai kinerja rule receives the indikator's capaian (not their
/// komponen's), and the organisation counts them.
#[test]
fn nilai_kinerja_rolls_the_indikator_up_directly() {
    let ws = tanpa_sasaran().write();
    let v = json_of(ws.path());
    assert_eq!(v["nilai_kinerja"], json!(95));
    assert_eq!(v["indikator_tercapai"], json!(1));
    assert_eq!(v["indikator_belum_tercapai"], json!(1));
    assert!(v.get("sasaran").is_none(), "{v}");
    let ids: Vec<&str> = v["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .map(|i| {
            assert!(i.get("sasaran").is_none(), "{i}");
            i["id"].as_str().unwrap_or_default()
        })
        .collect();
    assert_eq!(ids, ["IK1", "IK2"]);
    assert_eq!(v["indikator"][0]["komponen"][0]["id"], "IK1.a");
    let csv = eval(ws.path(), &["--format", "csv"]);
    assert!(
        csv.ends_with(
            "organisasi,nilai_kinerja,Direktorat Contoh,capaian,95\n\
             organisasi,nilai_kinerja,Direktorat Contoh,indikator_tercapai,1\n\
             organisasi,nilai_kinerja,Direktorat Contoh,indikator_belum_tercapai,1\n"
        ),
        "{csv}"
    );

    // The manifest's rule receives them, with their ids as its anggota.
    let ws = tanpa_sasaran()
        .set(
            "rules/terendah.rhai",
            "/// The lowest figure, and that it was given the indikator.\n\
             fn terendah(nilai, konteks) {\n\
             \x20   if konteks.anggota.len() != 2 || konteks.anggota[0] != \"IK1\" || konteks.anggota[1] != \"IK2\" {\n\
             \x20       throw `anggota ${konteks.anggota}`;\n\
             \x20   }\n\
             \x20   let m = nilai[0];\n\
             \x20   for v in nilai { if v < m { m = v; } }\n\
             \x20   m\n\
             }\n",
        )
        .set(
            "kinerja.yaml",
            &format!("{MINIMAL_MANIFEST}rumus:\n  nilai_kinerja: terendah\n"),
        )
        .write();
    assert_eq!(json_of(ws.path())["nilai_kinerja"], json!(90));
}

/// Stage rounding: `pembulatan.nilai_kinerja` rounds it; `capaian_sasaran` has no stage
/// to round without sasaran.
#[test]
fn stage_rounding_without_sasaran() {
    let ws = tanpa_sasaran()
        .edit("indicators/ik.yaml", "realisasi: 72", "realisasi: 72.5")
        .set(
            "kinerja.yaml",
            &format!(
                "{MINIMAL_MANIFEST}pembulatan:\n  nilai_kinerja: {{desimal: 1, mode: down}}\n"
            ),
        )
        .write();
    // (100 + 90.625) ÷ 2 = 95.3125, cut to 95.3.
    assert_eq!(json_of(ws.path())["nilai_kinerja"], json!(95.3));
}

#[test]
fn explain_nilai_kinerja_without_sasaran() {
    let ws = tanpa_sasaran().write();
    let out = kinerja(ws.path(), &["explain", "nilai_kinerja", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "nilai kinerja — Direktorat Contoh = 95.00",
        "indikator tercapai (capaian ≥ 100) = 1",
        "indikator belum tercapai = 1",
        "IK2 capaian — Nilai kepuasan layanan = 90.00",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("shapes.explain_nilai_kinerja", text));
    // `total` says the workspace has no budget.
    let out = kinerja(ws.path(), &["explain", "total", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("this workspace has no budget"),
        "{}",
        stderr(&out)
    );
}

/// The audit checks the organisation's printed figures against its indikator when they
/// roll up directly, and tells rounding at another stage from the indikator's capaian.
#[test]
fn audit_of_printed_figures_without_sasaran() {
    let ws = tanpa_sasaran()
        .set(
            "kinerja.yaml",
            &format!(
                "{MINIMAL_MANIFEST}dicetak:\n  - nilai_kinerja: 95.00\n    jumlah_sasaran: 0\n    jumlah_indikator: 2\n    persen_indikator_tercapai: 50\n    rata_rata_capaian_indikator: 95\n  - jumlah_indikator_tercapai: 2\n    sumber: Ringkasan\n"
            ),
        )
        .write();
    let out = kinerja(ws.path(), &["audit", "."]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("warning[A001]").count(), 1, "{text}");
    assert!(
        text.contains("jumlah_indikator_tercapai: printed 2, computed 1"),
        "{text}"
    );

    // 66.666 and 33.335: the mean is 50.0005 (50.00); a spreadsheet rounding each capaian
    // first gets (66.67 + 33.34) ÷ 2 = 50.005, printed 50.01.
    let ws = Files::minimal()
        .remove(SP1)
        .set(
            "indicators/ik.yaml",
            "indikator:\n  - {id: IK1, nama: Satu, satuan: nilai, target: 100, realisasi: 66.666}\n  - {id: IK2, nama: Dua, satuan: nilai, target: 100, realisasi: 33.335}\n",
        )
        .set(
            "kinerja.yaml",
            &format!("{MINIMAL_MANIFEST}dicetak:\n  nilai_kinerja: 50.01\n"),
        )
        .write();
    let out = kinerja(ws.path(), &["audit", "."]);
    let text = stdout(&out);
    assert!(
        text.contains("nilai_kinerja: printed 50.01, computed 50.00")
            && text.contains(
                "rounding at a different stage: computing from inputs already rounded to 2 decimals gives 50.01"
            ),
        "{text}"
    );
    assert!(text.contains("--> kinerja.yaml:4:18"), "{text}");
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("shapes.audit_staged_without_sasaran", text));
}

/// Snapshots are written only for the areas with figures; a budget gained or lost adds or
/// removes its file.
#[test]
fn snapshots_hold_only_what_the_workspace_has() {
    let ws = anggaran_saja().write();
    let out = kinerja(ws.path(), &["snapshot", "."]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(snapshot_files(ws.path()), ["anggaran.snap"]);

    let ws = tanpa_sasaran().write();
    let out = kinerja(ws.path(), &["snapshot", "."]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(
        snapshot_files(ws.path()),
        ["indikator.snap", "sasaran.snap"]
    );
    let sasaran = std::fs::read_to_string(ws.path().join("snapshots/sasaran.snap")).expect("read");
    assert!(
        sasaran.ends_with(
            "# nilai_kinerja: Direktorat Contoh\n[nilai_kinerja] capaian = 95.00\n[nilai_kinerja] indikator_tercapai = 1\n[nilai_kinerja] indikator_belum_tercapai = 1\n"
        ),
        "{sasaran}"
    );

    // The budget arrives: a new file, which --check reports.
    std::fs::create_dir_all(ws.path().join("budgets")).expect("mkdir");
    std::fs::write(ws.path().join(BUDGET), budget()).expect("write");
    let out = kinerja(ws.path(), &["snapshot", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("snapshots/anggaran.snap: new, 15 figures"),
        "{}",
        stdout(&out)
    );
    assert!(kinerja(ws.path(), &["snapshot", "."]).status.success());
    assert_eq!(
        snapshot_files(ws.path()),
        ["anggaran.snap", "indikator.snap", "sasaran.snap"]
    );
    // And goes: its file is no longer produced, and `snapshot` removes it.
    std::fs::remove_file(ws.path().join(BUDGET)).expect("remove");
    let out = kinerja(ws.path(), &["snapshot", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("snapshots/anggaran.snap: no longer produced by the workspace"),
        "{}",
        stdout(&out)
    );
    assert!(kinerja(ws.path(), &["snapshot", "."]).status.success());
    assert_eq!(
        snapshot_files(ws.path()),
        ["indikator.snap", "sasaran.snap"]
    );
    assert!(
        kinerja(ws.path(), &["snapshot", "--check", "."])
            .status
            .success()
    );
}

fn snapshot_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("snapshots"))
        .expect("snapshots/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The workbook has a sheet per section the workspace has, and says once, under the first
/// sheet's table, what it lacks.
#[test]
fn the_workbook_leaves_out_what_the_workspace_lacks() {
    for (name, files, lacks, sheets) in [
        (
            "tanpa_sasaran",
            tanpa_sasaran(),
            vec!["sasaran", "anggaran"],
            vec!["Indikator", "Ringkasan"],
        ),
        (
            "anggaran_saja",
            anggaran_saja(),
            vec!["indikator"],
            vec!["Kegiatan", "Jenis belanja", "Riwayat"],
        ),
        (
            "indikator_saja",
            indikator_saja(),
            vec!["anggaran"],
            vec!["Indikator", "Sasaran"],
        ),
    ] {
        let ws = files.write();
        let out = tempfile::tempdir().expect("temp dir");
        let file = out.path().join("laporan.xlsx");
        let run = kinerja(
            ws.path(),
            &[
                "eval",
                "--format",
                "xlsx",
                "--output",
                &file.to_string_lossy(),
                ".",
            ],
        );
        assert!(run.status.success(), "{name}: {}", stderr(&run));
        let mut book: Xlsx<_> = calamine::open_workbook(&file).expect("a workbook");
        assert_eq!(book.sheet_names(), sheets, "{name}");
        let first = book.worksheet_range(sheets[0]).expect("first sheet");
        let rows: Vec<&[Data]> = first.rows().collect();
        let last = rows.last().expect("rows");
        assert_eq!(last[0], Data::String(catatan(&lacks)), "{name}");
        // A row apart from the table, outside it.
        assert!(
            rows[rows.len() - 2].iter().all(|c| *c == Data::Empty),
            "{name}"
        );
        for sheet in &sheets[1..] {
            let range = book.worksheet_range(sheet).expect("sheet");
            let text: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
            assert!(
                !text.iter().any(|t| t.starts_with("Ruang kerja")),
                "{name} {sheet}: said once"
            );
        }
        if name == "tanpa_sasaran" {
            let summary = book.worksheet_range("Ringkasan").expect("sheet");
            let row: Vec<String> = summary
                .rows()
                .nth(1)
                .expect("a row")
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert_eq!(row, ["Direktorat Contoh", "2", "1", "1", "95"], "{name}");
        }
    }
}

/// Comparing a workspace with its budget and without: each budget row goes as one line.
#[test]
fn diff_of_a_budget_gained() {
    let before = tanpa_sasaran().write();
    let after = tanpa_sasaran_dengan_anggaran().write();
    let out = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(["diff"])
        .arg(before.path())
        .arg(after.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("kinerja diff runs");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    for want in [
        "+ kegiatan: 1001: pagu = 1000000; realisasi = 900000; persen = 90.00; sisa = 100000",
        "+ total: pagu = 1000000",
        "+ riwayat: 2021: persen = 95.50",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    assert!(!text.contains("nilai_kinerja"), "{text}");
}

/// `kinerja watch` says once when a save adds or removes the budget.
#[test]
fn watch_gains_and_loses_the_budget() {
    let ws = tanpa_sasaran().write();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(["watch", "--debounce", "10", "."])
        .current_dir(ws.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("NO_COLOR", "1")
        .spawn()
        .expect("kinerja watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let until = |want: &str| -> Vec<String> {
        let started = Instant::now();
        let mut seen = Vec::new();
        loop {
            let left = Duration::from_secs(15).saturating_sub(started.elapsed());
            let line = lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {want:?} in time; saw {seen:#?}"));
            let done = line.contains(want);
            seen.push(line);
            if done {
                return seen;
            }
        }
    };
    let first = until("Ctrl-C to stop");
    assert!(
        first.last().is_some_and(|l| l.contains(
            "nilai kinerja 95.00 · 2 indikator, rolled up directly (no sasaran) · no budget"
        )),
        "{first:?}"
    );
    std::fs::create_dir_all(ws.path().join("budgets")).expect("mkdir");
    std::fs::write(ws.path().join(BUDGET), budget()).expect("write");
    let seen = until("the workspace now has a budget");
    assert!(
        seen.iter()
            .any(|l| l.contains("total persen") && l.contains("(none) → 90.00")),
        "{seen:#?}"
    );
    std::fs::remove_file(ws.path().join(BUDGET)).expect("remove");
    let seen = until("the workspace no longer has a budget");
    assert_eq!(
        seen.iter().filter(|l| l.contains("no longer")).count(),
        1,
        "said once: {seen:#?}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// The data inside the static page (`eval --format html`): what the workspace lacks, and
/// the line saying so in the page's language.
fn page_data(dir: &Path, locale: &str) -> Value {
    let html = eval(dir, &["--format", "html", "--locale", locale]);
    let start = html
        .find("<script id=\"kinerja-data\" type=\"application/json\">")
        .expect("the data element");
    let rest = &html[start..];
    let open = rest.find('>').expect(">") + 1;
    let close = rest.find("</script>").expect("</script>");
    serde_json::from_str(&rest[open..close]).expect("JSON")
}

#[test]
fn the_page_data_names_what_the_workspace_lacks() {
    let ws = anggaran_saja().write();
    let v = page_data(ws.path(), "id");
    assert_eq!(v["laporan"]["tidak_memuat"], json!(["indikator"]));
    assert_eq!(
        v["laporan"]["catatan"],
        "Ruang kerja ini tidak memuat indikator."
    );
    let v = page_data(ws.path(), "en");
    assert_eq!(v["laporan"]["catatan"], "This workspace has no indikator.");
    let ws = tanpa_sasaran().write();
    let v = page_data(ws.path(), "en");
    assert_eq!(
        v["laporan"]["catatan"],
        "This workspace has no sasaran and no budget: the nilai kinerja is computed directly from the indikator's capaian."
    );
    assert_eq!(v["laporan"]["indikator_tercapai"], json!(1));
    assert_eq!(v["laporan"]["indikator_belum_tercapai"], json!(1));
    let v = page_data(&example(), "id");
    assert!(v["laporan"].get("tidak_memuat").is_none());
    assert!(v["laporan"].get("catatan").is_none());
}

/// How long the page may take to show what a test waits for.
const WAIT: Duration = Duration::from_secs(10);

fn wait(b: &mut Browser, js: &str, what: &str) {
    b.wait_for(js, WAIT)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// JavaScript: whether the element `selector` is there and not hidden (by itself).
fn shown(selector: &str) -> String {
    format!(
        "(function () {{ var n = document.querySelector({0}); return !!n && !n.hidden; }})()",
        js_string(selector)
    )
}

/// Opens the static page of `dir` in the browser.
fn open_static(b: &mut Browser, dir: &Path) -> tempfile::TempDir {
    let html = eval(dir, &["--format", "html", "--locale", "id"]);
    let out = tempfile::tempdir().expect("temp dir");
    let file = out.path().join("laporan.html");
    std::fs::write(&file, html).expect("write the page");
    b.goto(&format!("file://{}", file.display()));
    wait(
        b,
        "document.getElementById('judul').textContent !== 'Laporan Kinerja'",
        "the report",
    );
    out
}

/// The page in a real browser: absent sections hidden, the line saying so once.
#[test]
fn the_page_hides_what_the_workspace_lacks() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    // A budget only: the budget's realisation heads the page; no indikator, no sasaran.
    let ws = anggaran_saja().write();
    let _page = open_static(&mut b, ws.path());
    assert_eq!(b.text("#realisasi-anggaran"), "90,00");
    assert_eq!(b.eval(&shown("#nilai-kinerja")), json!(false));
    assert_eq!(b.eval(&shown("#jumlah-tercapai")), json!(false));
    assert_eq!(b.eval(&shown("#bagian-indikator")), json!(false));
    assert_eq!(b.eval(&shown("#bagian-sasaran")), json!(false));
    assert_eq!(b.eval(&shown("#tabel-kegiatan")), json!(true));
    assert_eq!(
        b.text("#catatan-isi"),
        "Ruang kerja ini tidak memuat indikator."
    );
    assert_eq!(
        b.eval("document.querySelector('main').innerText.split('tidak memuat').length - 1"),
        json!(1)
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());

    // Without sasaran: the indikator and their counts, no sasaran table, column or filter.
    let ws = tanpa_sasaran().write();
    let _page = open_static(&mut b, ws.path());
    assert_eq!(b.text("#nilai-kinerja .nilai"), "95,00");
    assert_eq!(b.text("#jumlah-tercapai"), "1");
    assert_eq!(b.text("#jumlah-belum"), "1");
    assert_eq!(b.eval(&shown("#bagian-sasaran")), json!(false));
    assert_eq!(b.eval(&shown("#saring-sasaran")), json!(false));
    assert_eq!(b.eval(&shown("#bagian-anggaran")), json!(false));
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('#tabel-indikator th')).map(t => t.textContent).indexOf('Sasaran')"),
        json!(-1)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#tabel-indikator tbody tr').length"),
        json!(3)
    );
    assert_eq!(
        b.text("#catatan-isi"),
        "Ruang kerja ini tidak memuat sasaran dan anggaran: nilai kinerja dihitung langsung dari capaian indikator."
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

/// The live page of an indicators-only workspace gains a budget section when a budget file
/// is saved, and loses it again when it is removed.
#[test]
fn the_live_page_follows_the_budget_file() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let ws = indikator_saja().write();
    let server = support::Server::start(ws.path(), &[]);
    assert_eq!(
        server.state_at_least(1)["laporan"]["tidak_memuat"],
        json!(["anggaran"])
    );
    b.goto(&server.url);
    wait(
        &mut b,
        &shown("#catatan-isi"),
        "the line saying there is no budget",
    );
    assert_eq!(b.eval(&shown("#bagian-anggaran")), json!(false));
    std::fs::create_dir_all(ws.path().join("budgets")).expect("mkdir");
    std::fs::write(ws.path().join(BUDGET), budget()).expect("write");
    wait(&mut b, &shown("#tabel-kegiatan"), "the budget table");
    assert_eq!(b.eval(&shown("#catatan-isi")), json!(false));
    assert_eq!(b.eval(&shown("#bagian-anggaran")), json!(true));
    std::fs::remove_file(ws.path().join(BUDGET)).expect("remove");
    wait(&mut b, &shown("#catatan-isi"), "the line again");
    assert_eq!(b.eval(&shown("#bagian-anggaran")), json!(false));
    // `explain` over the API says what the workspace lacks.
    let r = server.get("/api/explain?id=total");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.body.contains("this workspace has no budget"),
        "{}",
        r.body
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

/// Without sasaran, a save that brings an indikator to its target moves the organisation's
/// counts: the headline and the list of what moved say so, by their names.
#[test]
fn the_live_page_counts_the_indikator_without_sasaran() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let ws = tanpa_sasaran().write();
    let server = support::Server::start(ws.path(), &[]);
    server.state_at_least(1);
    b.goto(&server.url);
    wait(
        &mut b,
        "(document.getElementById('jumlah-tercapai') || {}).textContent === '1'",
        "one indikator on target",
    );
    edit(
        &ws.path().join("indicators/ik.yaml"),
        "realisasi: 72",
        "realisasi: 80",
    );
    wait(
        &mut b,
        "(document.getElementById('jumlah-tercapai') || {}).textContent === '2'",
        "two indikator on target",
    );
    let moved = b.text("#perubahan");
    for want in [
        "Indikator tercapai: 1 → 2",
        "Indikator belum tercapai: 1 → 0",
        "Nilai kinerja: 95,00 → 100,00",
    ] {
        assert!(moved.contains(want), "{want}:\n{moved}");
    }
    assert_eq!(b.console_errors(), Vec::<String>::new());
}
