//! Snapshots of evaluated results, for CI: `kinerja snapshot` writes them into
//! `snapshots/`, `--check` compares and never writes.
//!
//! One file per area (`indikator`, `sasaran`, `anggaran`, `audit`), one figure per line, in report
//! order, at the manifest's presentation precision: stable, readable and diff-friendly.
//! The files use insta's format (a YAML header, `---`, the body), so the Rust test suite
//! can check the very same files with `insta::assert_snapshot!`.

use crate::audit::Finding;
use crate::base::files::write_atomic;
use crate::eval::{
    Area, BELUM_JATUH_TEMPO, BarisHasil, Figures, Hasil, HasilIndikator, TARGET_BELUM_DITETAPKAN,
    Ukuran,
};
use crate::model::{Indikator, Workspace};
// aHash: keyed by ids from the workspace, not by adversaries.
use ahash::AHashSet as HashSet;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) const DIR: &str = "snapshots";
pub(crate) const AREAS: [&str; 4] = ["indikator", "sasaran", "anggaran", "audit"];

/// One figure of a snapshot: `[id] ukuran = nilai`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) id: String,
    pub(crate) ukuran: String,
    pub(crate) nilai: String,
}

/// A snapshot file's content for one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) area: &'static str,
    /// The body, without insta's header.
    pub(crate) body: String,
    /// Its figures, as the body shows them.
    pub(crate) lines: Vec<Line>,
    /// Where each id is defined, for reports of what changed.
    pub(crate) files: BTreeMap<String, String>,
}

impl Snapshot {
    pub(crate) fn file_name(&self) -> String {
        format!("{}.snap", self.area)
    }

    /// The whole file: insta's header, then the body.
    pub(crate) fn file_content(&self) -> String {
        format!(
            "---\nsource: kinerja snapshot\nexpression: {}\n---\n{}",
            self.area, self.body
        )
    }
}

/// The body of an insta snapshot file (what follows the header).
fn body_of(file_content: &str) -> &str {
    let rest = file_content.strip_prefix("---\n").unwrap_or(file_content);
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => rest,
    }
}

/// Reads the figures of a stored body back; comment lines are skipped.
fn parse(body: &str) -> Vec<Line> {
    body.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix('[')?;
            let (id, rest) = rest.rsplit_once("] ")?;
            let (ukuran, nilai) = rest.split_once(" = ")?;
            Some(Line {
                id: id.to_string(),
                ukuran: ukuran.to_string(),
                nilai: nilai.to_string(),
            })
        })
        .collect()
}

#[derive(Default)]
struct Writer {
    body: String,
    lines: Vec<Line>,
    files: BTreeMap<String, String>,
}

impl Writer {
    fn entity(&mut self, id: &str, nama: &str, file: Option<&str>) {
        let _ = writeln!(self.body, "# {id}: {nama}");
        if let Some(f) = file {
            self.files.insert(id.to_string(), f.to_string());
        }
    }

    fn line(&mut self, id: &str, ukuran: String, nilai: String) {
        let _ = writeln!(self.body, "[{id}] {ukuran} = {nilai}");
        self.lines.push(Line {
            id: id.to_string(),
            ukuran,
            nilai,
        });
    }

    fn finish(self, area: &'static str) -> Snapshot {
        Snapshot {
            area,
            body: self.body,
            lines: self.lines,
            files: self.files,
        }
    }
}

