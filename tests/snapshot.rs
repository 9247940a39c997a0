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

/// A dead process's id: a child that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

/// A `snapshot` killed while writing leaves `.AREA.snap.tmp-PID`; the next run removes it,
/// keeps a temporary file of a process still running, and leaves the snapshots as they were.
#[test]
fn snapshot_removes_temporary_files_of_interrupted_runs() {
    let ws = copy_example();
    assert!(kinerja(ws.path(), &["snapshot"]).status.success());
    let dir = ws.path().join("snapshots");
    let before = tree(&dir);
    let stale = dir.join(format!(".indikator.snap.tmp-{}", dead_pid()));
    std::fs::write(&stale, "[IKP1.1] target = 10").expect("write");
    // Written long enough ago for any writer, on any system, to have finished.
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .and_then(|f| f.set_modified(two_hours_ago))
        .expect("age it");
    let live = dir.join(format!(".sasaran.snap.tmp-{}", std::process::id()));
    std::fs::write(&live, "being written").expect("write");

    // --check never writes, so it removes nothing either.
    let check = kinerja(ws.path(), &["snapshot", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stale.exists());

    let out = kinerja(ws.path(), &["snapshot"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!(
            "snapshots/{}: removed",
            stale.file_name().unwrap_or_default().to_string_lossy()
        )),
        "{}",
        stdout(&out)
    );
    assert!(live.exists(), "a live process's file must stay");
    std::fs::remove_file(&live).expect("rm");
    assert_eq!(tree(&dir), before, "the snapshots are intact");
}

/// `snapshots` as a regular file: both modes say what is wrong and what to do, and nothing
/// is written.
#[test]
fn snapshots_as_a_file_is_explained() {
    let ws = copy_example();
    std::fs::write(ws.path().join("snapshots"), "notes").expect("write");
    for args in [&["snapshot"][..], &["snapshot", "--check"]] {
        let out = kinerja(ws.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(!err.contains("os error"), "{args:?}: {err}");
        for expected in [
            "snapshots is a file, not a folder",
            "move or remove ./snapshots",
        ] {
            assert!(
                err.contains(expected),
                "{args:?}: missing {expected:?} in {err}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(ws.path().join("snapshots"))
                .ok()
                .as_deref(),
            Some("notes")
        );
    }
}

/// `snapshot --check` with every target of a generated workspace changed lists every
/// changed figure once, with both values, and its diff has each changed line once on each
/// side. (It used to take time quadratic in the changes; the unit test
/// `pairing_lines_is_linear_in_the_lines` counts the work.)
#[test]
fn every_changed_figure_is_listed_and_diffed() {
    let ws = tempfile::tempdir().expect("tmp");
    let generated = kinerja(
        ws.path(),
        &[
            "gen",
            ".",
            "--institutions",
            "2",
            "--indicators",
            "300",
            "--files",
            "6",
            "--budget-lines",
            "200",
            "--seed",
            "3",
        ],
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(kinerja(ws.path(), &["snapshot"]).status.success());
    let snap = |dir: &Path| {
        std::fs::read_to_string(dir.join("snapshots/indikator.snap")).expect("snapshot")
    };
    let old = snap(ws.path());
    // Every PK target one lower.
    let mut stack = vec![ws.path().join("indicators")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("read");
            let lowered: Vec<String> = text
                .split("{pk: ")
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        return part.to_string();
                    }
                    let (n, rest) = part.split_once(',').expect("pk: N,");
                    let n: u32 = n.parse().expect("a whole target");
                    format!("{},{rest}", n - 1)
                })
                .collect();
            std::fs::write(&p, lowered.join("{pk: ")).expect("write");
        }
    }
    let out = kinerja(ws.path(), &["snapshot", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    // What changed, from the files `snapshot` writes afresh in a copy.
    let accepted = tempfile::tempdir().expect("tmp");
    let copy = std::process::Command::new("cp")
        .args(["-R", "."])
        .arg(accepted.path())
        .current_dir(ws.path())
        .status()
        .expect("cp");
    assert!(copy.success());
    assert!(kinerja(accepted.path(), &["snapshot"]).status.success());
    let new = snap(accepted.path());
    let figures = |body: &str| -> BTreeMap<String, String> {
        body.lines()
            .filter(|l| l.starts_with('['))
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (before, after) = (figures(&old), figures(&new));
    assert_eq!(before.len(), after.len());
    let changed: Vec<(&String, &String, &String)> = before
        .iter()
        .filter_map(|(k, v)| after.get(k).filter(|w| *w != v).map(|w| (k, v, w)))
        .collect();
    assert!(changed.len() > 300, "{} changed", changed.len());
    let section = text
        .split("\nsnapshots/")
        .next()
        .expect("the indikator.snap section first");
    assert!(
        section.starts_with(&format!(
            "snapshots/indikator.snap: {} figures changed\n",
            changed.len()
        )),
        "{}",
        &section[..section.len().min(200)]
    );
    let listed = section.lines().filter(|l| l.contains(" → ")).count();
    assert_eq!(listed, changed.len());
    let (mut minus, mut plus) = (Vec::new(), Vec::new());
    for line in section.lines() {
        if let Some(l) = line.strip_prefix('-').filter(|l| !l.starts_with("--")) {
            minus.push(l.to_string());
        } else if let Some(l) = line.strip_prefix('+').filter(|l| !l.starts_with("++")) {
            plus.push(l.to_string());
        }
    }
    for (key, was, now) in &changed {
        let id_ukuran = key.trim_start_matches('[').replacen("] ", " ", 1);
        assert!(
            section.contains(&format!("  {id_ukuran}: {was} → {now}")),
            "{id_ukuran} not listed"
        );
    }
    let expected = |side: usize| -> Vec<String> {
        let mut v: Vec<String> = changed
            .iter()
            .map(|(k, was, now)| format!("{k} = {}", if side == 0 { was } else { now }))
            .collect();
        v.sort();
        v
    };
    minus.sort();
    plus.sort();
    assert_eq!(minus, expected(0));
    assert_eq!(plus, expected(1));
}
