//! A watch session sees every input (issue 16): over random sequences of what people and
//! tools do to a workspace (a folder replaced by a copy, budget line files edited in place,
//! appended, or edited to the same size with their modification time put back, files
//! deleted and restored, invalid saves then fixed, realisasi edited, each save in place or
//! through a temporary file and a rename), the session, driven by the system's own file
//! events exactly as `kinerja watch` is, shows after every step what a fresh run of the same
//! files gives.
//!
//! No sleeping: after each step the test creates a marker file in the workspace and takes
//! events until the marker's own arrives; the system delivers one watcher's events in order,
//! so every event of the step has arrived by then. The session then does what the watch
//! loop does: renew its watches and run, if a relevant change was seen, and only then.
//!
//! A few dozen cases by default, a few seconds; for more:
//! `PROPTEST_CASES=1000 cargo test --lib watch::tests`.

use super::memo::tests::shown;
use super::{Current, Session};
use crate::analysis::{self, Options};
use crate::base::cancel::Cancel;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const INDICATOR_FILES: [&str; 2] = ["indicators/i001/f0001.yaml", "indicators/i001/f0002.yaml"];
const RULE_FILE: &str = "rules/rollup.rhai";
const BUDGET_FILE: &str = "budgets/anggaran.yaml";
/// The line files: one beside the budget file, one in a folder outside the workspace
/// folders.
const LINE_FILES: [&str; 2] = ["budgets/realisasi.csv", "data/tambahan.csv"];
const FOLDERS: [&str; 4] = ["indicators", "rules", "budgets", "data"];

/// A file the steps delete, restore and break.
const FILES: [&str; 6] = [
    INDICATOR_FILES[0],
    INDICATOR_FILES[1],
    RULE_FILE,
    BUDGET_FILE,
    LINE_FILES[0],
    LINE_FILES[1],
];

#[derive(Clone, Debug)]
enum Op {
    /// `mv F lama-N && cp -r lama-N F`.
    ReplaceFolder(usize),
    /// One digit of a line's realisasi changed (the size stays); with the modification time
    /// put back or not.
    EditLine {
        csv: usize,
        line: usize,
        keep_time: bool,
    },
    AppendLine {
        csv: usize,
        pagu: u32,
    },
    Delete(usize),
    /// The file as it was at the start.
    Restore(usize),
    /// Text that does not parse, added to a YAML or Rhai file.
    Break(usize),
    /// A given realisasi or a formula's input of one indikator.
    Realisasi {
        file: usize,
        nth: usize,
        value: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..FOLDERS.len()).prop_map(Op::ReplaceFolder),
        3 => (0..2usize, 0..20usize, any::<bool>())
            .prop_map(|(csv, line, keep_time)| Op::EditLine { csv, line, keep_time }),
        2 => (0..2usize, 1..5_000u32).prop_map(|(csv, pagu)| Op::AppendLine { csv, pagu }),
        1 => (0..FILES.len()).prop_map(Op::Delete),
        3 => (0..FILES.len()).prop_map(Op::Restore),
        2 => (0..4usize).prop_map(Op::Break),
        3 => (0..2usize, 0..10usize, 1..100u32)
            .prop_map(|(file, nth, value)| Op::Realisasi { file, nth, value }),
    ]
}