/// The snapshots of an evaluated workspace, at the manifest's presentation precision: the
/// figures of each area, one per line, each entity's name above its figures.
pub(crate) fn render(ws: &Workspace, hasil: &Hasil, findings: &[Finding]) -> Vec<Snapshot> {
    let figures = Figures::of(ws, hasil);
    let (not_due, not_set) = belum_jatuh_tempo(ws, hasil);
    let mut writers: [Writer; 3] = Default::default();
    for group in &figures.groups {
        let w = &mut writers[match group.area {
            Area::Indikator => 0,
            Area::Sasaran => 1,
            Area::Anggaran => 2,
        }];
        if let Some(nama) = group.nama {
            w.entity(&group.id, nama, group.file);
        }
        // A figure not due has a line where its realisasi stands (after the target, or a
        // budget row's pagu), and a target not set yet where the target stands, so that
        // either becoming known shows as a change, not as a figure from nowhere.
        let indikator = matches!(group.area, Area::Indikator);
        let mut target_line = indikator && not_set.contains(&*group.id);
        let mut due_line =
            matches!(group.area, Area::Indikator | Area::Anggaran) && not_due.contains(&*group.id);
        for line in &group.lines {
            if target_line && line.ukuran != Ukuran::Bobot {
                w.line(
                    &group.id,
                    Ukuran::Target.to_string(),
                    TARGET_BELUM_DITETAPKAN.into(),
                );
                target_line = false;
            }
            let before_realisasi = [Ukuran::Target, Ukuran::Bobot, Ukuran::Pagu];
            if due_line && !before_realisasi.contains(&line.ukuran) {
                w.line(
                    &group.id,
                    Ukuran::Realisasi.to_string(),
                    BELUM_JATUH_TEMPO.into(),
                );
                due_line = false;
            }
            w.line(
                &line.id,
                line.ukuran.to_string(),
                line.text(figures.rounding),
            );
            // The band right under its figure.
            if let (Some(band), Some(ukuran)) = (line.kategori, line.ukuran.kategori()) {
                w.line(&line.id, ukuran.to_string(), band.label.to_string());
            }
        }
        if target_line {
            w.line(
                &group.id,
                Ukuran::Target.to_string(),
                TARGET_BELUM_DITETAPKAN.into(),
            );
        }
        if due_line {
            w.line(
                &group.id,
                Ukuran::Realisasi.to_string(),
                BELUM_JATUH_TEMPO.into(),
            );
        }
    }
    // Only the areas with figures: a budget-only workspace has no indikator.snap, one
    // without a budget no anggaran.snap (and one that loses its budget sees the file go).
    let mut out: Vec<Snapshot> = writers
        .into_iter()
        .zip(AREAS)
        .filter(|(w, _)| !w.lines.is_empty())
        .map(|(w, area)| w.finish(area))
        .collect();
    if !findings.is_empty() {
        out.push(audit_snapshot(ws, findings));
    }
    out
}

/// The ids of the indikator (and komponen) whose realisasi is not due at the period
/// reported.
/// The ids of the figures not due (indikator, budget rows and the total), and of the
/// indikator whose target is not set yet.
fn belum_jatuh_tempo<'a>(ws: &'a Workspace, hasil: &Hasil) -> (HashSet<&'a str>, HashSet<&'a str>) {
    fn visit<'a>(
        m: &'a Indikator,
        r: &HasilIndikator,
        due: &mut HashSet<&'a str>,
        set: &mut HashSet<&'a str>,
    ) {
        if r.belum_jatuh_tempo {
            due.insert(&m.id.value);
        }
        if r.target_belum_ditetapkan {
            set.insert(&m.id.value);
        }
        for (k, kr) in m.komponen.iter().zip(&r.komponen) {
            visit(k, kr, due, set);
        }
    }
    let (mut due, mut set) = (HashSet::new(), HashSet::new());
    for (m, r) in ws.indikator.iter().zip(&hasil.indikator) {
        visit(m, r, &mut due, &mut set);
    }
    let not_due = |r: &BarisHasil| r.periode.as_ref().is_some_and(|p| p.belum_jatuh_tempo);
    let (a, h) = (&ws.anggaran, &hasil.anggaran);
    for (models, results) in [(&a.baris, &h.baris), (&a.jenis_belanja, &h.jenis_belanja)] {
        for (m, r) in models.iter().zip(results) {
            if not_due(r) {
                due.insert(&m.id);
            }
        }
    }
    if h.total.as_ref().is_some_and(not_due) {
        due.insert("total");
    }
    (due, set)
}

/// One line per finding: `[subject] CODE ukuran printed = computed …, known|open`.
fn audit_snapshot(ws: &Workspace, findings: &[Finding]) -> Snapshot {
    let mut w = Writer::default();
    for f in findings {
        let value = |v: Option<Decimal>| {
            v.map_or("-".to_string(), |v| v.round_dp(4).normalize().to_string())
        };
        w.line(
            &f.subject,
            format!(
                "{} {} {}",
                f.code,
                f.ukuran,
                // As printed, with its decimals: two printings may differ only in those.
                f.printed.map_or("-".to_string(), |v| v.to_string())
            ),
            format!(
                "computed {}, {}",
                value(f.computed),
                if f.is_known() { "known" } else { "open" }
            ),
        );
        w.files
            .insert(f.subject.clone(), ws.sources.path(f.at.file).to_string());
    }
    w.finish("audit")
}

