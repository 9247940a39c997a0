//! `kinerja diff`: what changed between two workspaces (or a workspace and a git revision),
//! in definitions (names, targets, inputs, rules) and in computed figures.

use crate::eval::HasilIndikator;
use crate::model::{Indikator, Input, SumberRealisasi, Workspace};
use crate::number::Rounding;
use crate::pipeline::Analysis;
use crate::snapshot;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One changed definition or figure: `(id, field)` with its value before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Default)]
pub struct WorkspaceDiff {
    pub definitions: Vec<Change>,
    pub figures: Vec<Change>,
}

impl WorkspaceDiff {
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty() && self.figures.is_empty()
    }
}

pub fn diff(a: &Analysis, b: &Analysis) -> WorkspaceDiff {
    WorkspaceDiff {
        definitions: changes(&definitions(&a.workspace), &definitions(&b.workspace)),
        figures: changes(&figures(a), &figures(b)),
    }
}

pub type Lines = Vec<((String, String), String)>;

/// One line of [`Lines`]: `((id, ukuran), value)`.
type Line = ((String, String), String);

/// Changes between two ordered line sets, in the order of `new` then what only `old` had.
pub fn changes(old: &Lines, new: &Lines) -> Vec<Change> {
    changes_in(&[old.as_slice()], &[new.as_slice()])
}

/// [`changes`] between two line sets each given as the concatenation of its chunks. A
/// chunk of `new` that is the very same slice as the chunk of `old` at its place holds the
/// same lines and is skipped without a look.
fn changes_in(old: &[&[Line]], new: &[&[Line]]) -> Vec<Change> {
    if let Some(changes) = aligned(old, new) {
        return changes;
    }
    let old_lines = || old.iter().flat_map(|c| c.iter());
    let new_lines = || new.iter().flat_map(|c| c.iter());
    let count = |chunks: &[&[Line]]| chunks.iter().map(|c| c.len()).sum::<usize>();
    if count(old) == count(new) && old_lines().zip(new_lines()).all(|(a, b)| a.0 == b.0) {
        return old_lines().zip(new_lines()).filter_map(changed).collect();
    }
    by_key(old, new)
}

fn changed((a, b): (&Line, &Line)) -> Option<Change> {
    (a.1 != b.1).then(|| Change {
        id: b.0.0.clone(),
        field: b.0.1.clone(),
        old: Some(a.1.clone()),
        new: Some(b.1.clone()),
    })
}

/// Most edits keep every figure in place, chunk for chunk: then only the chunks that are
/// not shared need comparing, side by side. `None` when the chunks do not line up.
fn aligned(old: &[&[Line]], new: &[&[Line]]) -> Option<Vec<Change>> {
    let same_keys = |a: &[Line], b: &[Line]| a.iter().zip(b).all(|(a, b)| a.0 == b.0);
    let lined_up = old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| std::ptr::eq(*a, *b) || (a.len() == b.len() && same_keys(a, b)));
    lined_up.then(|| {
        old.iter()
            .zip(new)
            .filter(|(a, b)| !std::ptr::eq(**a, **b))
            .flat_map(|(a, b)| a.iter().zip(b.iter()))
            .filter_map(changed)
            .collect()
    })
}