/// A small generated workspace, its budget lines in two files: one where the generator
/// puts it, one in `data/`, named from the budget file as `../data/tambahan.csv`.
struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    original: Vec<(&'static str, String)>,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().expect("tmp");
        let spec = crate::generate::Spec {
            institutions: 1,
            indicators: 6,
            files: 2,
            indicators_per_sasaran: 3,
            budget_lines: 12,
            seed: 16,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let root = tmp.path().canonicalize().expect("root");
        let lines = std::fs::read_to_string(root.join(LINE_FILES[0])).expect("csv");
        let mut rows = lines.lines();
        let header = rows
            .next()
            .unwrap_or_default()
            .trim_start_matches('\u{feff}');
        let extra: Vec<&str> = rows.take(4).collect();
        std::fs::create_dir(root.join("data")).expect("mkdir");
        std::fs::write(
            root.join(LINE_FILES[1]),
            format!("{header}\n{}\n", extra.join("\n")),
        )
        .expect("write");
        std::fs::write(
            root.join(BUDGET_FILE),
            "program: Program Contoh\nrincian_csv:\n  - {file: realisasi.csv, pemisah: \";\"}\n  - {file: ../data/tambahan.csv, pemisah: \";\"}\nriwayat:\n  - {tahun: 2021, persen: 97.42}\n",
        )
        .expect("write");
        let original = FILES
            .iter()
            .map(|f| (*f, std::fs::read_to_string(root.join(f)).expect("read")))
            .collect();
        Fixture {
            _tmp: tmp,
            root,
            original,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path(rel)).ok()
    }

    /// Saves in place, or as editors do: a temporary file renamed over the file.
    fn save(&self, rel: &str, text: &str, atomic: bool) {
        let path = self.path(rel);
        if atomic {
            let tmp = path.with_file_name(format!(
                ".{}.tmp",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ));
            std::fs::write(&tmp, text).expect("write temporary file");
            std::fs::rename(&tmp, &path).expect("rename");
        } else {
            std::fs::write(&path, text).expect("write");
        }
    }

    /// Does `op`; returns what it did, for a failure's message.
    fn apply(&self, op: &Op, step: usize, atomic: bool) -> String {
        match *op {
            Op::ReplaceFolder(f) => {
                let folder = FOLDERS[f];
                let away = self.path(&format!("lama-{folder}-{step}"));
                if std::fs::rename(self.path(folder), &away).is_err() {
                    return format!("{folder} not there to replace");
                }
                let copied = std::process::Command::new("cp")
                    .arg("-r")
                    .arg(&away)
                    .arg(self.path(folder))
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(copied, "cp -r {}", away.display());
                format!("{folder} replaced by a copy")
            }
            Op::EditLine {
                csv,
                line,
                keep_time,
            } => {
                let rel = LINE_FILES[csv];
                let Some(text) = self.read(rel) else {
                    return format!("{rel} absent");
                };
                let path = self.path(rel);
                let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                // Lines after the header, by their start; the first digit of the last field.
                let starts: Vec<usize> = text
                    .match_indices('\n')
                    .map(|(i, _)| i + 1)
                    .filter(|&i| i < text.len())
                    .collect();
                let Some(&start) = starts.get(line % starts.len().max(1)) else {
                    return format!("{rel} has no lines");
                };
                let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
                let Some(at) = text[start..end].rfind(';').map(|i| start + i + 1) else {
                    return format!("{rel} line without fields");
                };
                let mut bytes = text.into_bytes();
                let Some(digit) = bytes.get(at).copied().filter(u8::is_ascii_digit) else {
                    return format!("{rel} line without an amount");
                };
                bytes[at] = if digit == b'9' { b'1' } else { digit + 1 };
                let text = String::from_utf8(bytes).expect("ascii edit");
                if keep_time {
                    std::fs::write(&path, &text).expect("write");
                    if let Some(modified) = modified {
                        std::fs::File::options()
                            .write(true)
                            .open(&path)
                            .and_then(|f| f.set_modified(modified))
                            .expect("mtime put back");
                    }
                } else {
                    self.save(rel, &text, atomic);
                }
                format!("{rel} line at {start} edited (time kept: {keep_time})")
            }
            Op::AppendLine { csv, pagu } => {
                let rel = LINE_FILES[csv];
                let Some(text) = self.read(rel) else {
                    return format!("{rel} absent");
                };
                let row = format!(
                    "409457;027.06;4001;4001.ABC;4001.ABC.001;521111;{pagu}.000;{}.000\n",
                    pagu / 2
                );
                let sep = if text.ends_with('\n') { "" } else { "\n" };
                self.save(rel, &format!("{text}{sep}{row}"), atomic);
                format!("{rel}: a line appended")
            }
            Op::Delete(f) => match std::fs::remove_file(self.path(FILES[f])) {
                Ok(()) => format!("{} deleted", FILES[f]),
                Err(_) => format!("{} absent", FILES[f]),
            },
            Op::Restore(f) => {
                let (rel, text) = &self.original[f];
                self.save(rel, text, atomic);
                format!("{rel} restored")
            }
            Op::Break(f) => {
                let rel = FILES[f];
                let Some(text) = self.read(rel) else {
                    return format!("{rel} absent");
                };
                let bad = if rel.ends_with(".rhai") {
                    "\nfn rusak( {\n"
                } else {
                    "\n  - id: [\n"
                };
                self.save(rel, &format!("{text}{bad}"), atomic);
                format!("{rel} broken")
            }
            Op::Realisasi { file, nth, value } => {
                let rel = INDICATOR_FILES[file];
                let Some(text) = self.read(rel) else {
                    return format!("{rel} absent");
                };
                // A given realisasi, or the first input of a formula.
                let mut numbers: Vec<(usize, usize)> = Vec::new();
                for key in ["    realisasi: ", "masukan: {n: "] {
                    for (i, _) in text.match_indices(key) {
                        let from = i + key.len();
                        let len = text[from..]
                            .find(|c: char| !c.is_ascii_digit() && c != '.')
                            .unwrap_or(0);
                        if len > 0 {
                            numbers.push((from, from + len));
                        }
                    }
                }
                numbers.sort_unstable();
                let Some(&(a, b)) = numbers.get(nth % numbers.len().max(1)) else {
                    return format!("{rel}: no realisasi to edit");
                };
                self.save(rel, &format!("{}{value}{}", &text[..a], &text[b..]), atomic);
                format!("{rel}: a realisasi set to {value}")
            }
        }
    }
}

