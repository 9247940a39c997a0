//! Dated revisions of an indikator's target (a PK awal and its PK revisi) through the real
//! binary: the target in force as of each period, a target not set yet and the rollups
//! that leave it out, the chain in `explain`, JSON and `diff`, the repository's workspace as
//! of TW I, and the revision diagnostics (P004, P005, the PK given twice) at their line and
//! column.
//!
//! The workspaces are small and synthetic: the figures only need to tell the revisions apart.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const MANIFEST: &str = "\
organisasi: Dinas Contoh
tahun: 2022
periode: {akumulasi: {orang: jumlah}}
";

/// IK1's PK is revised in September (40, then 50); IK2 is added by a July revision (no
/// target before it); IK3 has no revisions; IK4's PK sets targets per triwulan, revised in
/// September for TW3 and TW4.
const INDIKATOR: &str = "\
sasaran:
  - {id: SP1, nama: Sasaran satu}
  - {id: SP2, nama: Sasaran dua}

indikator:
  - id: IK1
    nama: Nilai tata kelola
    sasaran: SP1
    satuan: nilai
    target:
      revisi:
        - {tanggal: 2022-01, pk: 40, dokumen: PK awal, sumber: PK Januari hal. 3}
        - {tanggal: 2022-09-09, pk: 50, dokumen: PK revisi, sumber: PK September hal. 5, keterangan: Reviu Renstra}
      renstra: {2022: 45, 2024: 60}
    realisasi: 45
  - id: IK2
    nama: Persentase layanan baru
    sasaran: SP2
    satuan: persen
    target:
      revisi: [{tanggal: 2022-07, pk: 80, dokumen: PK revisi}]
    realisasi: 60
  - id: IK3
    nama: Persentase dokumen tepat waktu
    sasaran: SP1
    satuan: persen
    target: 90
    realisasi: 90
  - id: IK4
    nama: Jumlah peserta pelatihan
    sasaran: SP1
    satuan: orang
    target:
      revisi:
        - {tanggal: 2022-01, per_periode: {TW1: 25, TW2: 50, TW3: 75, TW4: 100}, dokumen: PK awal}
        - {tanggal: 2022-09, pk: 80, per_periode: {TW3: 60, TW4: 80}, dokumen: PK revisi}
    realisasi: {per_periode: {TW1: 30, TW2: 20, TW3: 20, TW4: 10}}
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

fn find<'v>(v: &'v Value, list: &str, id: &str) -> &'v Value {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// `id`'s `ukuran` in a JSON report, as text (`null` when there is none).
fn figure(v: &Value, id: &str, ukuran: &str) -> String {
    find(v, "indikator", id)[ukuran].to_string()
}

#[test]
fn the_target_in_force_is_the_latest_revision_dated_by_the_periods_end() {
    let ws = files().write();
    let runs: Vec<Value> = [
        vec!["--periode", "TW1"],
        vec!["--periode", "TW2"],
        vec!["--periode", "TW3"],
        vec!["--periode", "TW4"],
        vec![],
    ]
    .iter()
    .map(|extra| json(ws.path(), extra))
    .collect();
    let of = |id: &str, ukuran: &str| -> Vec<String> {
        runs.iter().map(|v| figure(v, id, ukuran)).collect()
    };
    // The PK awal until September, the PK revisi from TW3 (9 September falls in it); the
    // year's target, without a period, is the last revision's.
    assert_eq!(of("IK1", "target"), ["40", "40", "50", "50", "50"]);
    assert_eq!(of("IK1", "capaian"), ["112.5", "112.5", "90", "90", "90"]);
    // A revision's targets per period: the PK awal's TW1 and TW2, the revision's TW3, TW4.
    assert_eq!(of("IK4", "target"), ["25", "50", "60", "80", "80"]);
    assert_eq!(of("IK4", "capaian"), ["120", "100", "116.67", "100", "100"]);
    // No revisions: as before.
    assert_eq!(of("IK3", "target"), ["90", "90", "90", "90", "90"]);
    // The medium-term point is still the Renstra's, whatever the PK.
    assert_eq!(
        find(&runs[0], "indikator", "IK1")["jangka_menengah"]["target"],
        60
    );
}

