//! The definitions of a workspace as keyed values, one per field: the manifest, every
//! sasaran and indikator (names, units, polarity, targets per year, formulas and their
//! inputs), the budget's chronologies of pagu changes (one entry per change, named by its
//! row and date), and the rule files by content.

use super::compare::{Entry, Value};
use crate::model::{
    Indikator, Input, Kronologi, NilaiTarget, SumberRealisasi, TargetAngka, Workspace,
};
use std::borrow::Cow;
use std::fmt;

/// Which field of a definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Nama,
    Sasaran,
    Satuan,
    Polaritas,
    TargetPk,
    TargetTahun(i32),
    /// A dated revision of the target, by its date (`target.revisi.2022-09`).
    TargetRevisi(String),
    Realisasi,
    CapaianRumus,
    Rumus,
    /// The band table of the realisasi, of the capaian, of a sasaran's capaian.
    RealisasiKategori,
    CapaianKategori,
    Kategori,
    /// A rule file's content.
    Isi,
    /// A field of the manifest.
    Manifest(Cow<'static, str>),
    /// A change of a chronology of pagu changes, by its date and kind (`2022-09 revisi`),
    /// numbered from the second of a date and kind (`2022-09 revisi #2`).
    Kronologi(String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Nama => f.write_str("nama"),
            Field::Sasaran => f.write_str("sasaran"),
            Field::Satuan => f.write_str("satuan"),
            Field::Polaritas => f.write_str("polaritas"),
            Field::TargetPk => f.write_str("target.pk"),
            Field::TargetTahun(y) => write!(f, "target.{y}"),
            Field::TargetRevisi(t) => write!(f, "target.revisi.{t}"),
            Field::Realisasi => f.write_str("realisasi"),
            Field::CapaianRumus => f.write_str("capaian.rumus"),
            Field::RealisasiKategori => f.write_str("realisasi.kategori"),
            Field::CapaianKategori => f.write_str("capaian.kategori"),
            Field::Kategori => f.write_str("kategori"),
            Field::Rumus => f.write_str("rumus"),
            Field::Isi => f.write_str("isi"),
            Field::Manifest(name) => f.write_str(name),
            Field::Kronologi(key) => write!(f, "kronologi {key}"),
        }
    }
}

/// A definition's value, compared without rendering it.
pub(super) enum Def<'a> {
    Text(Cow<'a, str>),
    /// A target: one number, or a range (`80–90`).
    Target(TargetAngka),
    Realisasi(&'a SumberRealisasi),
}

impl Value for Def<'_> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Def::Text(a), Def::Text(b)) => a == b,
            (Def::Target(a), Def::Target(b)) => a == b,
            // Inputs that differ may still read the same (a text `1` and a number 1): the
            // text decides, as it is what a reader compares.
            (Def::Realisasi(a), Def::Realisasi(b)) => {
                same_sumber(a, b) || self.text() == other.text()
            }
            _ => self.text() == other.text(),
        }
    }

    fn text(&self) -> String {
        match self {
            Def::Text(t) => t.to_string(),
            Def::Target(t) => t.text(|v| v.normalize().to_string()),
            Def::Realisasi(SumberRealisasi::Nilai(n)) => n.value.normalize().to_string(),
            Def::Realisasi(SumberRealisasi::Rumus { rumus, masukan }) => {
                format!("{}({})", rumus.name, input_text(masukan))
            }
            Def::Realisasi(SumberRealisasi::PerPeriode(pp)) => {
                let values: Vec<String> = pp
                    .nilai
                    .iter()
                    .map(|(p, _, n)| format!("{}: {}", p.kode(), n.value.normalize()))
                    .collect();
                format!("{{{}}}", values.join(", "))
            }
            Def::Realisasi(SumberRealisasi::RumusPerPeriode { rumus, masukan }) => {
                let values: Vec<String> = masukan
                    .nilai
                    .iter()
                    .map(|(p, _, m)| format!("{}: {}", p.kode(), input_text(m)))
                    .collect();
                format!("{}({{{}}})", rumus.name, values.join(", "))
            }
        }
    }
}