/// Figures appeared, disappeared or moved: compare by key (the last line of a key counts),
/// in the order of `new`, then what only `old` had.
fn by_key(old: &[&[Line]], new: &[&[Line]]) -> Vec<Change> {
    let old_lines = || old.iter().flat_map(|c| c.iter());
    let new_lines = || new.iter().flat_map(|c| c.iter());
    type Map<'a> = ahash::AHashMap<&'a (String, String), &'a String>;
    let old_map: Map = old_lines().map(|(k, v)| (k, v)).collect();
    let new_map: Map = new_lines().map(|(k, v)| (k, v)).collect();
    let mut out = Vec::new();
    for (key, value) in new_lines() {
        match old_map.get(key) {
            Some(before) if *before == value => {}
            before => out.push(Change {
                id: key.0.clone(),
                field: key.1.clone(),
                old: before.map(|s| s.to_string()),
                new: Some(value.clone()),
            }),
        }
    }
    for (key, value) in old_lines() {
        if !new_map.contains_key(key) {
            out.push(Change {
                id: key.0.clone(),
                field: key.1.clone(),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    out
}

/// Every computed figure, as the snapshot files hold them.
pub fn figures(a: &Analysis) -> Lines {
    snapshot::render(&a.workspace, &a.hasil, &[])
        .iter()
        .flat_map(|s| snapshot::parse(&s.body))
        .map(line)
        .collect()
}

fn line(l: snapshot::Line) -> Line {
    ((l.id, l.ukuran), l.nilai)
}

/// The figures of a run, the same lines as [`figures`], held per top-level indikator so
/// that a watch session renders, and compares with the last run, only the indikator whose
/// results moved: on a large workspace rendering every figure costs more than the run.
pub struct Figures {
    /// The presentation rounding the lines were rendered at.
    rounding: Rounding,
    /// Each top-level indikator's lines (its komponen included), in the run's order.
    indikator: Vec<Arc<Segment>>,
    /// Sasaran, nilai kinerja and budget, after the indikator: few, rendered every run.
    summary: Lines,
    /// Whether no key has two lines (see [`Figures::keys_unique`]), once asked.
    unique: std::sync::OnceLock<bool>,
}

/// One top-level indikator's lines, and what they were rendered from.
struct Segment {
    rendered: Rendered,
    lines: Lines,
    /// Every line is keyed by an id of `rendered`, no key twice (an id or name with a line
    /// break in it could make it otherwise).
    plain: bool,
}

impl Segment {
    fn new(result: &HasilIndikator, rounding: Rounding) -> Segment {
        let rendered = Rendered::of(result);
        let lines: Lines = snapshot::indikator_lines(rounding, result)
            .into_iter()
            .map(line)
            .collect();
        fn ids<'a>(r: &'a Rendered, out: &mut Vec<&'a str>) {
            out.push(&r.id);
            r.komponen.iter().for_each(|k| ids(k, out));
        }
        let mut known = Vec::new();
        ids(&rendered, &mut known);
        let plain = lines.iter().enumerate().all(|(n, ((id, ukuran), _))| {
            known.contains(&id.as_str())
                && !lines[..n].iter().any(|((i, u), _)| i == id && u == ukuran)
        });
        Segment {
            rendered,
            lines,
            plain,
        }
    }
}

/// What an indikator's lines are rendered from, kept to tell whether a later result would
/// render the same lines without rendering it. Numbers are compared as stored (scale
/// included), and the name too, although only a pathological one could reach a line:
/// equal here means equal lines.
struct Rendered {
    id: String,
    nama: String,
    figures: Numbers,
    komponen: Vec<Rendered>,
}

/// Target, realisasi, capaian, and the medium-term year, target and capaian.
type Numbers = ([Option<[u8; 16]>; 3], Option<(i32, [u8; 16], [u8; 16])>);

impl Rendered {
    fn of(i: &HasilIndikator) -> Rendered {
        Rendered {
            id: i.id.clone(),
            nama: i.nama.clone(),
            figures: Self::numbers(i),
            komponen: i.komponen.iter().map(Rendered::of).collect(),
        }
    }

    fn numbers(i: &HasilIndikator) -> Numbers {
        // Every field named, so that one added to results is considered here.
        let HasilIndikator {
            id: _,
            nama: _,
            target,
            realisasi,
            capaian,
            jangka_menengah,
            komponen: _,
            // Not rendered.
            sasaran: _,
            satuan: _,
            polaritas: _,
        } = i;
        (
            [
                target.map(|v| v.serialize()),
                realisasi.as_ref().map(|f| f.value.serialize()),
                capaian.as_ref().map(|f| f.value.serialize()),
            ],
            jangka_menengah
                .as_ref()
                .map(|j| (j.tahun, j.target.serialize(), j.capaian.value.serialize())),
        )
    }

    /// Whether `i` would render the lines these were rendered from.
    fn matches(&self, i: &HasilIndikator) -> bool {
        self.id == i.id
            && self.nama == i.nama
            && self.figures == Self::numbers(i)
            && self.komponen.len() == i.komponen.len()
            && self
                .komponen
                .iter()
                .zip(&i.komponen)
                .all(|(r, k)| r.matches(k))
    }
}

impl Figures {
    /// The figures of `a`, taking from `before` the lines of every indikator whose result
    /// renders as it did then.
    pub fn of(a: &Analysis, before: Option<&Figures>) -> Figures {
        let rounding = a.workspace.manifest.tampilan.rounding;
        let before = before.filter(|b| b.rounding == rounding);
        // Where each earlier indikator was, for the few looked up away from their place.
        let mut places: Option<ahash::AHashMap<&str, usize>> = None;
        let indikator = a
            .hasil
            .indikator
            .iter()
            .enumerate()
            .map(|(n, result)| {
                let kept = before.and_then(|b| {
                    let at = if b
                        .indikator
                        .get(n)
                        .is_some_and(|s| s.rendered.id == result.id)
                    {
                        n
                    } else {
                        let places = places.get_or_insert_with(|| {
                            b.indikator
                                .iter()
                                .enumerate()
                                .map(|(n, s)| (s.rendered.id.as_str(), n))
                                .collect()
                        });
                        *places.get(result.id.as_str())?
                    };
                    let segment = &b.indikator[at];
                    segment
                        .rendered
                        .matches(result)
                        .then(|| Arc::clone(segment))
                });
                kept.unwrap_or_else(|| Arc::new(Segment::new(result, rounding)))
            })
            .collect();
        Figures {
            rounding,
            indikator,
            summary: snapshot::summary_lines(&a.workspace, &a.hasil)
                .into_iter()
                .map(line)
                .collect(),
            unique: std::sync::OnceLock::new(),
        }
    }

    fn chunks(&self) -> Vec<&[Line]> {
        let mut out: Vec<&[Line]> = self.indikator.iter().map(|s| s.lines.as_slice()).collect();
        out.push(&self.summary);
        out
    }

    /// Every line, as [`figures`] gives them.
    pub fn lines(&self) -> Lines {
        self.chunks().into_iter().flatten().cloned().collect()
    }

    /// [`changes`] from `old` to these figures.
    pub fn changes_since(&self, old: &Figures) -> Vec<Change> {
        let (before, now) = (old.chunks(), self.chunks());
        if let Some(changes) = aligned(&before, &now) {
            return changes;
        }
        // Figures appeared, disappeared or moved. With every key once in either run, the
        // lines of a segment both runs share are in both and the same there, so neither
        // changed nor gone: only the other segments and the summaries need comparing (and
        // by key, which then gives what comparing side by side would).
        if old.keys_unique() && self.keys_unique() {
            type Set = ahash::AHashSet<*const Segment>;
            let segments = |f: &Figures| f.indikator.iter().map(Arc::as_ptr).collect::<Set>();
            let (in_old, in_new) = (segments(old), segments(self));
            fn rest<'a>(f: &'a Figures, shared: &Set) -> Vec<&'a [Line]> {
                f.indikator
                    .iter()
                    .filter(|s| !shared.contains(&Arc::as_ptr(s)))
                    .map(|s| s.lines.as_slice())
                    .chain([f.summary.as_slice()])
                    .collect()
            }
            return by_key(&rest(old, &in_new), &rest(self, &in_old));
        }
        changes_in(&before, &now)
    }

    /// Whether no key has two lines, worked out from ids: a segment's lines are keyed by the
    /// ids of its indikator and komponen, one line per id and figure (see `plain`).
    fn keys_unique(&self) -> bool {
        *self.unique.get_or_init(|| self.find_keys_unique())
    }

    fn find_keys_unique(&self) -> bool {
        fn ids<'a>(r: &'a Rendered, seen: &mut ahash::AHashSet<&'a str>) -> bool {
            seen.insert(&r.id) && r.komponen.iter().all(|k| ids(k, seen))
        }
        let mut seen = ahash::AHashSet::with_capacity(self.indikator.len());
        if !self
            .indikator
            .iter()
            .all(|s| s.plain && ids(&s.rendered, &mut seen))
        {
            return false;
        }
        let mut summary = ahash::AHashSet::with_capacity(self.summary.len());
        self.summary.iter().all(|((id, ukuran), _)| {
            !seen.contains(id.as_str()) && summary.insert((id.as_str(), ukuran.as_str()))
        })
    }
}