#[test]
fn a_target_not_set_yet_has_no_capaian_and_is_left_out_of_the_rollups() {
    let ws = files().write();
    let tw1 = json(ws.path(), &["--periode", "TW1"]);
    assert_eq!(figure(&tw1, "IK2", "target"), "null");
    assert_eq!(figure(&tw1, "IK2", "target_belum_ditetapkan"), "true");
    assert_eq!(figure(&tw1, "IK2", "realisasi"), "60");
    assert_eq!(figure(&tw1, "IK2", "capaian"), "null");
    // SP1 is the mean of IK1, IK3 and IK4 (112.5, 100, 120); SP2's only indikator has no
    // target yet, so neither has SP2 a capaian, and the nilai kinerja is SP1's alone.
    let sp1 = find(&tw1, "sasaran", "SP1");
    assert_eq!(sp1["capaian"], 110.83);
    assert_eq!(sp1["indikator_tercapai"], 3);
    let sp2 = find(&tw1, "sasaran", "SP2");
    assert_eq!(sp2["capaian"], Value::Null);
    assert_eq!(sp2["indikator_tercapai"], 0);
    assert_eq!(sp2["indikator_belum_tercapai"], 0);
    assert_eq!(tw1["nilai_kinerja"], 110.83);
    // From July it is set and measured: 60 ÷ 80.
    let tw3 = json(ws.path(), &["--periode", "TW3"]);
    assert_eq!(figure(&tw3, "IK2", "target"), "80");
    assert_eq!(figure(&tw3, "IK2", "capaian"), "75");
    assert_eq!(figure(&tw3, "IK2", "target_belum_ditetapkan"), "null");
    assert_eq!(find(&tw3, "sasaran", "SP2")["capaian"], 75);

    // Not a missing target (M003): no error as of TW1.
    let check = kinerja(ws.path(), &["check", "--periode", "TW1"]);
    let found = stdout(&check);
    assert_eq!(check.status.code(), Some(0), "{found}{}", stderr(&check));
    assert!(
        !found.contains("[M003]") && !found.contains("error["),
        "{found}"
    );

    // Every output says so, and shows no capaian for it.
    let text = stdout(&kinerja(ws.path(), &["eval", "--periode", "TW1"]));
    let row = text
        .lines()
        .find(|l| l.contains("IK2"))
        .expect("a row for IK2");
    assert!(row.contains("target belum ditetapkan"), "{row}");
    assert!(row.contains("60.00"), "{row}");
    assert!(row.trim_end().ends_with("┆             │"), "{row}");
    let md = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "markdown", "--periode", "TW1"],
    ));
    assert!(
        md.lines()
            .any(|l| l.contains("IK2") && l.contains("target belum ditetapkan")),
        "{md}"
    );
    let csv = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "csv", "--periode", "TW1"],
    ));
    assert!(
        csv.contains("indikator,IK2,Persentase layanan baru,target,target belum ditetapkan,TW1\n"),
        "{csv}"
    );
    assert!(
        !csv.contains("indikator,IK2,Persentase layanan baru,capaian"),
        "{csv}"
    );
}

#[test]
fn json_and_yaml_give_the_chain_where_there_is_one() {
    let ws = files().write();
    let tw2 = json(ws.path(), &["--periode", "TW2"]);
    assert_eq!(
        find(&tw2, "indikator", "IK1")["target_revisi"],
        serde_json::json!([
            {"tanggal": "2022-01", "pk": 40, "dokumen": "PK awal", "sumber": "PK Januari hal. 3", "berlaku": true},
            {"tanggal": "2022-09-09", "pk": 50, "dokumen": "PK revisi", "sumber": "PK September hal. 5", "keterangan": "Reviu Renstra", "berlaku": false}
        ])
    );
    assert_eq!(
        find(&tw2, "indikator", "IK4")["target_revisi"][1]["per_periode"],
        serde_json::json!([{"periode": "TW3", "target": 60}, {"periode": "TW4", "target": 80}])
    );
    let year = json(ws.path(), &[]);
    let berlaku: Vec<&Value> = find(&year, "indikator", "IK1")["target_revisi"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| &r["berlaku"])
        .collect();
    assert_eq!(berlaku, [false, true]);
    // An indikator without revisions has no key for them.
    assert!(
        find(&year, "indikator", "IK3")
            .get("target_revisi")
            .is_none()
    );
    let yaml = stdout(&kinerja(
        ws.path(),
        &["eval", "--format", "yaml", "--periode", "TW1"],
    ));
    assert!(
        yaml.contains(
            "    target_belum_ditetapkan: true\n    target_revisi:\n      - tanggal: 2022-07\n"
        ),
        "{yaml}"
    );
}

