//! File-system rules every stage shares: which files are an editor's leftovers (loading
//! skips them, watch ignores their events), and how kinerja writes a file.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Swap, backup and temporary files of editors (vim, emacs, JetBrains, VS Code, gedit),
/// and hidden files and folders: never part of a workspace, whatever their extension.
/// (vim's probe file `4913` has no extension, so it is no workspace file either; a name of
/// digits alone is not refused here, since `indicators/2022/` is a fine folder.)
pub(crate) fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
}

/// Writes `content` to `path` through a temporary file in the same directory and a rename,
/// so that a reader never sees half a file and a crash never leaves one.
pub(crate) fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(temporary_name(&name, std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary file [`write_atomic`] writes `name` through, in process `pid`.
fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}.tmp-{pid}")
}

/// Where no process table can be asked, a temporary file this old is stale: writing a
/// file kinerja writes takes seconds at most.
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// How long a temporary file of a process that `/proc` does not list is left alone: the
/// writer may run in another PID namespace (a container sharing the folder) and still be
/// writing.
const GRACE: Duration = Duration::from_secs(60);

/// Removes the temporary files [`write_atomic`] left in `dir` for any of `names` when the
/// process writing them was killed, and returns their paths. Never one a running process
/// may still be writing: on Linux only those of a process that no longer exists (by
/// `/proc`) and untouched for [`GRACE`]; elsewhere only those older than [`STALE_AFTER`].
pub(crate) fn remove_stale_temporaries(dir: &Path, names: &[&str]) -> io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let own = std::process::id();
    let proc_fs = Path::new("/proc/self").exists();
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| writer_of(n, names)) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if pid == own || !meta.is_file() {
            continue;
        }
        let older_than = |limit: Duration| {
            meta.modified()
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > limit)
        };
        let stale = if proc_fs {
            !Path::new("/proc").join(pid.to_string()).exists() && older_than(GRACE)
        } else {
            older_than(STALE_AFTER)
        };
        if !stale {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed.push(entry.path()),
            // Another run cleaned it up first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    removed.sort();
    Ok(removed)
}

/// The process that wrote `file_name`, when it is [`write_atomic`]'s temporary file for
/// one of `names`.
fn writer_of(file_name: &str, names: &[&str]) -> Option<u32> {
    names.iter().find_map(|name| {
        let pid = file_name
            .strip_prefix('.')?
            .strip_prefix(name)?
            .strip_prefix(".tmp-")?;
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        pid.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_every_editor() {
        for name in [
            ".sp1.yaml.swp",
            "sp1.yaml~",
            "#sp1.yaml#",
            "sp1.yaml___jb_tmp___",
            "a.rhai.tmp",
            ".hidden.yaml",
        ] {
            assert!(is_editor_leftover(name), "{name}");
        }
        for name in [
            "sp1.yaml",
            "rasio.rhai",
            "2022",
            "2022.yaml",
            "kinerja.yaml",
        ] {
            assert!(!is_editor_leftover(name), "{name}");
        }
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("x.snap");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read_to_string(&p).ok().as_deref(), Some("two"));
        assert_eq!(
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0),
            1
        );
    }

    #[test]
    fn temporary_names_are_recognised_exactly() {
        let names = ["indikator.snap", "audit.snap"];
        assert_eq!(
            writer_of(&temporary_name("indikator.snap", 42), &names),
            Some(42)
        );
        assert_eq!(writer_of(".audit.snap.tmp-7", &names), Some(7));
        for other in [
            "indikator.snap",
            ".indikator.snap.tmp-",
            ".indikator.snap.tmp-12x",
            ".indikator.snap.tmp--1",
            ".sasaran.snap.tmp-12",
            ".indikator.snap.tmp-99999999999",
            "x.indikator.snap.tmp-12",
        ] {
            assert_eq!(writer_of(other, &names), None, "{other}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporaries_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().expect("tmp");
        // A process that has ended, its temporary file also old enough for the fallback.
        let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let dead = child.id();
        child.wait().expect("wait");
        let stale = dir.path().join(temporary_name("a.snap", dead));
        std::fs::write(&stale, "half").expect("write");
        let old = std::time::SystemTime::now() - 2 * STALE_AFTER;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .and_then(|f| f.set_modified(old))
            .expect("age it");
        // A running process (this one's parent: alive, not this process), and files
        // that are not temporaries of the names given.
        let live = dir.path().join(temporary_name(
            "a.snap",
            std::os::unix::process::parent_id(),
        ));
        std::fs::write(&live, "being written").expect("write");
        let kept = dir.path().join("a.snap");
        std::fs::write(&kept, "whole").expect("write");
        let other = dir.path().join(temporary_name("b.snap", dead));
        std::fs::write(&other, "not ours").expect("write");
        // Of a process that has ended, but just written: maybe by a process this one
        // cannot see.
        let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let recent = dir.path().join(temporary_name("a.snap", child.id()));
        child.wait().expect("wait");
        std::fs::write(&recent, "just now").expect("write");
        let removed = remove_stale_temporaries(dir.path(), &["a.snap"]).expect("clean");
        assert_eq!(removed, vec![stale.clone()]);
        assert!(!stale.exists());
        assert!(live.exists() && kept.exists() && other.exists() && recent.exists());
        // A folder that does not exist has nothing stale.
        let none = remove_stale_temporaries(&dir.path().join("none"), &["a.snap"]);
        assert_eq!(none.ok(), Some(Vec::new()));
    }
}
