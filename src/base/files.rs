//! File-system rules every stage shares: which files are an editor's leftovers (loading
//! skips them, watch ignores their events), how kinerja reads a file (regular files only,
//! within a size limit) and how it writes one.

use std::fs::{File, Metadata};
use std::io::{self, Read};
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

/// Where [`write_atomic`] would write a path: the folder entry its rename replaces, with the
/// folder resolved (`indicators/../kinerja.yaml` is `<root>/kinerja.yaml`; links in the
/// folder lead where they lead), so that it can be compared with the files a run read.
pub(crate) struct Destination {
    /// `None` when the folder does not resolve (it does not exist): nothing there can be
    /// replaced, and writing fails on its own.
    entry: Option<PathBuf>,
}

impl Destination {
    pub(crate) fn of(path: &Path) -> Destination {
        Destination { entry: entry(path) }
    }

    /// The folder entry itself, resolved as [`Destination`] says.
    pub(crate) fn entry(&self) -> Option<&Path> {
        self.entry.as_deref()
    }

    /// Whether writing here would replace or change the file read at `source`: the same
    /// folder entry (also under a name that differs in case only, on a file system that
    /// does not tell them apart), or the file `source` is a symbolic link to (a link to a
    /// source is replaced by a write, so the source is safe from it; the file a source
    /// links to is not).
    pub(crate) fn replaces(&self, source: &Path) -> bool {
        let Some(out) = &self.entry else {
            return false;
        };
        let folded = |p: &Path| p.file_name().map(|n| n.to_string_lossy().to_lowercase());
        // Most sources have another name: compared without touching the disk.
        if folded(source) == folded(out)
            && let Some(at) = entry(source)
            && (&at == out || same_file(&at, out))
        {
            return true;
        }
        source
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && source
                .canonicalize()
                .is_ok_and(|target| &target == out || same_file(&target, out))
    }
}

/// `path` with its folder resolved; see [`Destination`].
fn entry(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// Whether two existing paths are the same file (by device and inode where there are
/// such; by resolved path elsewhere).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (a.symlink_metadata(), b.symlink_metadata()) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
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

/// How much kinerja reads from one file of a kind, and what the kind is called in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limit {
    pub(crate) bytes: u64,
    pub(crate) what: &'static str,
}

/// YAML and Rhai files are read whole into memory: serde-saphyr's own limit for YAML read
/// from a reader (its `max_reader_input_bytes`; `load::yaml` checks that they agree).
pub(crate) const SOURCE_LIMIT: Limit = Limit {
    bytes: 256 << 20,
    what: "a YAML or Rhai file",
};

/// Budget line data is streamed (memory stays bounded), so the limit only stops a file that
/// never ends; far above the largest exports (a million lines is about 80 MB).
pub(crate) const LINES_LIMIT: Limit = Limit {
    bytes: 8 << 30,
    what: "budget line data",
};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileError {
    /// Something other than a regular file where a file is expected: reading a FIFO would
    /// block for ever, a device may never end.
    #[error("it is {0}, not a regular file")]
    NotRegular(NotRegular),
    /// A symbolic link whose target does not exist.
    #[error("it is a symbolic link to `{}`, which does not exist", .0.display())]
    Dangling(PathBuf),
    /// A symbolic link that leads back to itself.
    #[error("it is a symbolic link that leads back to itself")]
    LinkLoop,
    /// Larger than the limit for its kind: `size` is `None` when the file claimed a size
    /// within the limit and then gave more.
    #[error("{}", too_large(*.size, *.limit))]
    TooLarge { size: Option<u64>, limit: Limit },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What a path that is not a regular file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotRegular {
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Directory,
    Other,
}

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotRegular::Fifo => "a named pipe (FIFO)",
            NotRegular::CharDevice => "a character device",
            NotRegular::BlockDevice => "a block device",
            NotRegular::Socket => "a socket",
            NotRegular::Directory => "a directory",
            NotRegular::Other => "a special file",
        })
    }
}

fn too_large(size: Option<u64>, limit: Limit) -> String {
    match size {
        Some(size) => format!(
            "it is {} ({size} bytes), over the limit of {} for {}",
            human(size),
            human(limit.bytes),
            limit.what
        ),
        None => format!(
            "it gave more than the limit of {} for {} (it claimed to be smaller)",
            human(limit.bytes),
            limit.what
        ),
    }
}

/// A size for people, in binary units.
fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

impl FileError {
    /// What to do about it.
    pub(crate) fn hint(&self) -> &'static str {
        match self {
            FileError::NotRegular(NotRegular::Directory) => "name a file, not a directory",
            FileError::NotRegular(NotRegular::Fifo) => {
                "kinerja reads only regular files (it never waits on a pipe): put the file itself here, or move the pipe out of the workspace"
            }
            FileError::NotRegular(_) => {
                "kinerja reads only regular files: put the file itself here, or remove this one"
            }
            FileError::Dangling(_) => "restore the file the link points to, or remove the link",
            FileError::LinkLoop => "point the link at a file, or remove it",
            FileError::TooLarge { .. } => "split it into smaller files",
            FileError::Io(_) => "check the file's permissions",
        }
    }

    /// The file was not there (and no link to it either): it vanished since it was listed.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, FileError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// Checks that `path` (following links) is a regular file within `limit`, without opening