#[test]
fn explain_shows_the_chain_and_the_revision_in_force() {
    let ws = files().write();
    for (name, args) in [
        (
            "explain_ik1_tw2",
            &["explain", "IK1", "--periode", "TW2"][..],
        ),
        ("explain_ik1_year", &["explain", "IK1"][..]),
        (
            "explain_ik2_tw1",
            &["explain", "IK2", "--periode", "TW1"][..],
        ),
        (
            "explain_ik4_tw3",
            &["explain", "IK4", "--periode", "TW3"][..],
        ),
    ] {
        let out = kinerja(ws.path(), args);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
        snapshot_settings().bind(|| insta::assert_snapshot!(format!("revisi.{name}"), text));
    }
    let text = stdout(&kinerja(ws.path(), &["explain", "IK1", "--periode", "TW2"]));
    assert!(
        text.contains("2022-01 PK awal (in force) = 40.00  indicators/ik.yaml:12:34"),
        "{text}"
    );
    assert!(text.contains("sumber: PK Januari hal. 3"), "{text}");
    let text = stdout(&kinerja(ws.path(), &["explain", "IK2", "--periode", "TW1"]));
    assert!(text.contains("target belum ditetapkan as of TW1"), "{text}");
    assert!(!text.contains("(in force)"), "{text}");
}

