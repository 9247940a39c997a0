//! `kinerja gen`: a generated workspace evaluates, and a sample of its results agrees with an
//! independent computation written here (plain f64 arithmetic on the generated files, and
//! integer sums over the CSV), not with kinerja's own code.

mod common;
use common::*;
use serde_json::Value;
use std::collections::HashMap;

fn generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let out = kinerja(
        &example(),
        &[
            "gen",
            &dir.path().display().to_string(),
            "--institutions",
            "3",
            "--indicators",
            "400",
            "--files",
            "12",
            "--budget-lines",
            "5000",
            "--seed",
            "11",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("400 indikator"), "{}", stdout(&out));
    dir
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Realisasi of a generated indikator, computed from its YAML inputs.
fn realisasi(ind: &Value) -> f64 {
    let r = &ind["realisasi"];
    if let Some(v) = r.as_f64() {
        return v;
    }
    let m = &r["masukan"];
    match r["rumus"].as_str().unwrap_or_default() {
        "rasio" => num(&m["n"]) / num(&m["t"]) * 100.0,
        "rasio_gabungan" => {
            let sum = |k: &str| m[k].as_array().expect("list").iter().map(num).sum::<f64>();
            sum("n") / sum("t") * 100.0
        }
        "jumlah_tertimbang" => {
            let v: f64 = m["komponen"]
                .as_array()
                .expect("komponen")
                .iter()
                .map(|k| num(&k["bobot"]) * num(&k["nilai"]) / 100.0)
                .sum();
            (v * 100.0).round() / 100.0 // the generated indikator rounds at 2 decimals
        }
        "indeks_kepuasan" => {
            let u = m["unsur"].as_array().expect("unsur");
            u.iter().map(|x| num(&x["nilai"])).sum::<f64>() / u.len() as f64 * num(&m["konversi"])
        }
        "nilai_indeks" => num(&m["indeks"]) * 25.0,
        other => panic!("unexpected rule {other}"),
    }
}

#[test]
fn a_generated_workspace_matches_an_independent_computation() {
    let ws = generated();
    let out = kinerja(ws.path(), &["eval", "--format", "json", "--full-precision"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    let computed: HashMap<&str, &Value> = result["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .map(|i| (i["id"].as_str().unwrap_or_default(), i))
        .collect();
    assert_eq!(computed.len(), 400);

    // Every 7th indikator of every file, recomputed from the YAML.
    let mut checked = 0;
    for file in walk(&ws.path().join("indicators")) {
        let text = std::fs::read_to_string(&file).expect("read");
        let doc: Value = serde_saphyr::from_str(&text).expect("generated YAML parses");
        for ind in doc["indikator"].as_array().expect("list").iter().step_by(7) {
            let id = ind["id"].as_str().expect("id");
            let got = computed[id];
            let r = realisasi(ind);
            let t = num(&ind["target"]["pk"]);
            let c = if ind["polaritas"] == "minimal" {
                (2.0 - r / t) * 100.0
            } else {
                r / t * 100.0
            };
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            assert!(
                close(num(&got["realisasi"]), r),
                "{id} realisasi {} vs {r}",
                got["realisasi"]
            );
            assert!(
                close(num(&got["capaian"]), c),
                "{id} capaian {} vs {c}",
                got["capaian"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} checked");

    // Budget totals: integer sums of the CSV's Indonesian-format amounts.
    let csv = std::fs::read_to_string(ws.path().join("budgets/realisasi.csv")).expect("csv");
    let (mut pagu, mut realisasi_total, mut lines) = (0u128, 0u128, 0);
    let amount = |s: &str| -> u128 {
        s.trim_start_matches("Rp")
            .replace('.', "")
            .parse()
            .expect("amount")
    };
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        pagu += amount(f[6]);
        realisasi_total += amount(f[7]);
        lines += 1;
    }
    assert_eq!(lines, 5000);
    let total = &result["anggaran"]["total"];
    assert_eq!(total["pagu"].to_string(), pagu.to_string());
    assert_eq!(total["realisasi"].to_string(), realisasi_total.to_string());
    assert_eq!(
        total["sisa"].to_string(),
        (pagu - realisasi_total).to_string()
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn budget_lines_through_the_cli() {
    // Tab-delimited, plain numbers, a Rp prefix, a BOM, and one bad line.
    let csv = "\u{feff}Kegiatan\tAkun\tPagu\tRealisasi\n6446\t521211\t1000.50\t900\n6446\t571111\tRp2,000\t1500\n6447\t511111\t100\t100\n6447\tx\t1\t1\n";
    let budget = "rincian_csv:\n  file: lines.tsv\n  format_angka: plain\nkegiatan:\n  - {kode: \"6446\", nama: Satu}\n";
    let ws = workspace(&[
        ("kinerja.yaml", "organisasi: Dinas Uji\ntahun: 2022\n"),
        (
            "indicators/a.yaml",
            "sasaran:\n  - {id: SP1, nama: S}\nindikator:\n  - {id: I1, nama: I, sasaran: SP1, satuan: persen, target: 90, realisasi: 90}\n",
        ),
        ("budgets/anggaran.yaml", budget),
        ("budgets/lines.tsv", csv),
    ]);
    for rule in ["realisasi", "capaian", "rollup", "anggaran"] {
        let text =
            std::fs::read_to_string(example().join(format!("rules/{rule}.rhai"))).expect("rule");
        std::fs::create_dir_all(ws.path().join("rules")).expect("mkdir");
        std::fs::write(ws.path().join(format!("rules/{rule}.rhai")), text).expect("write");
    }
    let failed = kinerja(ws.path(), &["check"]);
    assert_eq!(failed.status.code(), Some(1));
    let text = stdout(&failed);
    assert!(
        text.contains("error[B001]: bad budget line: akun `x` does not start with two digits"),
        "{text}"
    );
    assert!(text.contains("at budgets/lines.tsv:5:2"), "{text}");

    let out = kinerja(ws.path(), &["eval", "--format", "json", "--allow-bad-rows"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let k = &v["anggaran"]["kegiatan"];
    assert_eq!(k[0]["kode"], "6446");
    assert_eq!(k[0]["nama"], "Satu");
    assert_eq!(k[0]["pagu"].to_string(), "3000.5");
    assert_eq!(k[1]["kode"], "6447");
    let jb: Vec<String> = v["anggaran"]["jenis_belanja"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["nama"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        jb,
        [
            "Belanja Pegawai",
            "Belanja Barang",
            "Belanja Bantuan Sosial"
        ]
    );
    assert!(stderr(&out).contains("1 warning"), "{}", stderr(&out));
}

#[test]
fn budget_lines_from_a_workbook() {
    let ws = workspace(&[
        ("kinerja.yaml", "organisasi: Dinas Uji\ntahun: 2022\n"),
        (
            "indicators/a.yaml",
            "sasaran:\n  - {id: SP1, nama: S}\nindikator:\n  - {id: I1, nama: I, sasaran: SP1, satuan: persen, target: 90, realisasi: 90}\n",
        ),
        (
            "budgets/anggaran.yaml",
            "rincian_csv:\n  file: rincian.xlsx\n",
        ),
    ]);
    std::fs::copy(
        example().join("tests/data/rincian.xlsx"),
        ws.path().join("budgets/rincian.xlsx"),
    )
    .expect("copy");
    std::fs::create_dir_all(ws.path().join("rules")).expect("mkdir");
    for rule in ["realisasi", "capaian", "rollup", "anggaran"] {
        std::fs::copy(
            example().join(format!("rules/{rule}.rhai")),
            ws.path().join(format!("rules/{rule}.rhai")),
        )
        .expect("copy");
    }
    let out = kinerja(ws.path(), &["eval", "--format", "json", "--allow-bad-rows"]);
    if cfg!(feature = "xlsx") {
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["anggaran"]["total"]["pagu"].to_string(), "3100.5");
    } else {
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("built without Excel support"),
            "{}",
            stderr(&out)
        );
    }
}

/// Every file under `dir` with its bytes.
fn files_of(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// `gen` into a folder that holds a workspace writes nothing there, and says so; with
/// `--force` it writes.
#[test]
fn gen_refuses_a_folder_that_is_not_empty() {
    let ws = copy_example();
    let before = files_of(ws.path());
    let small = ["--indicators", "20", "--files", "2", "--budget-lines", "10"];
    let mut args = vec!["gen", "."];
    args.extend(small);
    let out = kinerja(ws.path(), &args);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    for expected in ["is not empty", "--force"] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    assert_eq!(files_of(ws.path()), before, "nothing may be written");

    // A file where the folder should be.
    let file = ws.path().join("notes.txt");
    std::fs::write(&file, "mine").expect("write");
    let out = kinerja(ws.path(), &["gen", "notes.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("notes.txt is not a folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some("mine"));

    let help = stdout(&kinerja(ws.path(), &["gen", "--help"]));
    assert!(help.contains("--force"), "{help}");
    args.push("--force");
    let out = kinerja(ws.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(ws.path().join("kinerja.yaml")).expect("manifest");
    assert!(
        manifest.starts_with("# Generated by `kinerja gen`"),
        "{manifest}"
    );
}
