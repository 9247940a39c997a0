//! Snapshots of evaluated results, for CI: `kinerja snapshot` writes them into
//! `snapshots/`, `--check` compares and never writes.
//!
//! One file per area (`indikator`, `sasaran`, `anggaran`, `audit`), one figure per line, in report
//! order, at the manifest's presentation precision: stable, readable and diff-friendly.
//! The files use insta's format (a YAML header, `---`, the body), so the Rust test suite
//! can check the very same files with `insta::assert_snapshot!`.

use crate::audit::Finding;
use crate::eval::{Hasil, HasilIndikator};
use crate::model::Workspace;
use crate::number::{Rounding, machine};
use crate::source::Sources;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

pub const DIR: &str = "snapshots";
pub const AREAS: [&str; 4] = ["indikator", "sasaran", "anggaran", "audit"];

/// One figure of a snapshot: `[id] ukuran = nilai`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub ukuran: String,
    pub nilai: String,
}

/// A snapshot file's content for one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub area: &'static str,
    /// The body, without insta's header.
    pub body: String,
    /// Where each id is defined, for reports of what changed.
    pub files: BTreeMap<String, String>,
}

impl Snapshot {
    pub fn file_name(&self) -> String {
        format!("{}.snap", self.area)
    }

    /// The whole file: insta's header, then the body.
    pub fn file_content(&self) -> String {
        format!(
            "---\nsource: kinerja snapshot\nexpression: {}\n---\n{}",
            self.area, self.body
        )
    }
}

/// The body of an insta snapshot file (what follows the header).
pub fn body_of(file_content: &str) -> &str {
    let rest = file_content.strip_prefix("---\n").unwrap_or(file_content);
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => rest,
    }
}

/// Parses body lines back into figures; comment lines are skipped.
pub fn parse(body: &str) -> Vec<Line> {
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

struct Writer {
    body: String,
    rounding: Rounding,
    files: BTreeMap<String, String>,
}

impl Writer {
    fn new(rounding: Rounding) -> Writer {
        Writer {
            body: String::new(),
            rounding,
            files: BTreeMap::new(),
        }
    }

    fn entity(&mut self, id: &str, nama: &str, file: Option<&str>) {
        let _ = writeln!(self.body, "# {id}: {nama}");
        if let Some(f) = file {
            self.files.insert(id.to_string(), f.to_string());
        }
    }

    fn pct(&mut self, id: &str, ukuran: &str, v: Option<Decimal>) {
        if let Some(v) = v {
            let text = crate::number::fixed_text(self.rounding.apply(v), self.rounding.decimals);
            let _ = writeln!(self.body, "[{id}] {ukuran} = {text}");
        }
    }

    fn rupiah(&mut self, id: &str, ukuran: &str, v: Option<Decimal>) {
        if let Some(v) = v {
            let _ = writeln!(self.body, "[{id}] {ukuran} = {}", machine(v));
        }
    }

    fn finish(self, area: &'static str) -> Snapshot {
        Snapshot {
            area,
            body: self.body,
            files: self.files,
        }
    }
}

/// The snapshots of an evaluated workspace, at the manifest's presentation precision.
pub fn render(ws: &Workspace, hasil: &Hasil, findings: &[Finding]) -> Vec<Snapshot> {
    let rounding = ws.manifest.tampilan.rounding;
    // Where each indikator (IKK included) is defined, looked up once.
    let mut files_by_id: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    fn index<'a>(
        i: &'a crate::model::Indikator,
        ws: &'a Workspace,
        out: &mut std::collections::HashMap<&'a str, &'a str>,
    ) {
        out.insert(&i.id.value, ws.sources.path(i.id.span.file));
        for k in &i.komponen {
            index(k, ws, out);
        }
    }
    for i in &ws.indikator {
        index(i, ws, &mut files_by_id);
    }
    let file_of = |id: &str| -> Option<String> { files_by_id.get(id).map(|f| f.to_string()) };

    let mut ind = Writer::new(rounding);
    for i in &hasil.indikator {
        indikator(&mut ind, i, &file_of);
    }
    let mut out = vec![ind.finish("indikator"), sasaran(ws, hasil)];
    out.extend(anggaran(ws, hasil));
    if !findings.is_empty() {
        out.push(audit_snapshot(ws, findings));
    }
    out
}