/// it, and returns its metadata.
pub(crate) fn check_regular(path: &Path, limit: Limit) -> Result<Metadata, FileError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A link that is there but leads nowhere is a problem; no file at all is not
            // found, which callers may take as a file that vanished.
            return Err(match std::fs::read_link(path) {
                Ok(target) => FileError::Dangling(target),
                Err(_) => FileError::Io(e),
            });
        }
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(FileError::LinkLoop),
        Err(e) => return Err(FileError::Io(e)),
    };
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(FileError::NotRegular(not_regular(&kind)));
    }
    if meta.len() > limit.bytes {
        return Err(FileError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    Ok(meta)
}

fn not_regular(kind: &std::fs::FileType) -> NotRegular {
    if kind.is_dir() {
        return NotRegular::Directory;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return NotRegular::Fifo;
        }
        if kind.is_char_device() {
            return NotRegular::CharDevice;
        }
        if kind.is_block_device() {
            return NotRegular::BlockDevice;
        }
        if kind.is_socket() {
            return NotRegular::Socket;
        }
    }
    NotRegular::Other
}

/// A reader of a regular file that fails, rather than going on, past its limit (a file
/// may claim one size and give more: a growing file, a file of a special file system).
pub(crate) struct Limited {
    inner: io::Take<File>,
    limit: Limit,
}

impl Read for Limited {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 && self.inner.limit() == 0 {
            return Err(io::Error::other(FileError::TooLarge {
                size: None,
                limit: self.limit,
            }));
        }
        Ok(n)
    }
}

/// Opens a regular file for reading, after checking what it is (so that a FIFO is never
/// opened) and its size; reads past `limit` fail.
pub(crate) fn open_regular(path: &Path, limit: Limit) -> Result<(Limited, Metadata), FileError> {
    check_regular(path, limit)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // The path may be swapped for a FIFO between the check and the open: non-blocking, the
    // open returns at once, and the check below on the opened file refuses it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(FileError::NotRegular(not_regular(&meta.file_type())));
    }
    Ok((
        Limited {
            // One byte more than allowed, so that a longer file is noticed, not cut short.
            inner: file.take(limit.bytes.saturating_add(1)),
            limit,
        },
        meta,
    ))
}

