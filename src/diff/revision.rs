//! A workspace as it was at a git revision, read with `git show` (nothing is checked out).

use crate::load::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
use std::path::{Path, PathBuf};

/// Why `rev` cannot be a revision, before git is asked: a word starting with `-` would
/// reach git as an option (`--output=FILE` writes a file).
pub(crate) fn refuse_option(rev: &str) -> Result<(), String> {
    if rev.is_empty() {
        return Err("a revision cannot be empty (e.g. HEAD~1, main, a tag or a commit)".into());
    }
    if rev.starts_with('-') {
        return Err(format!(
            "`{rev}` is not a revision: a revision never starts with `-` (e.g. HEAD~1, main, a tag or a commit)"
        ));
    }
    Ok(())
}

/// The workspace files of `dir` as they were at git revision `rev`, written into a new
/// temporary directory (removed when the returned guard is dropped).
pub(crate) fn checkout_revision(dir: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
    refuse_option(rev)?;
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
    // Resolved to a commit once, as a revision only (`--end-of-options`); git is then
    // given the commit's hash, never the text the user wrote.
    let commit = run(&[
        "rev-parse",
        "--verify",
        "--end-of-options",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|e| {
        format!(
            "`{rev}` is not a commit of the git repository at {} ({e})",
            dir.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "`{rev}` is not a commit (git rev-parse gave `{commit}`)"
        ));
    }
    // Paths relative to `dir`, so a workspace inside a larger repository works too.
    let listing = run(&[
        "ls-tree",
        "-r",
        "--name-only",
        "--full-name",
        &commit,
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
        let content = run(&["show", &format!("{commit}:{full}")])?;
        let path: PathBuf = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, content).map_err(|e| e.to_string())?;
    }
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An option is refused before git runs (the folder is not even a repository).
    #[test]
    fn an_option_is_no_revision() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("written");
        for rev in [
            format!("--output={}", out.display()),
            "-p".to_string(),
            String::new(),
        ] {
            let err = checkout_revision(dir.path(), &rev)
                .err()
                .unwrap_or_default();
            assert!(err.contains("revision"), "{rev}: {err}");
            assert!(!err.contains("git"), "{rev}: git was asked: {err}");
        }
        assert!(!out.exists());
    }
}