/// The figures of one indikator (its komponen included), as its lines in [`render`]'s
/// `indikator` area parse back: a watch session renders only the indikator that moved.
pub fn indikator_lines(rounding: Rounding, i: &HasilIndikator) -> Vec<Line> {
    let mut w = Writer::new(rounding);
    indikator(&mut w, i, &|_| None);
    parse(&w.body)
}

/// The figures of every area of [`render`] after `indikator` (sasaran, nilai kinerja,
/// budget), as their lines parse back, in the same order.
pub fn summary_lines(ws: &Workspace, hasil: &Hasil) -> Vec<Line> {
    let mut out = parse(&sasaran(ws, hasil).body);
    if let Some(a) = anggaran(ws, hasil) {
        out.extend(parse(&a.body));
    }
    out
}

fn indikator(w: &mut Writer, i: &HasilIndikator, file: &dyn Fn(&str) -> Option<String>) {
    w.entity(&i.id, &i.nama, file(&i.id).as_deref());
    w.pct(&i.id, "target", i.target);
    w.pct(&i.id, "realisasi", i.realisasi.as_ref().map(|f| f.value));
    w.pct(&i.id, "capaian", i.capaian.as_ref().map(|f| f.value));
    if let Some(jm) = &i.jangka_menengah {
        w.pct(&i.id, &format!("target_{}", jm.tahun), Some(jm.target));
        w.pct(
            &i.id,
            &format!("capaian_{}", jm.tahun),
            Some(jm.capaian.value),
        );
    }
    for k in &i.komponen {
        indikator(w, k, file);
    }
}

fn sasaran(ws: &Workspace, hasil: &Hasil) -> Snapshot {
    let mut sas = Writer::new(ws.manifest.tampilan.rounding);
    // Results keep the workspace's order of sasaran.
    for (s, model) in hasil.sasaran.iter().zip(&ws.sasaran) {
        let file = Some(ws.sources.path(model.id.span.file).to_string());
        sas.entity(&s.id, &s.nama, file.as_deref());
        sas.pct(&s.id, "capaian", s.capaian.as_ref().map(|f| f.value));
    }
    sas.entity(
        "nilai_kinerja",
        &hasil.organisasi,
        Some(crate::workspace::MANIFEST),
    );
    sas.pct(
        "nilai_kinerja",
        "capaian",
        hasil.nilai_kinerja.as_ref().map(|f| f.value),
    );
    sas.finish("sasaran")
}

fn anggaran(ws: &Workspace, hasil: &Hasil) -> Option<Snapshot> {
    let mut ang = Writer::new(ws.manifest.tampilan.rounding);
    let a = &hasil.anggaran;
    let budget_file = budget_file(ws, &ws.sources);
    for (table, rows) in [
        ("kegiatan", &a.kegiatan),
        ("jenis_belanja", &a.jenis_belanja),
    ] {
        for r in rows.iter() {
            let id = if r.kode.is_empty() {
                format!("{table}: {}", r.nama)
            } else {
                format!("{table}: {}", r.kode)
            };
            ang.entity(&id, &r.nama, budget_file.as_deref());
            ang.rupiah(&id, "pagu", Some(r.pagu));
            ang.rupiah(&id, "realisasi", Some(r.realisasi));
            ang.pct(&id, "persen", r.persen);
            ang.rupiah(&id, "sisa", r.sisa);
        }
    }
    if let Some(t) = &a.total {
        ang.entity("total", "Total", budget_file.as_deref());
        ang.rupiah("total", "pagu", Some(t.pagu));
        ang.rupiah("total", "realisasi", Some(t.realisasi));
        ang.pct("total", "persen", t.persen);
        ang.rupiah("total", "sisa", t.sisa);
    }
    for r in &a.riwayat {
        let id = format!("riwayat: {}", r.tahun);
        ang.pct(&id, "persen", r.persen);
    }
    (!ang.body.is_empty()).then(|| ang.finish("anggaran"))
}

