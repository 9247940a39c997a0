//! Snapshots of evaluated results, for CI: `kinerja snapshot` writes them into
//! `snapshots/`, `--check` compares and never writes.
//!
//! One file per area (`indikator`, `sasaran`, `anggaran`, `audit`), one figure per line, in report
//! order, at the manifest's presentation precision: stable, readable and diff-friendly.
//! The files use insta's format (a YAML header, `---`, the body), so the Rust test suite
//! can check the very same files with `insta::assert_snapshot!`.

use crate::audit::Finding;
use crate::base::files::write_atomic;
use crate::eval::{Area, Figures, Hasil};
use crate::model::Workspace;
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
        for line in &group.lines {
            w.line(
                &line.id,
                line.ukuran.to_string(),
                line.text(figures.rounding),
            );
        }
    }
    let [indikator, sasaran, anggaran] = writers;
    let mut out = vec![indikator.finish("indikator"), sasaran.finish("sasaran")];
    if !anggaran.body.is_empty() {
        out.push(anggaran.finish("anggaran"));
    }
    if !findings.is_empty() {
        out.push(audit_snapshot(ws, findings));
    }
    out
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

    /// A unified diff of the body, old → new.
    pub(crate) fn diff(&self) -> String {
        let name = self.new.file_name();
        similar::TextDiff::from_lines(&self.old_body, &self.new.body)
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{DIR}/{name}"), &format!("b/{DIR}/{name}"))
            .to_string()
    }
}

/// Compares `snapshots` with the files in `dir`. Reads only.
pub(crate) fn compare(dir: &Path, snapshots: Vec<Snapshot>) -> io::Result<Comparison> {
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

fn read(path: &Path) -> io::Result<String> {
    std::fs::read_to_string(path)
}

/// Writes what `compare` found different: changed and new files atomically, removed files
/// deleted. Returns the paths touched.
pub(crate) fn accept(dir: &Path, c: &Comparison) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut touched = Vec::new();
    for s in c.changed.iter().map(|f| &f.new).chain(&c.added) {
        let path = dir.join(s.file_name());
        write_atomic(&path, s.file_content().as_bytes())?;
        touched.push(path);
    }
    for (name, _) in &c.removed {
        let path = dir.join(name);
        std::fs::remove_file(&path)?;
        touched.push(path);
    }
    Ok(touched)
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
        let diff = change.diff();
        assert!(diff.contains("\n-[A] capaian = 1.00\n"), "{diff}");
        assert!(diff.contains("\n+[A] capaian = 1.50\n"), "{diff}");
    }
}