/// Every definition, one line per field.
fn definitions(ws: &Workspace) -> Lines {
    let mut out: Lines = Vec::new();
    let mut put = |id: &str, field: &str, value: String| {
        out.push(((id.to_string(), field.to_string()), value))
    };
    let m = &ws.manifest;
    put("manifest", "organisasi", m.organisasi.clone());
    put("manifest", "tahun", m.tahun.to_string());
    put("manifest", "tampilan", m.tampilan.rounding.to_string());
    for (stage, r) in [
        ("realisasi", m.pembulatan.realisasi),
        ("capaian", m.pembulatan.capaian),
        ("capaian_sasaran", m.pembulatan.capaian_sasaran),
        ("nilai_kinerja", m.pembulatan.nilai_kinerja),
    ] {
        if let Some(r) = r {
            put("manifest", &format!("pembulatan.{stage}"), r.to_string());
        }
    }
    for (p, r) in &m.rumus.capaian {
        put(
            "manifest",
            &format!("rumus.capaian.{}", p.name()),
            r.name.clone(),
        );
    }
    put(
        "manifest",
        "rumus.capaian_sasaran",
        m.rumus.capaian_sasaran.name.clone(),
    );
    put(
        "manifest",
        "rumus.nilai_kinerja",
        m.rumus.nilai_kinerja.name.clone(),
    );
    for s in &ws.sasaran {
        put(&s.id.value, "nama", s.nama.clone());
        if let Some(r) = &s.rumus {
            put(&s.id.value, "rumus", r.name.clone());
        }
    }
    fn indikator(i: &Indikator, put: &mut dyn FnMut(&str, &str, String)) {
        let id = &i.id.value;
        put(id, "nama", i.nama.clone());
        if let Some(s) = &i.sasaran {
            put(id, "sasaran", s.value.clone());
        }
        put(id, "satuan", i.satuan.clone());
        put(id, "polaritas", i.polaritas.name().into());
        if let Some(pk) = &i.target.pk {
            put(id, "target.pk", pk.value.normalize().to_string());
        }
        for (y, n) in &i.target.renstra {
            put(id, &format!("target.{y}"), n.value.normalize().to_string());
        }
        if let Some(r) = &i.realisasi {
            let text = match &r.sumber {
                SumberRealisasi::Nilai(n) => n.value.normalize().to_string(),
                SumberRealisasi::Rumus { rumus, masukan } => {
                    format!("{}({})", rumus.name, input_text(masukan))
                }
            };
            put(id, "realisasi", text);
        }
        if let Some(r) = &i.capaian.rumus {
            put(id, "capaian.rumus", r.name.clone());
        }
        for k in &i.komponen {
            indikator(k, put);
        }
    }
    for i in &ws.indikator {
        indikator(i, &mut put);
    }
    // Rule files by name and content: a changed formula shows as its file changing, wherever
    // the workspace keeps its rules.
    for (_, f) in ws.sources.iter().filter(|(_, f)| f.path.ends_with(".rhai")) {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        put(
            &format!("rules: {name}"),
            "isi",
            format!(
                "{} lines, {:016x}",
                f.text.lines().count(),
                crate::incremental::fingerprint(&f.text)
            ),
        );
    }
    out
}