/// Whether two sources of a realisasi are written the same, wherever they are written.
fn same_sumber(a: &SumberRealisasi, b: &SumberRealisasi) -> bool {
    match (a, b) {
        (SumberRealisasi::Nilai(x), SumberRealisasi::Nilai(y)) => x.value == y.value,
        (
            SumberRealisasi::Rumus {
                rumus: r1,
                masukan: m1,
            },
            SumberRealisasi::Rumus {
                rumus: r2,
                masukan: m2,
            },
        ) => r1.name == r2.name && same_input(m1, m2),
        (SumberRealisasi::PerPeriode(x), SumberRealisasi::PerPeriode(y)) => {
            x.nilai.len() == y.nilai.len()
                && x.nilai
                    .iter()
                    .zip(&y.nilai)
                    .all(|((p, _, a), (q, _, b))| p == q && a.value == b.value)
        }
        (
            SumberRealisasi::RumusPerPeriode {
                rumus: r1,
                masukan: m1,
            },
            SumberRealisasi::RumusPerPeriode {
                rumus: r2,
                masukan: m2,
            },
        ) => {
            r1.name == r2.name
                && m1.nilai.len() == m2.nilai.len()
                && m1
                    .nilai
                    .iter()
                    .zip(&m2.nilai)
                    .all(|((p, _, a), (q, _, b))| p == q && same_input(a, b))
        }
        _ => false,
    }
}

fn same_input(a: &Input, b: &Input) -> bool {
    match (a, b) {
        (Input::Num(x), Input::Num(y)) => x.value == y.value,
        (Input::Text(x), Input::Text(y)) => x.value == y.value,
        (Input::List(x, _), Input::List(y, _)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_input(a, b))
        }
        (Input::Map(x, _), Input::Map(y, _)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same_input(v1, v2))
        }
        _ => false,
    }
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

pub(super) type Definition<'a> = Entry<'a, Field, Def<'a>>;

/// How many parts [`part`] cuts the definitions into: the manifest and sasaran, one part
/// per indikator, and the rule files.
pub(super) fn parts(ws: &Workspace) -> usize {
    ws.indikator.len() + 2
}

/// The definitions of `ws`, one per field, in workspace order, a part at a time.
pub(super) fn part(ws: &Workspace, n: usize) -> Vec<Definition<'_>> {
    let mut out: Vec<Definition> = Vec::new();
    match n.checked_sub(1) {
        None => manifest_and_sasaran(ws, &mut out),
        Some(i) if i < ws.indikator.len() => indikator(&ws.indikator[i], &mut out),
        Some(_) => rules(ws, &mut out),
    }
    out
}

