//! What a watch session keeps between runs, so that a save redoes only what it changed.
//!
//! The memo is wrapped around the stages from above: it implements
//! [`crate::analysis::Units`], the way a run computes its units of work, and
//! answers a unit from the last run where the unit's inputs are the same, which no stage
//! knows. The units and their keys:
//!
//! - an indicator file's part of the model: its place in the run and its text;
//! - a source of budget lines: its path and options, and a hash of the file's content (a
//!   size and a modification time can both stay the same through an edit; hashing the file
//!   is a fraction of aggregating it, see [`content_key`]);
//! - an indikator's checks: the indikator as read (values and places: the diagnostics
//!   point at them), the report's year and the sasaran ids;
//! - an indikator's figures: the indikator as read, the manifest, every rule file and every
//!   band table file. Only figures computed without a problem are kept, so that a problem is
//!   reported again.
//!
//! Model values hash with everything they hold (see [`crate::model`]), so a value from an
//! alias, a what-if override or a moved entry keys exactly what it means. An indikator is
//! hashed once, when its file is read; an unchanged file's indikator are the very same
//! values in the next run (shared, not copied), and are known by their address there.
//! Whatever a run did not use is dropped after it, so the memo never grows beyond the
//! workspace.

use crate::analysis::Units;
use crate::base::diagnostic::Diagnostic;
use crate::base::files::{FileError, LINES_LIMIT, open_regular};
use crate::base::source::FileId;
use crate::eval::{self, HasilIndikator};
use crate::load::IndicatorFile;
use crate::load::lines::{Aggregate, CsvError, LineSource};
use crate::model::Indikator;
use crate::validate;
// aHash: keyed by hashes and paths of the workspace, not by adversaries.
use ahash::AHashMap as HashMap;
use std::collections::BTreeSet;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// A key for a unit's inputs: only ever compared within one process, so it need not be the
/// same on another machine.
fn key(value: impl Hash) -> u64 {
    KEYS.hash_one(value)
}

const KEYS: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

type FileKey = (FileId, u64);
type LinesKey = (LineSource, u64);

/// Bytes hashed at a time: the blocks are always full (but the last), so that the same
/// content always hashes the same, however the reads were split.
const HASH_BLOCK: usize = 1 << 20;

/// A key for a file's content: a fast hash of every byte, and the length. The file is read
/// as the line reader reads it (a regular file, within the limit); an error here is left for
/// the line reader to report.
fn content_key(path: &Path) -> Result<u64, FileError> {
    use std::hash::{BuildHasher, Hasher};
    use std::io::Read;
    let started = std::time::Instant::now();
    let (mut file, _) = open_regular(path, LINES_LIMIT)?;
    let mut hasher = KEYS.build_hasher();
    let mut block = vec![0u8; HASH_BLOCK];
    let mut total = 0u64;
    loop {
        let mut filled = 0;
        while filled < block.len() {
            match file.read(&mut block[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(FileError::Io(e)),
            }
        }
        hasher.write(&block[..filled]);
        total += filled as u64;
        if filled < block.len() {
            break;
        }
    }
    hasher.write_u64(total);
    tracing::debug!(file = %path.display(), bytes = total, elapsed = ?started.elapsed(), "budget lines hashed");
    Ok(hasher.finish())
}

/// An indicator file's part of the model, and the key of each of its indikator.
#[derive(Clone)]
struct FileEntry {
    part: Arc<IndicatorFile>,
    keys: Arc<[u64]>,
}

/// What the last run computed, by the key of its inputs.
#[derive(Default)]
pub(crate) struct Memo {
    files: HashMap<FileKey, FileEntry>,
    lines: HashMap<LinesKey, Arc<Aggregate>>,
    checks: HashMap<u64, Arc<[Diagnostic]>>,
    results: HashMap<u64, Arc<HasilIndikator>>,
    /// Every budget line file the run asked for, read or not (one that is missing counts:
    /// its return must be seen).
    line_files: BTreeSet<PathBuf>,
}

/// What one run reused and what it redid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    pub(crate) files_parsed: usize,
    pub(crate) files_reused: usize,
    pub(crate) indikator_evaluated: usize,
    pub(crate) indikator_reused: usize,
}

impl Memo {
    /// Adds what `other` holds (a cancelled run's units) to this memo.
    pub(crate) fn absorb(&mut self, other: Memo) {
        self.files.extend(other.files);
        self.lines.extend(other.lines);
        self.checks.extend(other.checks);
        self.results.extend(other.results);
        self.line_files.extend(other.line_files);
    }

