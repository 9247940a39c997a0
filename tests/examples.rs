//! The example workspaces under `examples/`, each written from a real published report
//! (named in its `kinerja.yaml`): each checks clean, and its report and audit are
//! snapshot-tested, so a change in the engine that moves one of their figures shows.

mod common;
use common::*;

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(example().join("examples"))
        .expect("examples/")
        .flatten()
        .filter(|e| e.path().join("kinerja.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_checks_clean_and_its_report_and_audit_are_as_snapshot() {
    let names = examples();
    assert!(names.len() >= 2, "examples: {names:?}");
    for name in names {
        let dir = format!("examples/{name}");
        let check = kinerja(&example(), &["check", "--deny", "warnings", &dir]);
        assert!(
            check.status.success(),
            "{dir}: {}{}",
            stdout(&check),
            stderr(&check)
        );
        let eval = kinerja(&example(), &["eval", "--format", "markdown", &dir]);
        assert!(eval.status.success(), "{dir}: {}", stderr(&eval));
        let audit = kinerja(&example(), &["audit", &dir]);
        // Open findings fail `check --deny warnings` above; known ones are listed.
        assert_eq!(audit.status.code(), Some(0), "{dir}: {}", stdout(&audit));
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("example_{name}_eval"), stdout(&eval));
            insta::assert_snapshot!(format!("example_{name}_audit"), stdout(&audit));
        });
    }
}

/// An example reporting per period is evaluated as of each triwulan: each checks clean there
/// (the figures printed for that period agree), and its report as of each is snapshot.
#[test]
fn every_example_reporting_per_period_checks_clean_and_is_as_snapshot_at_each_period() {
    let mut periodic = 0;
    for name in examples() {
        let dir = format!("examples/{name}");
        let manifest = std::fs::read_to_string(example().join(&dir).join("kinerja.yaml"))
            .expect("kinerja.yaml");
        if !manifest.lines().any(|l| l.starts_with("periode:")) {
            continue;
        }
        periodic += 1;
        for periode in ["TW1", "TW2", "TW3", "TW4"] {
            let check = kinerja(
                &example(),
                &["check", "--deny", "warnings", "--periode", periode, &dir],
            );
            assert!(
                check.status.success(),
                "{dir} as of {periode}: {}{}",
                stdout(&check),
                stderr(&check)
            );
            let eval = kinerja(
                &example(),
                &["eval", "--format", "markdown", "--periode", periode, &dir],
            );
            assert!(eval.status.success(), "{dir}: {}", stderr(&eval));
            snapshot_settings().bind(|| {
                insta::assert_snapshot!(format!("example_{name}_eval_{periode}"), stdout(&eval));
            });
        }
    }
    assert!(periodic >= 2, "examples reporting per period: {periodic}");
}