fn manifest_and_sasaran<'a>(ws: &'a Workspace, out: &mut Vec<Definition<'a>>) {
    let m = &ws.manifest;
    let manifest = |field: &'static str, value: String| Entry {
        id: Cow::Borrowed("manifest"),
        field: Field::Manifest(Cow::Borrowed(field)),
        value: Def::Text(Cow::Owned(value)),
    };
    out.push(manifest("organisasi", m.organisasi.clone()));
    out.push(manifest("tahun", m.tahun.to_string()));
    out.push(manifest("tampilan", m.tampilan.rounding.to_string()));
    for (stage, r) in [
        ("pembulatan.realisasi", m.pembulatan.realisasi),
        ("pembulatan.capaian", m.pembulatan.capaian),
        ("pembulatan.capaian_sasaran", m.pembulatan.capaian_sasaran),
        ("pembulatan.nilai_kinerja", m.pembulatan.nilai_kinerja),
    ] {
        if let Some(r) = r {
            out.push(manifest(stage, r.to_string()));
        }
    }
    for (p, r) in &m.rumus.capaian {
        out.push(Entry {
            id: Cow::Borrowed("manifest"),
            field: Field::Manifest(Cow::Owned(format!("rumus.capaian.{}", p.name()))),
            value: Def::Text(Cow::Borrowed(&r.name)),
        });
    }
    out.push(manifest(
        "rumus.capaian_sasaran",
        m.rumus.capaian_sasaran.name.clone(),
    ));
    out.push(manifest(
        "rumus.nilai_kinerja",
        m.rumus.nilai_kinerja.name.clone(),
    ));
    for (stage, t) in m.kategori.named() {
        out.push(Entry {
            id: Cow::Borrowed("manifest"),
            field: Field::Manifest(Cow::Owned(format!("kategori.{stage}"))),
            value: Def::Text(Cow::Borrowed(&t.value)),
        });
    }
    for s in &ws.sasaran {
        let id = s.id.value.as_str();
        out.push(text(id, Field::Nama, &s.nama));
        if let Some(r) = &s.rumus {
            out.push(text(id, Field::Rumus, &r.name));
        }
        if let Some(t) = &s.kategori {
            out.push(text(id, Field::Kategori, &t.value));
        }
    }
    let a = &ws.anggaran;
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        kronologi(&r.id, &r.kronologi, out);
    }
    kronologi("total", &a.kronologi_total, out);
}

/// A chronology's changes, one entry each: what it adds, sets, blocks or opens, and what
/// the report says of it.
fn kronologi<'a>(id: &'a str, k: &Kronologi, out: &mut Vec<Definition<'a>>) {
    let mut seen: Vec<String> = Vec::new();
    for p in &k.perubahan {
        let base = format!("{} {}", p.tanggal.kode(), p.jenis.name());
        let n = seen.iter().filter(|s| **s == base).count();
        seen.push(base.clone());
        let key = match n {
            0 => base,
            n => format!("{base} #{}", n + 1),
        };
        let mut parts = Vec::new();
        for (name, v) in [("jumlah", p.jumlah), ("menjadi", p.menjadi)] {
            if let Some(v) = v {
                parts.push(format!("{name} {}", v.value.normalize()));
            }
        }
        for (name, t) in [("keterangan", &p.keterangan), ("sumber", &p.sumber)] {
            if let Some(t) = t {
                parts.push(format!("{name} {}", t.value));
            }
        }
        out.push(Entry {
            id: Cow::Borrowed(id),
            field: Field::Kronologi(key),
            value: Def::Text(Cow::Owned(parts.join("; "))),
        });
    }
}

/// Rule files and band tables by name and content: a changed formula or band shows as its
/// file changing, wherever the workspace keeps its rules.
fn rules<'a>(ws: &'a Workspace, out: &mut Vec<Definition<'a>>) {
    let rule_or_table = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        path.ends_with(".rhai") || crate::load::kategori::is_band_table(name)
    };
    for (_, f) in ws.sources.iter().filter(|(_, f)| rule_or_table(&f.path)) {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        out.push(Entry {
            id: Cow::Owned(format!("rules: {name}")),
            field: Field::Isi,
            value: Def::Text(Cow::Owned(format!(
                "{} lines, {:016x}",
                f.text.lines().count(),
                fingerprint(&f.text)
            ))),
        });
    }
}

fn text<'a>(id: &'a str, field: Field, value: &'a str) -> Definition<'a> {
    Entry {
        id: Cow::Borrowed(id),
        field,
        value: Def::Text(Cow::Borrowed(value)),
    }
}