/// How the stored snapshots differ from the current results.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    pub(crate) changed: Vec<FileChange>,
    pub(crate) added: Vec<Snapshot>,
    /// Area files on disk the workspace no longer produces.
    pub(crate) removed: Vec<(String, String)>,
    pub(crate) unchanged: usize,
}

#[derive(Debug)]
pub(crate) struct FileChange {
    pub(crate) new: Snapshot,
    pub(crate) old_body: String,
}

impl Comparison {
    pub(crate) fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// One figure that moved between the stored snapshot and now.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FigureChange {
    pub(crate) id: String,
    pub(crate) ukuran: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
    pub(crate) file: Option<String>,
}

impl FileChange {
    pub(crate) fn figures(&self) -> Vec<FigureChange> {
        let old: BTreeMap<(String, String), String> = parse(&self.old_body)
            .into_iter()
            .map(|l| ((l.id, l.ukuran), l.nilai))
            .collect();
        let new_lines = &self.new.lines;
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for l in new_lines {
            let key = (l.id.clone(), l.ukuran.clone());
            let before = old.get(&key);
            if before != Some(&l.nilai) {
                out.push(FigureChange {
                    id: l.id.clone(),
                    ukuran: l.ukuran.clone(),
                    old: before.cloned(),
                    new: Some(l.nilai.clone()),
                    file: self.new.files.get(&l.id).cloned(),
                });
            }
            seen.insert(key);
        }
        for ((id, ukuran), nilai) in old {
            if !seen.contains(&(id.clone(), ukuran.clone())) {
                out.push(FigureChange {
                    file: self.new.files.get(&id).cloned(),
                    id,
                    ukuran,
                    old: Some(nilai),
                    new: None,
                });
            }
        }
        out
    }

    /// A unified diff of the body, old → new, naming the file in the set `set` (`snapshots`,
    /// or a period's, `snapshots/TW2`).
    pub(crate) fn diff(&self, set: &str) -> String {
        let name = self.new.file_name();
        unified_diff(
            &self.old_body,
            &self.new.body,
            &format!("a/{set}/{name}"),
            &format!("b/{set}/{name}"),
        )
    }
}

/// Lines of context around each change in a unified diff.
const CONTEXT: usize = 2;