    /// The budget line files the last run asked for.
    pub(crate) fn line_files(&self) -> impl Iterator<Item = &Path> {
        self.line_files.iter().map(PathBuf::as_path)
    }

    /// The units of one run: answered from this memo where they can be.
    pub(crate) fn run(&self) -> Run<'_> {
        Run {
            memo: self,
            known: RwLock::default(),
            check_context: OnceLock::new(),
            eval_context: OnceLock::new(),
            next: Mutex::default(),
            files_parsed: AtomicUsize::new(0),
            files_reused: AtomicUsize::new(0),
            indikator_evaluated: AtomicUsize::new(0),
            indikator_reused: AtomicUsize::new(0),
        }
    }
}

/// One run's view of the memo, and what the next run may reuse.
pub(crate) struct Run<'m> {
    memo: &'m Memo,
    /// The key of every indikator read this run, by its address (the indikator live, and so
    /// stay put, as long as the run).
    known: RwLock<HashMap<usize, u64>>,
    /// The context keys, worked out once a run (the first unit that needs one).
    check_context: OnceLock<u64>,
    eval_context: OnceLock<u64>,
    /// Every unit this run used, reused or not: the next run's memo.
    next: Mutex<Memo>,
    files_parsed: AtomicUsize,
    files_reused: AtomicUsize,
    indikator_evaluated: AtomicUsize,
    indikator_reused: AtomicUsize,
}

impl Run<'_> {
    /// The memo for the next run, and what this one reused.
    pub(crate) fn finish(self) -> (Memo, Stats) {
        let stats = Stats {
            files_parsed: self.files_parsed.into_inner(),
            files_reused: self.files_reused.into_inner(),
            indikator_evaluated: self.indikator_evaluated.into_inner(),
            indikator_reused: self.indikator_reused.into_inner(),
        };
        let next = self.next.into_inner().unwrap_or_else(|e| e.into_inner());
        (next, stats)
    }

    fn keep(&self, f: impl FnOnce(&mut Memo)) {
        // A panic elsewhere cannot leave the memo half-written: recover the guard.
        f(&mut self.next.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// An indikator's key: the one worked out when its file was read, or (for one changed
    /// since, by a what-if override) its hash now. A changed indikator is always a copy at
    /// another address: this run's memo holds the one read, and what is shared is copied
    /// before it is changed (`Arc::make_mut`).
    fn key_of(&self, ind: &Indikator) -> u64 {
        let known = self.known.read().unwrap_or_else(|e| e.into_inner());
        match known.get(&(ind as *const Indikator as usize)) {
            Some(k) => *k,
            None => key(ind),
        }
    }
}

impl Units for Run<'_> {
    fn indicator_file(&self, file: FileId, text: &str) -> Arc<IndicatorFile> {
        let k = (file, key(text));
        let entry = match self.memo.files.get(&k) {
            Some(entry) => {
                self.files_reused.fetch_add(1, Ordering::Relaxed);
                entry.clone()
            }
            None => {
                self.files_parsed.fetch_add(1, Ordering::Relaxed);
                let part = crate::load::indicators::read(file, text);
                let keys = part.indikator.iter().map(|i| key(&**i)).collect();
                FileEntry {
                    part: Arc::new(part),
                    keys,
                }
            }
        };
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .extend(
                entry
                    .part
                    .indikator
                    .iter()
                    .map(|i| Arc::as_ptr(i) as usize)
                    .zip(entry.keys.iter().copied()),
            );
        let part = Arc::clone(&entry.part);
        self.keep(|m| {
            m.files.insert(k, entry);
        });
        part
    }

    fn lines(&self, source: &LineSource) -> Result<Arc<Aggregate>, CsvError> {
        self.keep(|m| {
            m.line_files.insert(source.path.clone());
        });
        let Ok(content) = content_key(&source.path) else {
            // Not readable: the line reader says why, as in a full run.
            return crate::load::lines::read(source).map(Arc::new);
        };
        let k = (source.clone(), content);
        let agg = match self.memo.lines.get(&k) {
            Some(agg) => Arc::clone(agg),
            None => {
                let agg = Arc::new(crate::load::lines::read(source)?);
                // Saved again while it was read: what was read may not be what was hashed,
                // so it is not kept under that hash (the save's own run reads it again).
                if content_key(&source.path).ok() != Some(content) {
                    return Ok(agg);
                }
                agg
            }
        };
        self.keep(|m| {
            m.lines.insert(k, Arc::clone(&agg));
        });
        Ok(agg)
    }

    fn checks(&self, context: &validate::Context, ind: &Indikator) -> Vec<Diagnostic> {
        let context_key = *self.check_context.get_or_init(|| {
            key((
                context.year,
                context.kalender,
                context.laporan,
                &context.sasaran,
            ))
        });
        let k = key((context_key, self.key_of(ind)));
        let found = match self.memo.checks.get(&k) {
            Some(found) => Arc::clone(found),
            None => validate::indikator(context, ind).into(),
        };
        let out = found.to_vec();
        self.keep(|m| {
            m.checks.insert(k, found);
        });
        out
    }

    fn indikator(&self, ctx: &eval::Context, ind: &Indikator) -> (HasilIndikator, Vec<Diagnostic>) {
        let context_key = *self.eval_context.get_or_init(|| {
            // The rule files, and the band tables a figure's band is looked up in.
            let rules: Vec<&str> = ctx
                .ws
                .sources
                .iter()
                .filter(|(_, f)| {
                    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
                    f.path.ends_with(".rhai") || crate::load::kategori::is_band_table(name)
                })
                .flat_map(|(_, f)| [f.path.as_str(), f.text.as_str()])
                .collect();
            key((&ctx.ws.manifest, rules))
        });
        let k = key((context_key, self.key_of(ind)));
        if let Some(result) = self.memo.results.get(&k) {
            self.indikator_reused.fetch_add(1, Ordering::Relaxed);
            let out = HasilIndikator::clone(result);
            let kept = Arc::clone(result);
            self.keep(|m| {
                m.results.insert(k, kept);
            });
            return (out, Vec::new());
        }
        self.indikator_evaluated.fetch_add(1, Ordering::Relaxed);
        let (result, diags) = eval::indikator(ctx, ind);
        // A result with a problem is computed again next time, to report the problem again.
        if diags.is_empty() {
            let kept = Arc::new(result.clone());
            self.keep(|m| {
                m.results.insert(k, kept);
            });
        }
        (result, diags)
    }
}
#[cfg(test)]
pub(super) mod tests {
    //! A watch session's runs against full runs, over random edits of a generated
    //! workspace: every run must give exactly what analysing from scratch gives, and the
    //! watch's figure comparison exactly what comparing every figure gives.