fn indikator<'a>(i: &'a Indikator, out: &mut Vec<Definition<'a>>) {
    let id = i.id.value.as_str();
    let entry = |field, value| Entry {
        id: Cow::Borrowed(id),
        field,
        value,
    };
    out.push(text(id, Field::Nama, &i.nama));
    if let Some(s) = &i.sasaran {
        out.push(text(id, Field::Sasaran, &s.value));
    }
    out.push(text(id, Field::Satuan, &i.satuan));
    out.push(text(id, Field::Polaritas, i.polaritas.name()));
    if let Some(pk) = &i.target.pk {
        out.push(entry(Field::TargetPk, Def::Target(pk.angka())));
    }
    revisi(i, out);
    for (y, n) in i.target.renstra.iter() {
        out.push(entry(Field::TargetTahun(y), Def::Target(n.angka())));
    }
    if let Some(r) = &i.realisasi {
        out.push(entry(Field::Realisasi, Def::Realisasi(&r.sumber)));
        if let Some(t) = &r.kategori {
            out.push(text(id, Field::RealisasiKategori, &t.value));
        }
    }
    if let Some(r) = &i.capaian.rumus {
        out.push(text(id, Field::CapaianRumus, &r.name));
    }
    if let Some(t) = &i.capaian.kategori {
        out.push(text(id, Field::CapaianKategori, &t.value));
    }
    for k in &i.komponen {
        indikator(k, out);
    }
}

/// An indikator's target revisions, each named by its date (a second of the same date by
/// its place in the chronology, `2022-09#2`), with the targets it sets and its document.
fn revisi<'a>(i: &'a Indikator, out: &mut Vec<Definition<'a>>) {
    let written = |t: &NilaiTarget| t.angka().text(|v| v.normalize().to_string());
    let mut seen: Vec<String> = Vec::new();
    for r in &i.target.revisi {
        let date = r.tanggal.kode();
        let n = seen.iter().filter(|d| **d == date).count();
        seen.push(date.clone());
        let name = match n {
            0 => date,
            n => format!("{date}#{}", n + 1),
        };
        let mut value: Vec<String> = r.pk.iter().map(written).collect();
        if !r.per_periode.nilai.is_empty() {
            let periods: Vec<String> = r
                .per_periode
                .nilai
                .iter()
                .map(|(p, _, t)| format!("{}: {}", p.kode(), written(t)))
                .collect();
            value.push(format!("{{{}}}", periods.join(", ")));
        }
        let mut value = value.join(", ");
        if let Some(d) = &r.dokumen {
            value.push_str(&format!(" ({})", d.value));
        }
        out.push(Entry {
            id: Cow::Borrowed(i.id.value.as_str()),
            field: Field::TargetRevisi(name),
            value: Def::Text(Cow::Owned(value)),
        });
    }
}

/// A stable content fingerprint (FNV-1a 64): the same on every machine and run, so that
/// `diff` output is too.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;

    fn revisions(text: &str) -> Vec<(String, String)> {
        let file = crate::load::indicators::read(
            FileId(0),
            &format!(
                "indikator:\n  - id: IK1\n    nama: Nilai\n    satuan: nilai\n    target: {{revisi: {text}}}\n    realisasi: 1\n"
            ),
        );
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        let mut out = Vec::new();
        revisi(&file.indikator[0], &mut out);
        out.iter()
            .map(|e| (e.field.to_string(), e.value.text()))
            .collect()
    }

    #[test]
    fn revisions_are_named_by_their_dates() {
        assert_eq!(
            revisions(
                "[{tanggal: 2022-01, pk: 36.6, dokumen: PK awal, sumber: L1403}, {tanggal: 2022-09, pk: {min: 80, maks: 90.50}, per_periode: {TW4: 85}}]"
            ),
            [
                ("target.revisi.2022-01".into(), "36.6 (PK awal)".into()),
                ("target.revisi.2022-09".into(), "80–90.5, {TW4: 85}".into()),
            ]
        );
        // Two of one date stay two entries.
        assert_eq!(
            revisions("[{tanggal: 2022-09, pk: 1}, {tanggal: 2022-09, pk: 2}]"),
            [
                ("target.revisi.2022-09".into(), "1".into()),
                ("target.revisi.2022-09#2".into(), "2".into()),
            ]
        );
    }
}
