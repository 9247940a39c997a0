//! `kinerja snapshot`: results stored for CI, checked without a Rust toolchain, and the
//! same files checked by insta here.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` with its bytes, to prove a command wrote nothing.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.display().to_string(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

#[test]
fn stored_snapshots_are_insta_snapshots() {
    // The files `kinerja snapshot` keeps in this repository, as it writes them afresh,
    // checked by insta against the stored ones.
    let ws = copy_example();
    let out = kinerja(ws.path(), &["snapshot"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = ws.path().join("snapshots");
    let mut areas = 0;
    for area in ["indikator", "sasaran", "anggaran", "audit"] {
        let file = std::fs::read_to_string(dir.join(format!("{area}.snap"))).expect("written");
        let body = file
            .splitn(3, "---\n")
            .nth(2)
            .expect("insta's header, then the body");
        snapshot_settings().bind(|| insta::assert_snapshot!(area, body));
        areas += 1;
    }
    assert_eq!(areas, 4);
}

#[test]
fn the_repository_snapshots_are_up_to_date() {
    let out = kinerja(&example(), &["snapshot", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn round_trip_check_change_accept_check() {
    let ws = copy_example();
    let dir = ws.path();
    let first = kinerja(dir, &["snapshot"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("snapshots/indikator.snap: new"),
        "{}",
        stdout(&first)
    );

    let ok = kinerja(dir, &["snapshot", "--check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));

    // A revised target, as in the September PK revision.
    edit(&dir.join("indicators/sp4.yaml"), "pk: 82 ", "pk: 75 ");
    let before = tree(dir);
    let failed = kinerja(dir, &["snapshot", "--check"]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(tree(dir), before, "check mode must not write");
    let text = stdout(&failed);
    for expected in [
        "IKP4.2 target: 82.00 → 75.00  (indicators/sp4.yaml)",
        "IKP4.2 capaian: 70.90 → 77.52  (indicators/sp4.yaml)",
        "SP4 capaian: 86.80 → 89.01  (indicators/sp4.yaml)",
        "nilai_kinerja capaian: 103.58 → 103.90  (kinerja.yaml)",
        "-[IKP4.2] capaian = 70.90",
        "+[IKP4.2] capaian = 77.52",
        // The revised target also disagrees with the figures the report printed.
        "[IKP4.2] A001 capaian 70.90 = computed 77.5194, open",
        "snapshot check failed: 3 files differ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("snapshot_check_failure", text));

    let accepted = kinerja(dir, &["snapshot", "--accept"]);
    assert!(accepted.status.success());
    assert!(
        stdout(&accepted).contains("updated 3 snapshot files"),
        "{}",
        stdout(&accepted)
    );
    let again = kinerja(dir, &["snapshot", "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn snapshot_is_byte_identical_across_runs() {
    let ws = copy_example();
    assert!(kinerja(ws.path(), &["snapshot"]).status.success());
    let first = tree(&ws.path().join("snapshots"));
    std::fs::remove_dir_all(ws.path().join("snapshots")).expect("rm");
    assert!(kinerja(ws.path(), &["snapshot"]).status.success());
    assert_eq!(tree(&ws.path().join("snapshots")), first);
    // A second run over existing files changes nothing either.
    let out = kinerja(ws.path(), &["snapshot"]);
    assert!(
        stdout(&out).contains("already up to date"),
        "{}",
        stdout(&out)
    );
    assert_eq!(tree(&ws.path().join("snapshots")), first);
}

#[test]
fn removed_and_new_areas_are_reported() {
    let ws = copy_example();
    assert!(kinerja(ws.path(), &["snapshot"]).status.success());
    std::fs::remove_dir_all(ws.path().join("budgets")).expect("rm budgets");
    let out = kinerja(ws.path(), &["snapshot", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("snapshots/anggaran.snap: no longer produced"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_broken_workspace_writes_no_snapshot() {
    let ws = copy_example();
    edit(
        &ws.path().join("indicators/sp4.yaml"),
        "n: 330, t: 370",
        "n: 330, t: 0",
    );
    let out = kinerja(ws.path(), &["snapshot"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!ws.path().join("snapshots").exists());
    assert!(stderr(&out).contains("kinerja check"), "{}", stderr(&out));
}