    use super::Memo;
    use crate::analysis::{self, Analysis, Options};
    use crate::base::cancel::Cancel;
    use crate::eval::Figures;
    use crate::generate::Rng;
    use std::path::{Path, PathBuf};

    /// One watch run through `memo`, as the session makes it.
    fn watch_run(root: &Path, options: &Options, memo: &mut Memo) -> Result<Analysis, String> {
        let run = memo.run();
        let result = analysis::analyze_with(root, options, &run, &Cancel::never());
        let (next, _) = run.finish();
        *memo = next;
        match result {
            Ok(Some(analysis)) => Ok(analysis),
            Ok(None) => Err("cancelled".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    type Changed = (String, String, Option<String>, Option<String>);

    /// What changed between two sets of shown figures, compared as text: side by side when
    /// the keys line up, else by key (the last figure of a key counts), new order first.
    fn text_changes(
        old: &[(String, String, String)],
        new: &[(String, String, String)],
    ) -> Vec<Changed> {
        let key = |l: &(String, String, String)| (l.0.clone(), l.1.clone());
        if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| key(a) == key(b)) {
            return old
                .iter()
                .zip(new)
                .filter(|(a, b)| a.2 != b.2)
                .map(|(a, b)| {
                    (
                        b.0.clone(),
                        b.1.clone(),
                        Some(a.2.clone()),
                        Some(b.2.clone()),
                    )
                })
                .collect();
        }
        let map = |set: &[(String, String, String)]| -> std::collections::HashMap<_, _> {
            set.iter().map(|l| (key(l), l.2.clone())).collect()
        };
        let (old_map, new_map) = (map(old), map(new));
        let mut out = Vec::new();
        for l in new {
            match old_map.get(&key(l)) {
                Some(before) if *before == l.2 => {}
                before => out.push((l.0.clone(), l.1.clone(), before.cloned(), Some(l.2.clone()))),
            }
        }
        for l in old {
            if !new_map.contains_key(&key(l)) {
                out.push((l.0.clone(), l.1.clone(), Some(l.2.clone()), None));
            }
        }
        out
    }

    /// Every figure, as shown (the session's tests compare by it too).
    pub(in crate::watch) fn shown(a: &Analysis) -> Vec<(String, String, String)> {
        let figures = Figures::of(&a.workspace, &a.hasil);
        figures
            .lines()
            .map(|l| {
                (
                    l.id.to_string(),
                    l.ukuran.to_string(),
                    l.text(figures.rounding),
                )
            })
            .collect()
    }

    /// The byte ranges of the top-level indikator entries of an indicator file.
    fn entries(text: &str) -> Vec<(usize, usize)> {
        let starts: Vec<usize> = text
            .match_indices("\n  - id: ")
            .map(|(i, _)| i + 1)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| (s, starts.get(n + 1).copied().unwrap_or(text.len())))
            .collect()
    }

    /// The number after `key` (and an anchor or alias, if any) in `text`, as a range.
    fn number_after(text: &str, key: &str) -> Option<(usize, usize)> {
        let at = text.find(key)? + key.len();
        let rest = &text[at..];
        let skip = if rest.starts_with('&') {
            rest.find(' ')? + 1
        } else {
            0
        };
        let len = rest[skip..]
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len() - skip);
        (len > 0).then_some((at + skip, at + skip + len))
    }