fn input_text(input: &Input) -> String {
    match input {
        Input::Num(n) => n.value.normalize().to_string(),
        Input::Text(t) => t.value.clone(),
        Input::List(items, _) => format!(
            "[{}]",
            items.iter().map(input_text).collect::<Vec<_>>().join(", ")
        ),
        Input::Map(entries, _) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", input_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn render_text(d: &WorkspaceDiff) -> String {
    let mut out = String::new();
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    for (title, list) in [("Definitions", &d.definitions), ("Figures", &d.figures)] {
        let _ = writeln!(out, "{title}: {} changed", list.len());
        // An id that only appears or only disappears is one line, not one per field.
        let mut ids: Vec<&str> = Vec::new();
        for c in list.iter() {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
        for id in ids {
            let of_id: Vec<&Change> = list.iter().filter(|c| c.id == id).collect();
            if of_id.iter().all(|c| c.old.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.new)))
                    .collect();
                let _ = writeln!(out, "  + {id}: {}", fields.join("; "));
            } else if of_id.iter().all(|c| c.new.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.old)))
                    .collect();
                let _ = writeln!(out, "  - {id}: {}", fields.join("; "));
            } else {
                for c in of_id {
                    let _ = writeln!(
                        out,
                        "  ~ {} {}: {} → {}",
                        c.id,
                        c.field,
                        value(&c.old),
                        value(&c.new)
                    );
                }
            }
        }
    }
    out
}

pub fn to_out(d: &WorkspaceDiff) -> crate::report::Out {
    use crate::report::Out;
    let list = |l: &[Change]| {
        Out::List(
            l.iter()
                .map(|c| {
                    Out::Map(vec![
                        ("id", Out::Str(c.id.clone())),
                        ("field", Out::Str(c.field.clone())),
                        ("old", c.old.clone().map_or(Out::Null, Out::Str)),
                        ("new", c.new.clone().map_or(Out::Null, Out::Str)),
                    ])
                })
                .collect(),
        )
    };
    Out::Map(vec![
        ("definitions", list(&d.definitions)),
        ("figures", list(&d.figures)),
    ])
}