#[test]
fn diff_lists_revisions_added_changed_and_removed() {
    let changed = INDIKATOR
        .replace(
            "pk: 50, dokumen: PK revisi, sumber: PK September hal. 5, keterangan: Reviu Renstra}",
            "pk: 55, dokumen: PK revisi, sumber: PK September hal. 5, keterangan: Reviu Renstra}\n        - {tanggal: 2022-11, pk: 60, dokumen: PK revisi kedua}",
        )
        .replace(
            "        - {tanggal: 2022-09, pk: 80, per_periode: {TW3: 60, TW4: 80}, dokumen: PK revisi}\n",
            "",
        );
    assert_ne!(changed, INDIKATOR);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (dir, indikator) in [("lama", INDIKATOR), ("baru", changed.as_str())] {
        for path in files().set("indicators/ik.yaml", indikator).paths() {
            let text = files()
                .set("indicators/ik.yaml", indikator)
                .get(&path)
                .expect("a file")
                .to_string();
            pairs.push((format!("{dir}/{path}"), text));
        }
    }
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = workspace(&pairs);
    let out = kinerja(ws.path(), &["diff", "lama", "baru"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for expected in [
        "~ IK1 target.revisi.2022-09-09: 50 (PK revisi) → 55 (PK revisi)",
        "~ IK1 target.revisi.2022-11: (none) → 60 (PK revisi kedua)",
        "- IK4: target.revisi.2022-09 = 80, {TW3: 60, TW4: 80} (PK revisi)",
        "~ IK1 target: 50.00 → 60.00",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("revisi.diff", text));
}

#[test]
fn the_repository_workspace_as_of_tw1_has_no_target_for_the_indikator_the_september_pk_added() {
    let root = example();
    let v = json(&root, &["--periode", "TW1"]);
    // IKP1.1 has no target before the September PK; IKP6.1's stood all year (both PKs
    // print the same, the measured 36,3 is of record).
    assert_eq!(figure(&v, "IKP6.1", "target"), "36.3");
    assert_eq!(figure(&v, "IKP1.1", "target"), "null");
    assert_eq!(figure(&v, "IKP1.1", "target_belum_ditetapkan"), "true");
    assert_eq!(find(&v, "sasaran", "SP1")["capaian"], 100);
    // From TW3 on, and for the year, the PK revisi's: the figures of record.
    let tw3 = json(&root, &["--periode", "TW3"]);
    assert_eq!(figure(&tw3, "IKP1.1", "target"), "100");
    let year = json(&root, &[]);
    assert_eq!(figure(&year, "IKP6.1", "capaian"), "100");
    assert_eq!(year["nilai_kinerja"], 103.58);

    let out = kinerja(&root, &["eval", "--periode", "TW1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    snapshot_settings().bind(|| insta::assert_snapshot!("revisi.root_tw1", stdout(&out)));
}

// ---------------------------------------------------------------------------------------
// Diagnostics: each at its line and column, snapshot as `check` prints it.

/// Runs `check`, asserts it fails and that `code` is reported at `location` with a hint,
/// and snapshots the output as `revisi.<name>`.
fn diagnostic(name: &str, target: &str, code: &str, location: &str) {
    let ws = files()
        .set(
            "indicators/ik.yaml",
            &format!(
                "indikator:\n  - id: IK1\n    nama: Nilai\n    satuan: nilai\n    target:\n{target}    realisasi: 45\n"
            ),
        )
        .write();
    let out = kinerja(ws.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
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
    assert!(
        !text.contains("[M003]"),
        "{name}: not a missing target:\n{text}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("revisi.{name}"), text));
}

#[test]
fn p004_a_date_that_is_no_date() {
    diagnostic(
        "p004_format",
        "      revisi:\n        - {tanggal: 2022-01, pk: 40}\n        - {tanggal: 9 September 2022, pk: 50}\n",
        "P004",
        "indicators/ik.yaml:8:21",
    );
}

#[test]
fn p004_a_revision_dated_outside_the_year() {
    // The PK awal may be signed in the year before; a later revision may not.
    diagnostic(
        "p004_year",
        "      revisi:\n        - {tanggal: 2021-12, pk: 40}\n        - {tanggal: 2023-01, pk: 50}\n",
        "P004",
        "indicators/ik.yaml:8:21",
    );
}

#[test]
fn p005_revisions_out_of_order() {
    diagnostic(
        "p005_order",
        "      revisi:\n        - {tanggal: 2022-09, pk: 50}\n        - {tanggal: 2022-01, pk: 40}\n",
        "P005",
        "indicators/ik.yaml:8:21",
    );
}

#[test]
fn the_pk_given_beside_its_revisions() {
    diagnostic(
        "y004_pk_beside_revisi",
        "      pk: 45\n      revisi:\n        - {tanggal: 2022-01, pk: 40}\n",
        "Y004",
        "indicators/ik.yaml:6:11",
    );
}

#[test]
fn a_revision_that_sets_no_target() {
    diagnostic(
        "y003_no_target",
        "      revisi:\n        - {tanggal: 2022-01, dokumen: PK awal}\n",
        "Y003",
        "indicators/ik.yaml:7:11",
    );
}

#[test]
fn a_chronology_without_revisions_is_no_target() {
    // Silently no target would leave the indikator out of every rollup.
    for target in ["      revisi: []\n", "      {}\n"] {
        let ws = files()
            .set(
                "indicators/ik.yaml",
                &format!(
                    "indikator:\n  - id: IK1\n    nama: Nilai\n    satuan: nilai\n    target:\n{target}    realisasi: 45\n"
                ),
            )
            .write();
        let out = kinerja(ws.path(), &["check"]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{target}{text}");
        assert!(
            text.contains("error[M003]: IK1 has no target for 2022"),
            "{target}{text}"
        );
    }
}

#[test]
fn a_target_not_set_yet_has_its_line_in_the_snapshot() {
    let ws = files().write();
    let out = kinerja(ws.path(), &["snapshot", "--periode", "TW2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap =
        std::fs::read_to_string(ws.path().join("snapshots/TW2/indikator.snap")).expect("snapshot");
    // Where its target stands, before its realisasi: its PK of July comes from TW3 on.
    let lines: Vec<&str> = snap.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "[IK2] target = target belum ditetapkan")
        .unwrap_or_else(|| panic!("no line for IK2's target in\n{snap}"));
    assert!(lines[at + 1].starts_with("[IK2] realisasi = "), "{snap}");
    // As of TW3 the line becomes its target.
    let out = kinerja(ws.path(), &["snapshot", "--periode", "TW3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap =
        std::fs::read_to_string(ws.path().join("snapshots/TW3/indikator.snap")).expect("snapshot");
    assert!(snap.contains("[IK2] target = 80.00"), "{snap}");
}
