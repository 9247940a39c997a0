//! Only regular files are read (issue 16, item 10): a FIFO, a device, a dangling link or a
//! directory where a workspace file is expected is a K001 naming the file, what it is and
//! what to do, and never blocks; a file over the size limit is refused with the limit and
//! its size. The real binary runs under a deadline, so that a hang fails the test instead
//! of hanging it.

#![cfg(unix)]

mod common;
use common::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above a run on these workspaces (milliseconds), far below a hang.
const DEADLINE: Duration = Duration::from_secs(20);

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `kinerja args…` in `dir`, killing it and failing the test past [`DEADLINE`].
fn run_bounded(dir: &Path, args: &[&str]) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kinerja binary runs");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kinerja {args:?} hung: no exit within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ran {
        code: status.code(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Makes a FIFO; `false` (said loudly) where `mkfifo` is missing, and the test is skipped.
/// CI sets `KINERJA_REQUIRE_MKFIFO=1`: there, a missing `mkfifo` fails the test.
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            assert!(
                std::env::var_os("KINERJA_REQUIRE_MKFIFO").is_none(),
                "mkfifo is required (KINERJA_REQUIRE_MKFIFO) but failed: {other:?}"
            );
            eprintln!("SKIPPED: mkfifo is not available here ({other:?})");
            false
        }
    }
}

/// `check` and `eval` both end in time with exit 1, and `check` says `expected` (each
/// part) in the K001 it reports; the workspace's other files are still read.
fn refused(dir: &Path, expected: &[&str]) -> String {
    let check = run_bounded(dir, &["check"]);
    assert_eq!(check.code, Some(1), "{}{}", check.stdout, check.stderr);
    let k001 = check
        .stdout
        .split("\n\n")
        .find(|b| b.starts_with("error[K001]"))
        .unwrap_or_else(|| panic!("no K001 in:\n{}", check.stdout))
        .to_string();
    for e in expected {
        assert!(k001.contains(e), "expected {e:?} in:\n{k001}");
    }
    assert!(
        !check.stdout.contains(&dir.display().to_string()),
        "paths are shown relative to the workspace:\n{}",
        check.stdout
    );
    let eval = run_bounded(dir, &["eval"]);
    assert_eq!(eval.code, Some(1), "{}{}", eval.stdout, eval.stderr);
    k001
}

#[test]
fn a_fifo_named_like_an_indicator_file() {
    let ws = Files::minimal().write();
    if !mkfifo(&ws.path().join("indicators/x.yaml")) {
        return;
    }
    let k001 = refused(
        ws.path(),
        &[
            "cannot read indicators/x.yaml",
            "it is a named pipe (FIFO), not a regular file",
            "help: kinerja reads only regular files",
        ],
    );
    assert!(k001.contains("note: at indicators/x.yaml:1"), "{k001}");
    // For editors and CI, the file is the diagnostic's place.
    let json = run_bounded(ws.path(), &["check", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(list[0]["code"], "K001", "{list}");
    assert_eq!(list[0]["file"], "indicators/x.yaml", "{list}");
    // The rest of the workspace was read: the one indicator file's figures are fine, so the
    // FIFO is the only problem.
    let check = run_bounded(ws.path(), &["check"]);
    assert!(
        check.stdout.contains("1 error, 0 warnings"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_fifo_named_like_a_rule_file() {
    let ws = Files::minimal().write();
    if !mkfifo(&ws.path().join("rules/x.rhai")) {
        return;
    }
    refused(
        ws.path(),
        &[
            "cannot read rules/x.rhai",
            "it is a named pipe (FIFO), not a regular file",
        ],
    );
}

const BUDGET_WITH_LINES: &str = "\
program: Program Contoh
rincian_csv:
  file: rincian.csv
kegiatan:
  - kode: \"1001\"
    nama: Kegiatan satu
jenis_belanja:
  - kode: \"52\"
";

#[test]
fn a_fifo_as_the_budget_line_file() {
    let ws = Files::minimal()
        .set("budgets/anggaran.yaml", BUDGET_WITH_LINES)
        .write();
    if !mkfifo(&ws.path().join("budgets/rincian.csv")) {
        return;
    }
    refused(
        ws.path(),
        &[
            "budgets/rincian.csv: it is a named pipe (FIFO), not a regular file",
            // Located where the budget file names it.
            "--> budgets/anggaran.yaml:3:9",
            "help: kinerja reads only regular files",
        ],
    );
}

#[test]
fn the_budget_line_file_a_directory_or_a_device() {
    let ws = Files::minimal()
        .set("budgets/anggaran.yaml", BUDGET_WITH_LINES)
        .write();
    std::fs::create_dir(ws.path().join("budgets/rincian.csv")).expect("mkdir");
    refused(
        ws.path(),
        &[
            "budgets/rincian.csv: it is a directory, not a regular file",
            "help: name a file, not a directory",
        ],
    );
    std::fs::remove_dir(ws.path().join("budgets/rincian.csv")).expect("rmdir");
    std::os::unix::fs::symlink("/dev/zero", ws.path().join("budgets/rincian.csv"))
        .expect("symlink");
    refused(
        ws.path(),
        &["budgets/rincian.csv: it is a character device, not a regular file"],
    );
}

/// A link to `/dev/zero` used to be read until memory ran out (3.6 GB).
#[test]
fn a_yaml_file_linked_to_dev_zero() {
    let ws = Files::minimal().write();
    std::os::unix::fs::symlink("/dev/zero", ws.path().join("indicators/zero.yaml"))
        .expect("symlink");
    refused(
        ws.path(),
        &[
            "cannot read indicators/zero.yaml",
            "it is a character device, not a regular file",
        ],
    );
}

/// A dangling link used to be skipped silently, as if the file had never been there.
#[test]
fn a_dangling_link() {
    let ws = Files::minimal().write();
    std::os::unix::fs::symlink("moved-away.yaml", ws.path().join("indicators/sp2.yaml"))
        .expect("symlink");
    refused(
        ws.path(),
        &[
            "cannot read indicators/sp2.yaml",
            "it is a symbolic link to `moved-away.yaml`, which does not exist",
            "help: restore the file the link points to, or remove the link",
        ],
    );
}

/// Over the limit, the size and the limit are both said; the file is not read at all (a
/// sparse file: its size costs no disk and no time).
#[test]
fn a_file_over_the_size_limit() {
    let ws = Files::minimal().write();
    let big = std::fs::File::create(ws.path().join("indicators/besar.yaml")).expect("create");
    big.set_len(300 << 20).expect("sparse file");
    refused(
        ws.path(),
        &[
            "cannot read indicators/besar.yaml",
            "it is 300 MiB (314572800 bytes), over the limit of 256 MiB for a YAML or Rhai file",
            "help: split it into smaller files",
        ],
    );
}

/// A manifest that is a FIFO stops the load at once with what it is (exit 2), instead of
/// blocking or claiming there is no manifest.
#[test]
fn a_fifo_as_the_manifest() {
    let ws = Files::minimal().remove("kinerja.yaml").write();
    if !mkfifo(&ws.path().join("kinerja.yaml")) {
        return;
    }
    let out = run_bounded(ws.path(), &["check"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("kinerja.yaml: it is a named pipe (FIFO), not a regular file"),
        "{}",
        out.stderr
    );
}