/// What the watch loop does once events are in: while a run is due, renew the watches,
/// run, and renew them again (for folders the run was the first to name).
fn run_while_due(session: &mut Session, watcher: &mut notify::RecommendedWatcher) {
    while session.is_due() {
        session.watch_with(watcher).expect("watch");
        session.run(&Cancel::never());
        session.watch_with(watcher).expect("watch");
    }
}

/// Takes events into the session until the marker made now arrives: then every event of
/// what was done before has.
fn settle(
    session: &mut Session,
    events: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    step: usize,
) {
    let marker = root.join(format!(".penanda-{step}"));
    std::fs::write(&marker, "").expect("marker");
    std::fs::remove_file(&marker).expect("marker removed");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = events
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("the marker of step {step} never arrived"));
        let done = event
            .as_ref()
            .is_ok_and(|e| e.paths.iter().any(|p| p == &marker));
        session.note(&event);
        if done {
            return;
        }
    }
}

/// The session shows what a fresh run of the files gives now.
fn same_as_fresh(session: &Session, root: &Path, what: &str) -> Result<(), TestCaseError> {
    let fresh = analysis::analyze(root, &Options::default());
    match (session.current(), fresh) {
        (Current::Analysis(inc), Ok(full)) => {
            prop_assert_eq!(
                inc.diagnostics.iter().collect::<Vec<_>>(),
                full.diagnostics.iter().collect::<Vec<_>>(),
                "diagnostics after {}",
                what
            );
            prop_assert_eq!(shown(inc), shown(&full), "figures after {}", what);
            prop_assert_eq!(
                &inc.hasil.indikator,
                &full.hasil.indikator,
                "results after {}",
                what
            );
            prop_assert_eq!(
                &inc.hasil.nilai_kinerja,
                &full.hasil.nilai_kinerja,
                "nilai kinerja after {}",
                what
            );
        }
        (Current::Error(e), Err(full)) => {
            prop_assert_eq!(e, full.to_string(), "after {}", what);
        }
        (Current::Nothing, _) => prop_assert!(false, "no run after {}", what),
        (Current::Analysis(_), Err(e)) => {
            prop_assert!(
                false,
                "after {}: the session has results, a fresh run: {}",
                what,
                e
            )
        }
        (Current::Error(e), Ok(_)) => {
            prop_assert!(
                false,
                "after {}: the session failed ({}), a fresh run did not",
                what,
                e
            )
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // Each case is a workspace on disk and real file events: shrinking a failure is
        // worth it, endlessly not.
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_session_shows_what_a_fresh_run_gives_after_every_step(
        ops in prop::collection::vec((op(), any::<bool>()), 1..8),
    ) {
        let fixture = Fixture::new();
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })
        .expect("a watcher");
        let mut session = Session::new(&fixture.root, Options::default()).expect("session");
        prop_assert!(session.is_due());
        run_while_due(&mut session, &mut watcher);
        same_as_fresh(&session, &fixture.root, "the first run")?;
        let mut done = Vec::new();
        for (step, (op, atomic)) in ops.iter().enumerate() {
            done.push(fixture.apply(op, step, *atomic));
            settle(&mut session, &events, &fixture.root, step);
            run_while_due(&mut session, &mut watcher);
            same_as_fresh(&session, &fixture.root, &done.join("; "))?;
        }
    }
}

/// The session watches the folder of a budget line file outside the workspace folders,
/// and watches a replaced folder afresh, without waiting for any other change.
#[test]
fn the_folders_a_session_watches() {
    let fixture = Fixture::new();
    let (tx, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })
    .expect("a watcher");
    let mut session = Session::new(&fixture.root, Options::default()).expect("session");
    session.watch_with(&mut watcher).expect("watch");
    session.run(&Cancel::never());
    // The run named data/, watched only now: a second run is due, for what changed there
    // while the first read it; it is not shown unless it finds something.
    session.watch_with(&mut watcher).expect("watch");
    assert!(session.is_due());
    let check = session.run(&Cancel::never()).expect("a run");
    assert!(check.quiet && check.status == super::Status::NoChange);
    session.watch_with(&mut watcher).expect("watch");
    assert!(!session.is_due(), "nothing new to watch");
    let root = &fixture.root;
    let flat = notify::RecursiveMode::NonRecursive;
    let deep = notify::RecursiveMode::Recursive;
    assert_eq!(
        session.watched(),
        [
            (root.clone(), flat),
            (root.join("budgets"), deep),
            (root.join("data"), flat),
            (root.join("indicators"), deep),
            (root.join("rules"), deep),
        ]
    );
    // `data/` replaced: a run is due (the line file in it may differ), and it is watched
    // afresh before that run.
    fixture.apply(&Op::ReplaceFolder(3), 0, false);
    settle(&mut session, &events, root, 0);
    assert!(session.is_due());
    run_while_due(&mut session, &mut watcher);
    fixture.apply(&Op::AppendLine { csv: 1, pagu: 1234 }, 1, false);
    settle(&mut session, &events, root, 1);
    assert!(session.is_due(), "an edit in the new data/ is seen");
}