/// Reads a whole regular file within `limit` (see [`open_regular`]).
pub(crate) fn read_regular(path: &Path, limit: Limit) -> Result<Vec<u8>, FileError> {
    let (mut reader, meta) = open_regular(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    if let Err(e) = reader.read_to_end(&mut bytes) {
        // The limit's own error, not wrapped in an I/O error.
        return Err(match e.downcast::<FileError>() {
            Ok(inner) => inner,
            Err(e) => FileError::Io(e),
        });
    }
    Ok(bytes)
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

/// Makes a FIFO with the system's `mkfifo`, for tests; `None` (said loudly) where there is
/// none, so that the test is skipped rather than failed (unless `KINERJA_REQUIRE_MKFIFO` is
/// set, as CI sets it).
#[cfg(all(test, unix))]
pub(crate) fn mkfifo(path: &Path) -> Option<()> {
    match std::process::Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => Some(()),
        other => {
            assert!(
                std::env::var_os("KINERJA_REQUIRE_MKFIFO").is_none(),
                "mkfifo is required (KINERJA_REQUIRE_MKFIFO) but failed: {other:?}"
            );
            eprintln!("SKIPPED: mkfifo is not available here ({other:?})");
            None
        }
    }
}

#[cfg(all(test, unix))]
mod guard_tests {
    use super::*;
    use std::time::{Duration, Instant};

    const TINY: Limit = Limit {
        bytes: 10,
        what: "a test file",
    };

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("x.yaml");
        let Some(()) = mkfifo(&p) else { return };
        let started = Instant::now();
        let e = read_regular(&p, SOURCE_LIMIT).expect_err("a FIFO is not read");
        assert!(
            matches!(e, FileError::NotRegular(NotRegular::Fifo)),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "it is a named pipe (FIFO), not a regular file"
        );
        assert!(e.hint().contains("regular files"), "{}", e.hint());
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_link_to_a_device_a_dangling_link_and_a_directory() {
        let dir = tempfile::tempdir().expect("tmp");
        let zero = dir.path().join("zero.yaml");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
        let e = read_regular(&zero, SOURCE_LIMIT).expect_err("a device is not read");
        assert!(
            matches!(e, FileError::NotRegular(NotRegular::CharDevice)),
            "{e:?}"
        );
        let dangling = dir.path().join("gone.yaml");
        std::os::unix::fs::symlink("nowhere.yaml", &dangling).expect("symlink");
        let e = read_regular(&dangling, SOURCE_LIMIT).expect_err("nothing to read");
        assert_eq!(
            e.to_string(),
            "it is a symbolic link to `nowhere.yaml`, which does not exist"
        );
        assert!(
            !e.is_not_found(),
            "a dangling link is reported, not skipped"
        );
        let looped = dir.path().join("loop.yaml");
        std::os::unix::fs::symlink("loop.yaml", &looped).expect("symlink");
        let e = read_regular(&looped, SOURCE_LIMIT).expect_err("a loop");
        assert_eq!(
            e.to_string(),
            "it is a symbolic link that leads back to itself"
        );
        let e = read_regular(dir.path(), SOURCE_LIMIT).expect_err("a directory");
        assert_eq!(e.to_string(), "it is a directory, not a regular file");
        let e = read_regular(&dir.path().join("absent.yaml"), SOURCE_LIMIT).expect_err("absent");
        assert!(e.is_not_found(), "{e:?}");
    }

    #[test]
    fn the_limit_names_itself_and_the_size() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("big.yaml");
        std::fs::write(&p, "0123456789A").expect("write");
        let e = read_regular(&p, TINY).expect_err("too large");
        assert_eq!(
            e.to_string(),
            "it is 11 bytes (11 bytes), over the limit of 10 bytes for a test file"
        );
        std::fs::write(&p, "0123456789").expect("write");
        assert_eq!(read_regular(&p, TINY).expect("at the limit").len(), 10);
        let e = read_regular(&p, SOURCE_LIMIT).map(|b| b.len());
        assert_eq!(e.ok(), Some(10));
        assert_eq!(human(300 << 20), "300 MiB");
        assert_eq!(human(SOURCE_LIMIT.bytes), "256 MiB");
        assert_eq!(human(1536), "1.5 KiB");
    }

    /// A regular file that claims to be empty and gives more (as files of /proc do, and as
    /// an endless one would) is stopped at the limit, not read to its end.
    #[test]
    fn a_file_that_claims_less_than_it_gives_is_stopped_at_the_limit() {
        let p = Path::new("/proc/self/status");
        if !std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() == 0) {
            eprintln!("SKIPPED: no /proc/self/status of size 0 here");
            return;
        }
        let e = read_regular(p, TINY).expect_err("more than 10 bytes");
        assert!(matches!(e, FileError::TooLarge { size: None, .. }), "{e:?}");
        assert!(e.to_string().contains("limit of 10 bytes"), "{e}");
    }
}

#[cfg(all(test, unix))]
mod destination_tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn the_same_entry_however_it_is_written() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("indicators")).expect("mkdir");
        let source = root.join("kinerja.yaml");
        std::fs::write(&source, "x").expect("write");
        for written in [
            root.join("kinerja.yaml"),
            root.join("indicators/../kinerja.yaml"),
            root.join("./indicators/.././kinerja.yaml"),
        ] {
            assert!(
                Destination::of(&written).replaces(&source),
                "{}",
                written.display()
            );
        }
        assert!(!Destination::of(&root.join("laporan.yaml")).replaces(&source));
        // A folder that does not exist: nothing there to replace (the write fails).
        let nowhere = Destination::of(&root.join("nowhere/kinerja.yaml"));
        assert_eq!(nowhere.entry(), None);
        assert!(!nowhere.replaces(&source));
        // Through a link to the folder.
        symlink(root, root.join("indicators/up")).expect("symlink");
        assert!(Destination::of(&root.join("indicators/up/kinerja.yaml")).replaces(&source));
    }

    #[test]
    fn links_a_source_and_links_to_one() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        let shared = root.join("shared.yaml");
        std::fs::write(&shared, "x").expect("write");
        // A source that is a link: writing the file it leads to would change the source.
        let source = root.join("sp1.yaml");
        symlink(&shared, &source).expect("symlink");
        assert!(Destination::of(&shared).replaces(&source));
        assert!(Destination::of(&source).replaces(&source));
        // A link to a source, or a second name for it, is replaced by the write (a rename),
        // and the source stays as it was.
        let plain = root.join("plain.yaml");
        std::fs::write(&plain, "x").expect("write");
        let link = root.join("link.yaml");
        symlink(&plain, &link).expect("symlink");
        assert!(!Destination::of(&link).replaces(&plain));
        let hard = root.join("hard.yaml");
        std::fs::hard_link(&plain, &hard).expect("hard link");
        assert!(!Destination::of(&hard).replaces(&plain));
        // Names that differ in case only are two files here (a case-sensitive file system).
        assert!(!Destination::of(&root.join("PLAIN.yaml")).replaces(&plain));
    }
}
