//! `kinerja explain ID`: the computation of a figure as a tree.

mod common;
use common::*;

fn explain(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let out = kinerja(&example(), &all);
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

#[test]
fn explains_an_indicator_with_its_rounded_stage() {
    let (code, text, _) = explain(&["IKP6.3"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("IKP6.3 capaian"), "{text}");
    assert!(
        text.contains("= 102.98  (full precision 102.97777777777777777777777778)"),
        "{text}"
    );
    assert!(text.contains("realisasi = 92.68  (full precision 92.676)  [rounded at this stage to 2 desimal, half_up]"), "{text}");
    assert!(
        text.contains("rule jumlah_tertimbang(m)  rules/realisasi.rhai:"),
        "{text}"
    );
    assert!(
        text.contains("komponen[0].nilai = 93.46  indicators/sp6.yaml:"),
        "{text}"
    );
    assert!(
        text.contains("target (PK) = 90.00  indicators/sp6.yaml:"),
        "{text}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_IKP6.3", text));
}

#[test]
fn explains_rollups_and_budget_rows() {
    for id in [
        "SP4",
        "nilai_kinerja",
        "total",
        "Penyelenggaraan Bantuan Program Sembako",
        "57",
    ] {
        let (code, text, err) = explain(&[id]);
        assert_eq!(code, 0, "{id}: {err}");
        snapshot_settings()
            .bind(|| insta::assert_snapshot!(format!("explain_{}", id.replace(' ', "_")), text));
    }
    let (_, text, _) = explain(&["nilai_kinerja"]);
    assert!(
        text.contains("[rounded at this stage to 2 desimal, half_up]"),
        "sasaran are rounded before the headline: {text}"
    );
}

#[test]
fn json_tree() {
    let (code, text, _) = explain(&["IKP4.1", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["value"], "98.01");
    let realisasi = v["children"]
        .as_array()
        .and_then(|c| c.iter().find(|s| s["label"] == "realisasi"))
        .expect("realisasi step");
    assert_eq!(realisasi["full_precision"], "89.18918918918918918918918919");
    let inputs = realisasi["children"][1]["children"]
        .as_array()
        .expect("inputs");
    assert_eq!(inputs[0]["label"], "n");
    assert_eq!(inputs[0]["value"], "330");
    assert!(
        inputs[0]["at"]
            .as_str()
            .is_some_and(|a| a.starts_with("indicators/sp4.yaml:"))
    );
}

#[test]
fn unknown_id_suggests() {
    let (code, _, err) = explain(&["IKP4.4"]);
    assert_eq!(code, 2);
    assert!(err.contains("no figure has the id `IKP4.4`"), "{err}");
    assert!(
        err.contains("did you mean `IKP4.1`?") || err.contains("did you mean `IKP4."),
        "{err}"
    );
}

/// `explain` of an id the workspace cannot have: the error says what the workspace lacks
/// and which ids it has, and never suggests the id it refused.
fn refused(files: &Files, id: &str) -> String {
    let ws = files.write();
    let out = kinerja(ws.path(), &["explain", id]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("no figure has the id `{id}`")),
        "{err}"
    );
    assert!(
        !err.contains(&format!("did you mean `{id}`")),
        "suggests the id it refused:\n{err}"
    );
    err
}

#[test]
fn total_of_a_workspace_without_a_budget() {
    let err = refused(&Files::minimal(), "total");
    assert!(
        err.contains("this workspace has no budget (no kegiatan or jenis belanja under budgets/), so it has no `total`"),
        "{err}"
    );
    // What it has instead, and not `total` among it.
    assert!(err.contains("an indikator id (`IKP1.1`, …)"), "{err}");
    assert!(!err.contains("`total`,"), "{err}");
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_total_without_budget", err));
}

#[test]
fn nilai_kinerja_of_a_budget_only_workspace() {
    // A budget-only workspace: no indicators/ folder at all.
    let files = Files::minimal()
        .remove("indicators/sp1.yaml")
        .set("budgets/anggaran.yaml", MINIMAL_BUDGET);
    let err = refused(&files, "nilai_kinerja");
    assert!(
        err.contains("this workspace has no indikator (a budget-only workspace), so it has no `nilai_kinerja`"),
        "{err}"
    );
    assert!(
        err.contains("`total` or a budget row's kode or nama (`1001`, …)"),
        "{err}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_nilai_kinerja_budget_only", err));
}

#[test]
fn explains_a_year_of_the_budget_history() {
    // As written in the example: a printed %.
    let (code, out, err) = explain(&["riwayat: 2021", "."]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "riwayat 2021 — realisasi anggaran  budgets/anggaran-2022.yaml:70:5\n└─ persen realisasi (as written) = 96.61  budgets/anggaran-2022.yaml:71:13\n"
    );
    // Computed from its amounts, through the budget rule.
    let dir = copy_example();
    edit(
        &dir.path().join("budgets/anggaran-2022.yaml"),
        "    persen: 96.61   # the chart (L4310, L4319)\n",
        "    pagu: 400\n    realisasi: 300\n",
    );
    let out = kinerja(dir.path(), &["explain", "riwayat: 2021", "."]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("persen realisasi = 75.00"), "{text}");
    assert!(text.contains("rule persen_realisasi("), "{text}");
    assert!(
        text.contains("pagu = 400  budgets/anggaran-2022.yaml:71:11"),
        "{text}"
    );
    // A year the history does not have.
    let (code, _, err) = explain(&["riwayat: 2017", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `riwayat: 20"), "{err}");
}