/// A unified diff of two snapshot bodies (as `diff -u` writes it, `CONTEXT` lines of
/// context), in time O(n log n) in the number of lines whatever changed: lines are paired
/// by [`matching_lines`], not by a general text diff (Myers' costs lines × changes, which
/// made `snapshot --check` quadratic when every target of a workspace moved).
fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    let old_keys: Vec<&str> = old.iter().map(|l| line_key(l)).collect();
    let new_keys: Vec<&str> = new.iter().map(|l| line_key(l)).collect();
    let ops = diff_ops(
        &matching_lines(&old_keys, &new_keys, &old, &new),
        old.len(),
        new.len(),
    );
    let mut out = String::new();
    for group in similar::group_diff_ops(ops, CONTEXT) {
        if group.is_empty() {
            continue;
        }
        if out.is_empty() {
            let _ = writeln!(out, "--- {old_name}\n+++ {new_name}");
        }
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&group));
        for op in &group {
            for change in op.iter_changes(&old, &new) {
                out.push(match change.tag() {
                    similar::ChangeTag::Equal => ' ',
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                });
                out.push_str(change.value());
                if !change.value().ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// What a line is paired by: a figure (`[id] ukuran = nilai`) by its `[id] ukuran`, so that
/// a figure whose value changed is still the same line; any other line by its text.
fn line_key(line: &str) -> &str {
    let line = line.trim_end_matches(['\n', '\r']);
    match line.split_once(" = ") {
        Some((key, _)) if line.starts_with('[') => key,
        _ => line,
    }
}

/// The lines of `old` and `new` that stay, as (old index, new index) pairs increasing on
/// both sides, as patience diff finds them: lines whose key occurs once on each side are
/// paired where their order agrees (the longest increasing run of their new positions),
/// a pair counts when the two lines are equal, and equal lines at both ends of the gaps
/// between pairs are paired too. Every other line changed. Each key is hashed once and each
/// line compared at most twice, and the run is found by binary search: O(n log n).
fn matching_lines<K: Eq + std::hash::Hash, L: Eq>(
    old_keys: &[K],
    new_keys: &[K],
    old: &[L],
    new: &[L],
) -> Vec<(usize, usize)> {
    // Per key: how often on each side (counting stops mattering past 2), and where.
    let mut seen: ahash::AHashMap<&K, (u8, u8, usize, usize)> =
        ahash::AHashMap::with_capacity(old_keys.len());
    for (i, k) in old_keys.iter().enumerate() {
        let e = seen.entry(k).or_insert((0, 0, i, 0));
        e.0 = e.0.saturating_add(1);
    }
    for (j, k) in new_keys.iter().enumerate() {
        if let Some(e) = seen.get_mut(k) {
            e.1 = e.1.saturating_add(1);
            e.3 = j;
        }
    }
    // Keys once on each side, in old order, with their new position.
    let unique: Vec<(usize, usize)> = old_keys
        .iter()
        .filter_map(|k| match seen.get(k) {
            Some(&(1, 1, i, j)) => Some((i, j)),
            _ => None,
        })
        .collect();
    drop(seen);
    let anchors = longest_increasing(&unique);

    let mut pairs = Vec::with_capacity(old.len().min(new.len()));
    let (mut i0, mut j0) = (0, 0);
    let gap = |pairs: &mut Vec<(usize, usize)>, i0: usize, i1: usize, j0: usize, j1: usize| {
        let (mut a, mut b) = (i0, j0);
        while a < i1 && b < j1 && old[a] == new[b] {
            pairs.push((a, b));
            a += 1;
            b += 1;
        }
        let (mut c, mut d) = (i1, j1);
        let mut tail = Vec::new();
        while c > a && d > b && old[c - 1] == new[d - 1] {
            c -= 1;
            d -= 1;
            tail.push((c, d));
        }
        pairs.extend(tail.into_iter().rev());
    };
    for (i, j) in anchors {
        gap(&mut pairs, i0, i, j0, j);
        if old[i] == new[j] {
            pairs.push((i, j));
        }
        (i0, j0) = (i + 1, j + 1);
    }
    gap(&mut pairs, i0, old.len(), j0, new.len());
    pairs
}

/// The longest subsequence of `pairs` (increasing in their first element) whose second
/// elements increase too, by patience sorting: O(n log n).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // `tails[k]`: index of the smallest last element of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = Vec::with_capacity(pairs.len());
    for (n, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        before.push(k.checked_sub(1).map(|p| tails[p]));
        if k == tails.len() {
            tails.push(n);
        } else {
            tails[k] = n;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(n) = at {
        out.push(pairs[n]);
        at = before[n];
    }
    out.reverse();
    out
}

/// The diff operations between sequences of `old_len` and `new_len` lines of which `pairs`
/// stay: what is between two kept runs is deleted, then inserted.
fn diff_ops(pairs: &[(usize, usize)], old_len: usize, new_len: usize) -> Vec<similar::DiffOp> {
    use similar::DiffOp;
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let changed = |ops: &mut Vec<DiffOp>, i: usize, i1: usize, j: usize, j1: usize| {
        if i1 > i {
            ops.push(DiffOp::Delete {
                old_index: i,
                old_len: i1 - i,
                new_index: j,
            });
        }
        if j1 > j {
            ops.push(DiffOp::Insert {
                old_index: i1,
                new_index: j,
                new_len: j1 - j,
            });
        }
    };
    let mut n = 0;
    while n < pairs.len() {
        let (a, b) = pairs[n];
        changed(&mut ops, i, a, j, b);
        // A run of consecutive pairs is one equal segment.
        let mut len = 1;
        while n + len < pairs.len() && pairs[n + len] == (a + len, b + len) {
            len += 1;
        }
        ops.push(DiffOp::Equal {
            old_index: a,
            new_index: b,
            len,
        });
        (i, j) = (a + len, b + len);
        n += len;
    }
    changed(&mut ops, i, old_len, j, new_len);
    ops
}

/// Why the snapshots could not be compared or written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(
        "{} is {what}, not a folder: kinerja keeps its snapshots in the folder `{}/` of the workspace\n  hint: move or remove {}, then run `kinerja snapshot` again to write the snapshots there",
        path.display(), DIR, path.display()
    )]
    NotAFolder { path: PathBuf, what: &'static str },
    #[error("cannot {doing} {}: {source}", path.display())]
    Io {
        doing: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_error(doing: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io {
        doing,
        path,
        source,
    }
}

/// Whatever is at `dir` when it is not a folder (a link to one is): `create_dir_all` would
/// say only "File exists".
fn ensure_folder(dir: &Path) -> Result<(), Error> {
    match dir.symlink_metadata() {
        Ok(_) if dir.is_dir() => Ok(()),
        Ok(meta) => Err(Error::NotAFolder {
            path: dir.to_path_buf(),
            what: if meta.is_file() {
                "a file"
            } else if meta.is_symlink() {
                "a link to nothing"
            } else {
                "something else"
            },
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("read", dir)(e)),
    }
}

/// Compares `snapshots` with the files in `dir`. Reads only.
pub(crate) fn compare(dir: &Path, snapshots: Vec<Snapshot>) -> Result<Comparison, Error> {
    ensure_folder(dir)?;
    let mut c = Comparison::default();
    for area in AREAS {
        let path = dir.join(format!("{area}.snap"));
        let produced = snapshots.iter().any(|s| s.area == area);
        if !produced && path.is_file() {
            c.removed.push((format!("{area}.snap"), read(&path)?));
        }
    }
    for s in snapshots {
        let path = dir.join(s.file_name());
        if !path.is_file() {
            c.added.push(s);
            continue;
        }
        let old = read(&path)?;
        let old_body = body_of(&old);
        if old_body.trim_end() == s.body.trim_end() {
            c.unchanged += 1;
        } else {
            c.changed.push(FileChange {
                old_body: old_body.to_string(),
                new: s,
            });
        }
    }
    Ok(c)
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(io_error("read", path))
}

/// Writes what `compare` found different: changed and new files atomically, removed files
/// deleted. Returns the paths touched.
pub(crate) fn accept(dir: &Path, c: &Comparison) -> Result<Vec<PathBuf>, Error> {
    ensure_folder(dir)?;
    std::fs::create_dir_all(dir).map_err(io_error("create", dir))?;
    let mut touched = Vec::new();
    for s in c.changed.iter().map(|f| &f.new).chain(&c.added) {
        let path = dir.join(s.file_name());
        write_atomic(&path, s.file_content().as_bytes()).map_err(io_error("write", &path))?;
        touched.push(path);
    }
    for (name, _) in &c.removed {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(io_error("remove", &path))?;
        touched.push(path);
    }
    Ok(touched)
}

/// Removes the temporary files an interrupted `kinerja snapshot` (killed while writing)
/// left in `dir`; returns their paths. Those a running kinerja may be writing stay.
pub(crate) fn remove_stale_temporaries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    ensure_folder(dir)?;
    let names = AREAS.map(|area| format!("{area}.snap"));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    crate::base::files::remove_stale_temporaries(dir, &names).map_err(io_error("clean up", dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip() {
        let body = "# IKP1.1: x\n[IKP1.1] capaian = 99.25\n[kegiatan: Sembako] persen = 99.38\n";
        let lines = parse(body);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].id, "kegiatan: Sembako");
        assert_eq!(lines[1].nilai, "99.38");
    }

    #[test]
    fn header_is_stripped() {
        let body = "[SP1] capaian = 1.00\n";
        let s = Snapshot {
            area: "sasaran",
            body: body.into(),
            lines: parse(body),
            files: BTreeMap::new(),
        };
        assert_eq!(body_of(&s.file_content()), s.body);
    }

    #[test]
    fn figure_changes_name_both_values() {
        let change = FileChange {
            old_body: "[A] capaian = 1.00\n[B] capaian = 2.00\n".into(),
            new: Snapshot {
                area: "sasaran",
                body: "[A] capaian = 1.50\n[C] capaian = 3.00\n".into(),
                lines: parse("[A] capaian = 1.50\n[C] capaian = 3.00\n"),
                files: [("A".to_string(), "indicators/a.yaml".to_string())].into(),
            },
        };
        let figs = change.figures();
        assert_eq!(figs.len(), 3);
        assert_eq!(figs[0].old.as_deref(), Some("1.00"));
        assert_eq!(figs[0].new.as_deref(), Some("1.50"));
        assert_eq!(figs[0].file.as_deref(), Some("indicators/a.yaml"));
        assert_eq!(figs[1].old, None);
        assert_eq!(figs[2].new, None);
        let diff = change.diff("snapshots/TW2");
        assert!(
            diff.starts_with(
                "--- a/snapshots/TW2/sasaran.snap\n+++ b/snapshots/TW2/sasaran.snap\n"
            ),
            "{diff}"
        );
        assert!(diff.contains("\n-[A] capaian = 1.00\n"), "{diff}");
        assert!(diff.contains("\n+[A] capaian = 1.50\n"), "{diff}");
    }

    /// A body of `n` entities: a name line and three figures each.
    fn body(n: usize, value: impl Fn(usize, usize) -> String) -> String {
        let mut out = String::new();
        for e in 0..n {
            let _ = writeln!(out, "# IKP{e}: Indikator {e}");
            for (k, ukuran) in ["target", "realisasi", "capaian"].iter().enumerate() {
                let _ = writeln!(out, "[IKP{e}] {ukuran} = {}", value(e, k));
            }
        }
        out
    }

    /// Applies a unified diff to `old`, checking every hunk's header, context and deleted
    /// lines against it, as `patch` would.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let mut lines = diff.split_inclusive('\n').peekable();
        let mut out: Vec<String> = Vec::new();
        let mut at = 0;
        if diff.is_empty() {
            return old.concat();
        }
        assert!(
            lines.next().is_some_and(|l| l.starts_with("--- ")),
            "{diff}"
        );
        assert!(
            lines.next().is_some_and(|l| l.starts_with("+++ ")),
            "{diff}"
        );
        while let Some(header) = lines.next() {
            let range = |s: &str| -> (usize, usize) {
                match s.split_once(',') {
                    Some((a, b)) => (a.parse().expect("start"), b.parse().expect("len")),
                    None => (s.parse().expect("start"), 1),
                }
            };
            let parts: Vec<&str> = header.split(' ').collect();
            assert_eq!((parts[0], parts[3].trim_end()), ("@@", "@@"), "{header}");
            let (a, b) = range(parts[1].trim_start_matches('-'));
            let (c, d) = range(parts[2].trim_start_matches('+'));
            let start = if b == 0 { a } else { a - 1 };
            assert!(start >= at, "hunks overlap: {header}");
            out.extend(old[at..start].iter().map(|l| l.to_string()));
            at = start;
            assert_eq!(if d == 0 { c } else { c - 1 }, out.len(), "{header}");
            let (mut seen_old, mut seen_new) = (0, 0);
            while seen_old < b || seen_new < d {
                let line = lines.next().expect("the hunk's lines");
                let (tag, mut text) = line.split_at(1);
                if lines.peek().is_some_and(|l| l.starts_with('\\')) {
                    lines.next();
                    text = text.strip_suffix('\n').expect("a line end to drop");
                }
                if tag != "+" {
                    assert_eq!(old.get(at).copied(), Some(text), "{header}");
                    at += 1;
                    seen_old += 1;
                }
                if tag != "-" {
                    out.push(text.to_string());
                    seen_new += 1;
                }
            }
            assert_eq!((seen_old, seen_new), (b, d), "{header}");
        }
        out.extend(old[at..].iter().map(|l| l.to_string()));
        out.concat()
    }

    /// Diffs of random edits of a body (values changed, names changed, entities removed,
    /// added, moved and repeated, a line end dropped) give back the new body when applied,
    /// and, when only values changed, are what a Myers diff gives.
    #[test]
    fn diffs_apply_and_match_myers_where_only_values_change() {
        let mut rng = crate::generate::Rng(16);
        for case in 0..300 {
            let n = 1 + rng.below(30);
            let old = body(n, |e, k| format!("{e}.{k}0"));
            let moved = rng.below(4) == 0;
            let changed: Vec<bool> = (0..n * 3).map(|_| rng.below(3) == 0).collect();
            let values_only = body(n, |e, k| {
                if changed[e * 3 + k] {
                    format!("{e}.{k}1")
                } else {
                    format!("{e}.{k}0")
                }
            });
            let mut lines: Vec<String> = values_only.lines().map(str::to_string).collect();
            let structural = rng.below(2) == 0;
            if structural {
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(lines.len());
                    match rng.below(5) {
                        0 => lines[at] = format!("# renamed {at}"),
                        1 => {
                            lines.remove(at);
                        }
                        2 => lines.insert(at, format!("[NEW{at}] capaian = 1.00")),
                        3 => {
                            let copy = lines[at].clone();
                            lines.insert(rng.below(lines.len()), copy);
                        }
                        _ if moved && lines.len() > 4 => {
                            let block: Vec<String> =
                                lines.drain(at.min(lines.len() - 4)..).take(4).collect();
                            let to = rng.below(lines.len() + 1);
                            for (o, l) in block.into_iter().enumerate() {
                                lines.insert(to + o, l);
                            }
                        }
                        _ => {}
                    }
                }
            }
            let mut new = lines.join("\n");
            if rng.below(10) > 0 || lines.is_empty() {
                new.push('\n');
            }
            let diff = unified_diff(&old, &new, "a", "b");
            assert_eq!(apply(&old, &diff), new, "case {case}:\n{diff}");
            if !structural {
                let myers = similar::TextDiff::from_lines(&old, &new)
                    .unified_diff()
                    .context_radius(CONTEXT)
                    .header("a", "b")
                    .to_string();
                assert_eq!(diff, myers, "case {case}");
            }
        }
    }

    /// A line of a diff that counts how often it is hashed or compared.
    #[derive(Clone, Copy)]
    struct Counted<'a> {
        text: &'a str,
        work: &'a std::cell::Cell<u64>,
    }

    impl PartialEq for Counted<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.work.set(self.work.get() + 1);
            self.text == other.text
        }
    }

    impl Eq for Counted<'_> {}

    impl std::hash::Hash for Counted<'_> {
        fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
            self.work.set(self.work.get() + 1);
            self.text.hash(h);
        }
    }

    /// `snapshot --check` was quadratic in the figures that changed: its text diff compared
    /// lines about (changes)² times. Pairing lines does a bounded amount of work per line,
    /// whatever changed; counted, not timed. (Checked against Myers on a smaller body, to
    /// show that the bound tells the two apart.)
    fn counted<'a>(text: &'a str, work: &'a std::cell::Cell<u64>) -> Vec<Counted<'a>> {
        text.split_inclusive('\n')
            .map(|text| Counted { text, work })
            .collect()
    }

    fn keys<'a>(lines: &[Counted<'a>]) -> Vec<Counted<'a>> {
        lines
            .iter()
            .map(|l| Counted {
                text: line_key(l.text),
                work: l.work,
            })
            .collect()
    }

    #[test]
    fn pairing_lines_is_linear_in_the_lines() {
        let work = std::cell::Cell::new(0u64);
        // Every target changed, at 20 000 indikator (80 000 lines).
        let n = 20_000;
        let old = body(n, |e, k| format!("{e}.{k}0"));
        let new = body(n, |e, k| format!("{e}.{k}{}", u8::from(k == 0)));
        let (old_lines, new_lines) = (counted(&old, &work), counted(&new, &work));
        let (old_keys, new_keys) = (keys(&old_lines), keys(&new_lines));
        work.set(0);
        let pairs = matching_lines(&old_keys, &new_keys, &old_lines, &new_lines);
        let lines = (old_lines.len() + new_lines.len()) as u64;
        assert_eq!(pairs.len(), n * 3, "every line but the targets stays");
        assert!(
            work.get() <= 4 * lines,
            "{} hashes and comparisons for {lines} lines",
            work.get()
        );

        // Myers on a tenth of that: far over the same bound.
        let small = 2_000;
        let old = body(small, |e, k| format!("{e}.{k}0"));
        let new = body(small, |e, k| format!("{e}.{k}{}", u8::from(k == 0)));
        let (old_lines, new_lines) = (counted(&old, &work), counted(&new, &work));
        let lines = (old_lines.len() + new_lines.len()) as u64;
        work.set(0);
        let mut capture = similar::algorithms::Capture::new();
        let _ = similar::algorithms::myers::diff(
            &mut capture,
            &old_lines,
            0..old_lines.len(),
            &new_lines,
            0..new_lines.len(),
        );
        assert!(
            work.get() > 40 * lines,
            "Myers: {} for {lines} lines",
            work.get()
        );
    }
}