/// One line per finding: `[subject] CODE ukuran printed = computed …, known|open`.
fn audit_snapshot(ws: &Workspace, findings: &[Finding]) -> Snapshot {
    let mut body = String::new();
    let mut files = BTreeMap::new();
    for f in findings {
        let value = |v: Option<Decimal>| {
            v.map_or("-".to_string(), |v| v.round_dp(4).normalize().to_string())
        };
        let _ = writeln!(
            body,
            "[{}] {} {} {} = computed {}, {}",
            f.subject,
            f.code,
            f.ukuran,
            // As printed, with its decimals: two printings may differ only in those.
            f.printed.map_or("-".to_string(), |v| v.to_string()),
            value(f.computed),
            if f.is_known() { "known" } else { "open" }
        );
        files.insert(f.subject.clone(), ws.sources.path(f.at.file).to_string());
    }
    Snapshot {
        area: "audit",
        body,
        files,
    }
}

fn budget_file(ws: &Workspace, sources: &Sources) -> Option<String> {
    let a = &ws.anggaran;
    a.kegiatan
        .first()
        .or(a.jenis_belanja.first())
        .map(|r| sources.path(r.pagu.span.file).to_string())
}

/// How the stored snapshots differ from the current results.
#[derive(Debug, Default)]
pub struct Comparison {
    pub changed: Vec<FileChange>,
    pub added: Vec<Snapshot>,
    /// Area files on disk the workspace no longer produces.
    pub removed: Vec<(String, String)>,
    pub unchanged: usize,
}

#[derive(Debug)]
pub struct FileChange {
    pub new: Snapshot,
    pub old_body: String,
}

impl Comparison {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// One figure that moved between the stored snapshot and now.
#[derive(Debug, PartialEq, Eq)]
pub struct FigureChange {
    pub id: String,
    pub ukuran: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub file: Option<String>,
}

impl FileChange {
    pub fn figures(&self) -> Vec<FigureChange> {
        let old: BTreeMap<(String, String), String> = parse(&self.old_body)
            .into_iter()
            .map(|l| ((l.id, l.ukuran), l.nilai))
            .collect();
        let new_lines = parse(&self.new.body);
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for l in &new_lines {
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
    pub fn diff(&self) -> String {
        let name = self.new.file_name();
        similar::TextDiff::from_lines(&self.old_body, &self.new.body)
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{DIR}/{name}"), &format!("b/{DIR}/{name}"))
            .to_string()
    }
}

/// Compares `snapshots` with the files in `dir`. Reads only.
pub fn compare(dir: &Path, snapshots: Vec<Snapshot>) -> io::Result<Comparison> {
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
pub fn accept(dir: &Path, c: &Comparison) -> io::Result<Vec<PathBuf>> {
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

/// Writes `content` to `path` through a temporary file in the same directory and a rename,
/// so that a reader never sees half a file and a crash never leaves one.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
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
    fn lines_round_trip() {
        let body = "# IKP1.1: x\n[IKP1.1] capaian = 99.25\n[kegiatan: Sembako] persen = 99.38\n";
        let lines = parse(body);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].id, "kegiatan: Sembako");
        assert_eq!(lines[1].nilai, "99.38");
    }

    #[test]
    fn header_is_stripped() {
        let s = Snapshot {
            area: "sasaran",
            body: "[SP1] capaian = 1.00\n".into(),
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