    struct Files {
        dir: PathBuf,
        original: Vec<(PathBuf, String)>,
    }

    impl Files {
        fn indicator_files(&self) -> Vec<PathBuf> {
            self.original
                .iter()
                .map(|(p, _)| p.clone())
                .filter(|p| p.exists())
                .collect()
        }

        /// Every file an edit may touch, as it is now.
        fn save(&self) -> Vec<(PathBuf, Option<String>)> {
            let mut paths: Vec<PathBuf> = self.original.iter().map(|(p, _)| p.clone()).collect();
            paths.push(self.dir.join("kinerja.yaml"));
            paths.push(self.dir.join("rules/rollup.rhai"));
            paths
                .into_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(&p).ok();
                    (p, text)
                })
                .collect()
        }

        fn restore(&self, saved: &[(PathBuf, Option<String>)]) {
            for (p, text) in saved {
                match text {
                    Some(t) => self.write(p, t),
                    None => {
                        let _ = std::fs::remove_file(p);
                    }
                }
            }
        }

        fn read(&self, p: &Path) -> String {
            std::fs::read_to_string(p).expect("read")
        }

        fn write(&self, p: &Path, text: &str) {
            std::fs::write(p, text).expect("write");
        }
    }

    /// One random edit; returns what it did, for a failure's message.
    fn edit(f: &Files, rng: &mut Rng, step: usize) -> String {
        let files = f.indicator_files();
        let file = files[rng.below(files.len())].clone();
        let text = f.read(&file);
        let list = entries(&text);
        let name = file.display().to_string();
        let pick = |rng: &mut Rng| list.get(rng.below(list.len())).copied();
        match rng.below(18) {
            0..=3 => {
                // A target moves (to 0 now and then: an error).
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let Some((a, b)) = number_after(&text[s..e], "pk: ") else {
                    return "none".into();
                };
                let value = if rng.below(8) == 0 {
                    0
                } else {
                    40 + rng.below(80)
                };
                f.write(
                    &file,
                    &format!("{}{value}{}", &text[..s + a], &text[s + b..]),
                );
                format!("pk of entry at {s} in {name} = {value}")
            }
            4 => {
                // An input moves.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let Some((a, b)) = number_after(&text[s..e], "n: ") else {
                    return "none".into();
                };
                let value = 1 + rng.below(500);
                f.write(
                    &file,
                    &format!("{}{value}{}", &text[..s + a], &text[s + b..]),
                );
                format!("an input of entry at {s} in {name} = {value}")
            }
            5 => {
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                f.write(&file, &format!("{}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} deleted")
            }
            6 | 7 => {
                // Copied or moved into another file, under a new id unless duplicated.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let mut entry = text[s..e].to_string();
                if !entry.ends_with('\n') {
                    entry.push('\n');
                }
                let how = rng.below(3);
                if how < 2 {
                    let id = &entry["  - id: ".len()..entry.find('\n').unwrap_or(entry.len())];
                    entry = entry.replace(id, &format!("X{step}{id}"));
                }
                let other = files[rng.below(files.len())].clone();
                let moved = how == 1 && other != file;
                if moved {
                    f.write(&file, &format!("{}{}", &text[..s], &text[e..]));
                }
                let target = f.read(&other);
                let sep = if target.ends_with('\n') { "" } else { "\n" };
                f.write(&other, &format!("{target}{sep}{entry}"));
                format!(
                    "entry at {s} of {name} copied (how {how}) to {}",
                    other.display()
                )
            }
            8 => {
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = text[s..e].replacen("sasaran: S", "sasaran: Q", 1);
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} refers to an unknown sasaran")
            }
            9 => {
                // One target an alias of another's anchor: an edit of the anchor moves both.
                if list.len() < 2 {
                    return "none".into();
                }
                let (s1, e1) = list[0];
                let (s2, e2) = list[1 + rng.below(list.len() - 1)];
                let (Some((a1, _)), Some((a2, b2))) = (
                    number_after(&text[s1..e1], "pk: "),
                    number_after(&text[s2..e2], "pk: "),
                ) else {
                    return "none".into();
                };
                if text[s1..e1].contains("pk: &") {
                    return "none".into();
                }
                let anchor = format!("t{step}");
                let out = format!(
                    "{}&{anchor} {}*{anchor}{}",
                    &text[..s1 + a1],
                    &text[s1 + a1..s2 + a2],
                    &text[s2 + b2..]
                );
                f.write(&file, &out);
                format!("second target in {name} an alias of the first")
            }
            10 => {
                let manifest = f.dir.join("kinerja.yaml");
                let m = f.read(&manifest);
                let m = match rng.below(3) {
                    0 if m.contains("tahun: 2022") => m.replace("tahun: 2022", "tahun: 2023"),
                    0 => m.replace("tahun: 2023", "tahun: 2022"),
                    1 if m.contains("tampilan:") => m.replace("tampilan: {desimal: 1}\n", ""),
                    1 => format!("{m}tampilan: {{desimal: 1}}\n"),
                    _ => format!("{m}# step {step}\n"),
                };
                f.write(&manifest, &m);
                "manifest edited".into()
            }
            11 => {
                let rule = f.dir.join("rules/rollup.rhai");
                let r = f.read(&rule);
                f.write(&rule, &format!("{r}\n// step {step}\n"));
                "rule file edited".into()
            }
            12 => {
                f.write(&file, &format!("{text}  - id: [\n"));
                format!("syntax error in {name}")
            }
            13 => {
                if list.len() < 2 {
                    return "none".into();
                }
                let (s1, e1) = list[0];
                let (s2, e2) = list[list.len() - 1];
                let mut last = text[s2..e2].to_string();
                if !last.ends_with('\n') {
                    last.push('\n');
                }
                f.write(
                    &file,
                    &format!("{}{last}{}{}", &text[..s1], &text[e1..s2], &text[s1..e1]),
                );
                format!("first and last entries of {name} swapped")
            }
            14 => {
                let (path, original) = &f.original[rng.below(f.original.len())];
                f.write(path, original);
                format!("{} restored", path.display())
            }
            15 => {
                if files.len() < 2 {
                    return "none".into();
                }
                std::fs::remove_file(&file).expect("remove");
                format!("{name} deleted")
            }
            16 => {
                // An indikator named like a sasaran: valid, and two figures share a key.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = &text[s..e];
                let Some(at) = entry.find("sasaran: ") else {
                    return "none".into();
                };
                let sasaran = entry[at + 9..].lines().next().unwrap_or("").trim();
                let id = &entry["  - id: ".len()..entry.find('\n').unwrap_or(entry.len())];
                let entry = entry.replace(&format!("id: {id}\n"), &format!("id: {sasaran}\n"));
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} named as its sasaran")
            }
            _ => {
                // A name with a line break and what looks like a figure after it.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = text[s..e].to_string();
                let Some(at) = entry.find("nama: ") else {
                    return "none".into();
                };
                let end = entry[at..].find('\n').map_or(entry.len(), |n| at + n);
                let entry = format!(
                    "{}nama: \"Indikator\\n[IKP2] capaian = 1.00\"{}",
                    &entry[..at],
                    &entry[end..]
                );
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} given a name with a line break")
            }
        }
    }

    fn assert_same(inc: &Analysis, full: &Analysis, what: &str) {
        assert_eq!(
            inc.diagnostics.iter().collect::<Vec<_>>(),
            full.diagnostics.iter().collect::<Vec<_>>(),
            "diagnostics after {what}"
        );
        assert_eq!(shown(inc), shown(full), "figures after {what}");
        assert_eq!(
            inc.hasil.nilai_kinerja, full.hasil.nilai_kinerja,
            "nilai kinerja after {what}"
        );
        assert_eq!(
            inc.hasil.indikator, full.hasil.indikator,
            "results after {what}"
        );
        assert_eq!(
            inc.findings.len(),
            full.findings.len(),
            "findings after {what}"
        );
    }

    /// A target written as an alias of another's anchor moves when the anchor does, though
    /// its own entry's text stays the same.
    #[test]
    fn an_alias_follows_its_anchor() {
        let tmp = tempfile::tempdir().expect("tmp");
        let spec = crate::generate::Spec {
            institutions: 1,
            indicators: 8,
            files: 1,
            indicators_per_sasaran: 4,
            budget_lines: 10,
            seed: 5,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let file = tmp.path().join("indicators/i001/f0001.yaml");
        let text = std::fs::read_to_string(&file).expect("read");
        let list = entries(&text);
        let (s1, e1) = list[0];
        let (s2, e2) = list[1];
        let (a1, b1) = number_after(&text[s1..e1], "pk: ").expect("a target");
        let (a2, b2) = number_after(&text[s2..e2], "pk: ").expect("a target");
        let with = |value: &str| {
            format!(
                "{}&shared {value}{}*shared{}",
                &text[..s1 + a1],
                &text[s1 + b1..s2 + a2],
                &text[s2 + b2..]
            )
        };
        let mut memo = Memo::default();
        let options = Options::default();
        for value in ["70", "75", "70"] {
            std::fs::write(&file, with(value)).expect("write");
            let inc = watch_run(tmp.path(), &options, &mut memo).expect("incremental");
            let full = analysis::analyze(tmp.path(), &options).expect("full");
            assert_same(&inc, &full, &format!("the anchor set to {value}"));
            assert!(full.is_complete(), "{:?}", full.diagnostics);
        }
    }

    /// Issue 16, item 13: a budget line file edited to the same size, with its modification
    /// time put back (as a copy tool or a restore from backup may), is read again.
    #[test]
    fn budget_lines_edited_to_the_same_size_and_time_are_read_again() {
        let tmp = tempfile::tempdir().expect("tmp");
        let spec = crate::generate::Spec {
            institutions: 1,
            indicators: 4,
            files: 1,
            indicators_per_sasaran: 4,
            budget_lines: 10,
            seed: 7,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let csv = tmp.path().join("budgets/realisasi.csv");
        let options = Options::default();
        let mut memo = Memo::default();
        let before = watch_run(tmp.path(), &options, &mut memo).expect("first run");
        assert!(before.is_complete(), "{:?}", before.diagnostics);
        let meta = std::fs::metadata(&csv).expect("metadata");
        let modified = meta.modified().expect("mtime");
        // The first digit of the first line's realisasi, changed: the same size.
        let text = std::fs::read_to_string(&csv).expect("read");
        let line_end = text.find('\n').expect("a header line") + 1;
        let field = text[line_end..].find('\n').expect("a line") + line_end;
        let at = text[..field].rfind(';').expect("a last field") + 1;
        let digit = text.as_bytes()[at];
        let other = if digit == b'9' { b'1' } else { digit + 1 };
        let mut bytes = text.into_bytes();
        bytes[at] = other;
        std::fs::write(&csv, &bytes).expect("write");
        std::fs::File::options()
            .write(true)
            .open(&csv)
            .and_then(|f| f.set_modified(modified))
            .expect("mtime restored");
        let after = std::fs::metadata(&csv).expect("metadata");
        assert_eq!(
            (after.len(), after.modified().ok()),
            (meta.len(), Some(modified))
        );
        let inc = watch_run(tmp.path(), &options, &mut memo).expect("incremental");
        let full = analysis::analyze(tmp.path(), &options).expect("full");
        assert_same(&inc, &full, "a same-size edit of the budget lines");
        assert_ne!(
            shown(&inc),
            shown(&before),
            "the edit moved a budget figure"
        );
    }

    /// Issue 14, item 6: the same line data read under another `anggaran.skema` is another
    /// aggregate (its jenis belanja are other parts of the akun): the scheme keys the memo.
    #[test]
    fn a_scheme_change_aggregates_the_budget_lines_again() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        std::fs::create_dir_all(root.join("rules")).expect("mkdir");
        for e in std::fs::read_dir(&rules).expect("rules") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, root.join("rules").join(p.file_name().expect("name")))
                    .expect("copy");
            }
        }
        let write = |path: &str, text: &str| {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        write(
            "indicators/sp1.yaml",
            "sasaran:\n  - {id: SP1, nama: Sasaran satu}\nindikator:\n  - {id: IKP1.1, nama: Indikator satu, sasaran: SP1, satuan: persen, target: 90, realisasi: 90}\n",
        );
        write(
            "budgets/anggaran.yaml",
            "rincian_csv:\n  - file: realisasi.csv\n",
        );
        // `5.2` and `52…` both: under either scheme one line is bad and the other is read.
        write(
            "budgets/realisasi.csv",
            "kegiatan;akun;pagu;realisasi\nK1;5.2.02.05.01.0005;3.000;2.900\nK1;521211;1.000;900\n",
        );
        let manifest = |skema: &str| format!("organisasi: Contoh\ntahun: 2022\n{skema}");
        let options = Options {
            allow_bad_rows: true,
            ..Options::default()
        };
        let mut memo = Memo::default();
        let mut seen = Vec::new();
        for skema in [
            "",
            "anggaran: {skema: daerah}\n",
            "",
            "anggaran: {skema: pusat}\n",
        ] {
            write("kinerja.yaml", &manifest(skema));
            let inc = watch_run(root, &options, &mut memo).expect("incremental");
            let full = analysis::analyze(root, &options).expect("full");
            assert_same(&inc, &full, &format!("the manifest's {skema:?}"));
            let jenis: Vec<String> = inc
                .workspace
                .anggaran
                .jenis_belanja
                .iter()
                .map(|b| format!("{} {}", b.kode(), b.nama.value))
                .collect();
            let kept: Vec<_> = memo.lines.keys().map(|(s, _)| s.options.skema).collect();
            seen.push((jenis, kept));
        }
        use crate::model::Skema;
        assert_eq!(
            seen,
            [
                (vec!["52 Belanja Barang".to_string()], vec![Skema::Pusat]),
                (vec!["5.2 Belanja Modal".to_string()], vec![Skema::Daerah]),
                (vec!["52 Belanja Barang".to_string()], vec![Skema::Pusat]),
                (vec!["52 Belanja Barang".to_string()], vec![Skema::Pusat]),
            ]
        );
    }

    /// Issue 14, item 2: the shapes of a workspace, one after the other in one session. An
    /// indikator's checks are reused only while the workspace's sasaran stay the same, so a
    /// sasaran file added beside indikator that name none refuses them at once (and its
    /// removal accepts them again); the organisation's counts follow the indikator.
    #[test]
    fn workspace_shapes_through_the_memo() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        std::fs::create_dir_all(root.join("rules")).expect("mkdir");
        for e in std::fs::read_dir(&rules).expect("rules") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, root.join("rules").join(p.file_name().expect("name")))
                    .expect("copy");
            }
        }
        let write = |path: &str, text: &str| {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        let remove = |path: &str| std::fs::remove_file(root.join(path)).expect("remove");
        write("kinerja.yaml", "organisasi: Contoh\ntahun: 2022\n");
        write(
            "indicators/ik.yaml",
            "indikator:\n  - {id: IK1, nama: Satu, satuan: persen, target: 90, realisasi: 90}\n  - {id: IK2, nama: Dua, satuan: persen, target: 80, realisasi: 72}\n",
        );
        let options = Options::default();
        let mut memo = Memo::default();
        let mut step = |what: &str| {
            let inc = watch_run(root, &options, &mut memo).expect("incremental");
            let full = analysis::analyze(root, &options).expect("full");
            assert_same(&inc, &full, what);
            let codes: Vec<&str> = inc.diagnostics.iter().map(|d| d.code.as_str()).collect();
            let counts = inc
                .hasil
                .langsung
                .as_ref()
                .map(|l| (l.tercapai, l.belum_tercapai));
            (codes, inc.workspace.isi().tidak_memuat(), counts)
        };
        assert_eq!(
            step("indikator without sasaran"),
            (vec![], vec!["sasaran", "anggaran"], Some((1, 1)))
        );
        write(
            "indicators/sasaran.yaml",
            "sasaran:\n  - {id: SP1, nama: Sasaran satu}\n",
        );
        assert_eq!(
            step("a sasaran added beside them"),
            (vec!["Y003", "Y003", "K002"], vec!["anggaran"], None)
        );
        remove("indicators/sasaran.yaml");
        write(
            "indicators/ik.yaml",
            "indikator:\n  - {id: IK1, nama: Satu, satuan: persen, target: 90, realisasi: 90}\n  - {id: IK2, nama: Dua, satuan: persen, target: 80, realisasi: 80}\n",
        );
        assert_eq!(
            step("the sasaran removed, IK2 on target"),
            (vec![], vec!["sasaran", "anggaran"], Some((2, 0)))
        );
        write(
            "budgets/anggaran.yaml",
            "kegiatan:\n  - {kode: \"1001\", nama: Satu, pagu: 100, realisasi: 90}\n",
        );
        assert_eq!(
            step("a budget added"),
            (vec![], vec!["sasaran"], Some((2, 0)))
        );
        remove("indicators/ik.yaml");
        assert_eq!(
            step("the indikator removed"),
            (vec![], vec!["indikator"], None)
        );
        remove("budgets/anggaran.yaml");
        assert_eq!(
            step("the budget removed"),
            (vec!["K002"], vec!["indikator", "anggaran"], None)
        );
    }

    #[test]
    fn a_watch_session_gives_what_full_runs_give() {
        session(&[1, 2, 3], &Options::default());
    }

    /// With what-if overrides, which change indikator after their files are read.
    #[test]
    fn a_watch_session_with_overrides_gives_what_full_runs_give() {
        let options = Options {
            overrides: vec![
                "IKP3.target=55".parse().expect("override"),
                "IKP10.realisasi=77".parse().expect("override"),
            ],
            ..Options::default()
        };
        session(&[4], &options);
    }

    fn session(seeds: &[u64], options: &Options) {
        for &seed in seeds {
            let tmp = tempfile::tempdir().expect("tmp");
            let spec = crate::generate::Spec {
                institutions: 2,
                indicators: 60,
                files: 4,
                indicators_per_sasaran: 4,
                budget_lines: 40,
                seed,
            };
            crate::generate::generate(tmp.path(), &spec).expect("generate");
            let mut original = Vec::new();
            for inst in ["i001", "i002"] {
                for e in std::fs::read_dir(tmp.path().join("indicators").join(inst)).expect("dir") {
                    let p = e.expect("entry").path();
                    original.push((p.clone(), std::fs::read_to_string(&p).expect("read")));
                }
            }
            original.sort();
            let files = Files {
                dir: tmp.path().to_path_buf(),
                original,
            };
            let mut rng = Rng(seed);
            let mut memo = Memo::default();
            let mut last_good: Option<Analysis> = None;
            let mut done = String::from("nothing");
            let mut saved: Option<Vec<(PathBuf, Option<String>)>> = None;
            let (mut good, mut compared) = (0, 0);
            for step in 0..50 {
                let inc = watch_run(tmp.path(), options, &mut memo);
                let full = analysis::analyze(tmp.path(), options).map_err(|e| e.to_string());
                let what = format!("seed {seed} step {step}: {done}");
                let (inc, full) = match (inc, full) {
                    (Ok(inc), Ok(full)) => (inc, full),
                    // An override of an indikator just deleted.
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b, "after {what}");
                        done = edit(&files, &mut rng, step);
                        continue;
                    }
                    (a, b) => panic!("after {what}: {:?} vs {:?}", a.err(), b.err()),
                };
                assert_same(&inc, &full, &what);
                let complete = full.is_complete();
                if complete {
                    good += 1;
                    if let Some(old) = &last_good {
                        compared += 1;
                        // What watch reports: the figures compared as values, as diff does.
                        let changes = crate::diff::figure_changes(
                            (&old.workspace, &old.hasil),
                            (&inc.workspace, &inc.hasil),
                        );
                        let expected = text_changes(&shown(old), &shown(&inc));
                        let got: Vec<_> = changes
                            .iter()
                            .map(|c| (c.id.clone(), c.field.clone(), c.old.clone(), c.new.clone()))
                            .collect();
                        assert_eq!(got, expected, "changes after {what}");
                    }
                    last_good = Some(inc);
                }
                // A workspace left broken is mostly repaired at the next step, so that most
                // steps compare good runs.
                if complete {
                    saved = Some(files.save());
                }
                match &saved {
                    Some(good) if !complete && rng.below(4) > 0 => {
                        files.restore(good);
                        done = "back to the last good state".into();
                    }
                    _ => done = edit(&files, &mut rng, step),
                }
            }
            // The session must have compared runs, not only broken states.
            assert!(
                good >= 15 && compared >= 10,
                "seed {seed}: {good} good runs, {compared} compared"
            );
        }
    }
}
