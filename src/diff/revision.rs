//! A workspace as it was at a git revision, read with `git show` (nothing is checked out).

use crate::load::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
use std::path::{Path, PathBuf};

/// The workspace files of `dir` as they were at git revision `rev`, written into a new
/// temporary directory (removed when the returned guard is dropped).
pub(crate) fn checkout_revision(dir: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
    let run = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e} (is git installed?)"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    // Paths relative to `dir`, so a workspace inside a larger repository works too.
    let listing = run(&[
        "ls-tree",
        "-r",
        "--name-only",
        "--full-name",
        rev,
        "--",
        ".",
    ])?;
    let prefix = String::from_utf8_lossy(&run(&["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let tmp =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    for full in String::from_utf8_lossy(&listing).lines() {
        let rel = full.strip_prefix(&prefix).unwrap_or(full);
        let wanted = rel == MANIFEST
            || [INDICATORS_DIR, BUDGETS_DIR, RULES_DIR]
                .iter()
                .any(|d| rel.starts_with(&format!("{d}/")));
        if !wanted {
            continue;
        }
        let content = run(&["show", &format!("{rev}:{full}")])?;
        let path: PathBuf = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, content).map_err(|e| e.to_string())?;
    }
    Ok(tmp)
}
