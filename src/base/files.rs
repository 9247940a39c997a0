//! File-system rules every stage shares: which files are an editor's leftovers (loading
//! skips them, watch ignores their events), and how kinerja writes a file.

use std::io;
use std::path::Path;

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
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
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
}