/// The workspace files of `dir` as they were at git revision `rev`, written into a new
/// temporary directory (removed when the returned guard is dropped).
pub fn checkout_revision(dir: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
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
        let wanted = rel == crate::workspace::MANIFEST
            || [
                crate::workspace::INDICATORS_DIR,
                crate::workspace::BUDGETS_DIR,
                crate::workspace::RULES_DIR,
            ]
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// `changes` as it was written before line sets came in chunks: the reference.
    fn reference(old: &Lines, new: &Lines) -> Vec<Change> {
        if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.0 == b.0) {
            return old
                .iter()
                .zip(new)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, b)| Change {
                    id: b.0.0.clone(),
                    field: b.0.1.clone(),
                    old: Some(a.1.clone()),
                    new: Some(b.1.clone()),
                })
                .collect();
        }
        let old_map: BTreeMap<&(String, String), &String> =
            old.iter().map(|(k, v)| (k, v)).collect();
        let new_map: BTreeMap<&(String, String), &String> =
            new.iter().map(|(k, v)| (k, v)).collect();
        let mut out = Vec::new();
        for (key, value) in new {
            match old_map.get(key) {
                Some(before) if *before == value => {}
                before => out.push(Change {
                    id: key.0.clone(),
                    field: key.1.clone(),
                    old: before.map(|s| s.to_string()),
                    new: Some(value.clone()),
                }),
            }
        }
        for (key, value) in old {
            if !new_map.contains_key(key) {
                out.push(Change {
                    id: key.0.clone(),
                    field: key.1.clone(),
                    old: Some(value.clone()),
                    new: None,
                });
            }
        }
        out
    }

    /// Line sets cut into chunks in every way, shared chunks included, with figures that
    /// move, appear, disappear, change places and repeat: the chunked comparison gives what
    /// the reference gives for the whole sets.
    #[test]
    fn chunked_changes_are_the_changes_of_the_whole() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n.max(1)
        };
        let line = |id: u64, field: u64, value: u64| {
            (
                (
                    format!("I{id}"),
                    ["target", "capaian"][field as usize].to_string(),
                ),
                value.to_string(),
            )
        };
        for _ in 0..400 {
            let old: Vec<Line> = (0..next(12))
                .map(|_| line(next(6), next(2), next(3)))
                .collect();
            let mut new = old.clone();
            for _ in 0..next(4) {
                let at = next(new.len() as u64 + 1) as usize;
                match next(4) {
                    0 if at < new.len() => new[at].1 = next(3).to_string(),
                    1 if at < new.len() => {
                        new.remove(at);
                    }
                    2 => new.insert(at, line(next(8), next(2), next(3))),
                    _ if new.len() > 1 => {
                        let b = next(new.len() as u64) as usize;
                        let a = at.min(new.len() - 1);
                        new.swap(a, b);
                    }
                    _ => {}
                }
            }
            // The same cuts on both sides where the lines allow, sharing what is equal.
            let old_arcs: Vec<Arc<Lines>> = cut(&old, &mut next);
            let mut new_arcs: Vec<Arc<Lines>> = cut(&new, &mut next);
            for (n, chunk) in new_arcs.iter_mut().enumerate() {
                if let Some(o) = old_arcs.get(n)
                    && o.as_slice() == chunk.as_slice()
                    && next(2) == 0
                {
                    *chunk = Arc::clone(o);
                }
            }
            let o: Vec<&[Line]> = old_arcs.iter().map(|c| c.as_slice()).collect();
            let n: Vec<&[Line]> = new_arcs.iter().map(|c| c.as_slice()).collect();
            assert_eq!(
                changes_in(&o, &n),
                reference(&old, &new),
                "{old:?} -> {new:?}"
            );
        }
    }

    fn cut(lines: &[Line], next: &mut impl FnMut(u64) -> u64) -> Vec<Arc<Lines>> {
        let mut out = Vec::new();
        let mut rest = lines;
        while !rest.is_empty() || next(3) == 0 {
            let n = (next(3) as usize).min(rest.len());
            out.push(Arc::new(rest[..n].to_vec()));
            rest = &rest[n..];
            if rest.is_empty() && next(2) == 0 {
                break;
            }
        }
        out
    }
}
