//! The machine contract: the report as JSON through serde. Numbers are JSON numbers with
//! every decimal digit kept (serde_json's `arbitrary_precision`): percentages at the
//! presentation precision (or unrounded with `--full-precision`), rupiah exact, never a
//! binary float.

use super::Presentation;
use crate::eval::figures::{Band, band};
use crate::eval::{AnggaranPeriode, BarisHasil, Figure, Hasil, HasilIndikator};
use crate::model::{BarisAnggaran, Indikator, Kronologi, TargetAngka, Workspace};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A decimal written as a JSON number, in its shortest exact form (`99.2`, not `99.20`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Exact(Decimal);

impl Exact {
    pub(crate) fn new(value: Decimal) -> Exact {
        Exact(value.normalize())
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::arbitrary_precision::serialize(&self.0, s)
    }
}

/// `value` as pretty JSON (two-space indents), with a final line break.
pub(crate) fn pretty(value: &impl Serialize) -> String {
    // Serialising these types into memory cannot fail: every key is text and every number
    // is written from its exact digits.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

/// `value` as JSON on one line, for newline-delimited streams.
pub(crate) fn line(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The report. What the workspace does not hold is left out, and named once in
/// `tidak_memuat`: a budget-only workspace has no `indikator`, `sasaran` or `nilai_kinerja`,
/// one without sasaran no `sasaran` (its organisation counts its indikator beside the
/// nilai kinerja instead), one without a budget no `anggaran`.
#[derive(Serialize)]
pub(super) struct Report<'a> {
    organisasi: &'a str,
    instansi: Option<&'a str>,
    tahun: i32,
    /// The period reported; left out for the whole year.
    #[serde(skip_serializing_if = "Option::is_none")]
    periode: Option<PeriodeOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tidak_memuat: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indikator: Option<Vec<IndikatorOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sasaran: Option<Vec<SasaranOut<'a>>>,
    /// `Some(None)`: the workspace has indikator, but the figure could not be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    nilai_kinerja: Option<Option<Exact>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kategori_nilai_kinerja: Option<Option<KategoriOut<'a>>>,
    /// Where the indikator roll up to the organisation directly: how many reached their
    /// target, and how many did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    indikator_tercapai: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indikator_belum_tercapai: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anggaran: Option<AnggaranOut<'a>>,
}

/// A figure's band, beside the figure (`kategori_realisasi` beside `realisasi`): left out
/// where no band table bands the figure, `null` where one does but the figure falls in none
/// of its bands.
#[derive(Serialize)]
pub(crate) struct KategoriOut<'a> {
    label: &'a str,
    tabel: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keterangan: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warna: Option<&'static str>,
}

impl<'a> From<Band<'a>> for KategoriOut<'a> {
    fn from(b: Band<'a>) -> Self {
        KategoriOut {
            label: b.label,
            tabel: b.tabel,
            keterangan: b.keterangan,
            warna: b.warna.map(|w| w.name()),
        }
    }
}

/// The band of a figure, as the JSON gives it.
pub(crate) fn kategori<'a>(
    ws: &'a Workspace,
    f: Option<&Figure>,
) -> Option<Option<KategoriOut<'a>>> {
    band(ws, f?.kategori).map(|b| b.map(KategoriOut::from))
}

#[derive(Serialize)]
struct IndikatorOut<'a> {
    id: &'a str,
    nama: &'a str,
    /// Left out in a workspace without sasaran; `null` for a komponen.
    #[serde(skip_serializing_if = "Option::is_none")]
    sasaran: Option<Option<&'a str>>,
    satuan: &'a str,
    polaritas: &'static str,
    /// Its weight in its sasaran's capaian, as written; left out when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    bobot: Option<Exact>,
    target: Option<TargetOut>,
    /// Its target is set by a PK dated after the period reported: not set yet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    target_belum_ditetapkan: bool,
    /// The target's dated revisions (PK awal, PK revisi), in order, each saying whether it
    /// is the one in force at the period reported; left out where there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    target_revisi: Vec<RevisiOut<'a>>,
    realisasi: Option<Exact>,
    /// Given per period and none given up to the period reported: not due, not 0.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    belum_jatuh_tempo: bool,
    /// The values per period counted, up to the period reported, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    per_periode: Vec<NilaiPeriode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kategori_realisasi: Option<Option<KategoriOut<'a>>>,
    capaian: Option<Exact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kategori_capaian: Option<Option<KategoriOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jangka_menengah: Option<JangkaOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    komponen: Vec<IndikatorOut<'a>>,
}

/// A period: `{"kalender": "triwulan", "kode": "TW2", "nama": "Triwulan II"}`.
#[derive(Serialize)]
struct PeriodeOut {
    kalender: &'static str,
    kode: String,
    nama: String,
}

/// One value per period: `{"periode": "TW1", "realisasi": 20}`.
#[derive(Serialize)]
struct NilaiPeriode {
    periode: String,
    realisasi: Exact,
}

/// One dated revision of a target: `{"tanggal": "2022-09", "pk": 36.3, "dokumen": "PK
/// revisi", "sumber": "…", "berlaku": true}`.
#[derive(Serialize)]
struct RevisiOut<'a> {
    tanggal: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pk: Option<TargetOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    per_periode: Vec<TargetPeriode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dokumen: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sumber: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keterangan: Option<&'a str>,
    /// Whether it is the revision in force at the period reported.
    berlaku: bool,
}

/// A target a revision sets for one period: `{"periode": "TW1", "target": 25}`.
#[derive(Serialize)]
struct TargetPeriode {
    periode: String,
    target: TargetOut,
}

/// A target: a number, or a range as `{"min": 80, "maks": 90}`.
#[derive(Serialize)]
#[serde(untagged)]
enum TargetOut {
    Satu(Exact),
    Rentang { min: Exact, maks: Exact },
}

#[derive(Serialize)]
struct JangkaOut {
    tahun: i32,
    target: Option<TargetOut>,
    capaian: Option<Exact>,
}

#[derive(Serialize)]
struct SasaranOut<'a> {
    id: &'a str,
    nama: &'a str,
    /// Its weight in the nilai kinerja, as written; left out when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    bobot: Option<Exact>,
    indikator: Vec<&'a str>,
    capaian: Option<Exact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kategori_capaian: Option<Option<KategoriOut<'a>>>,
    indikator_tercapai: usize,
    indikator_belum_tercapai: usize,
}

#[derive(Serialize)]
struct AnggaranOut<'a> {
    /// The programme's name; or, where `program` is a level, its rows.
    program: Option<Program<'a>>,
    kegiatan: Vec<RowOut<'a>>,
    /// Top rows of the other levels (a file's rows may start at any level), by level.
    #[serde(flatten)]
    tingkat: Levels<'a>,
    jenis_belanja: Vec<RowOut<'a>>,
    total: Option<RowOut<'a>>,
    riwayat: Vec<RiwayatOut>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Program<'a> {
    Nama(&'a str),
    Baris(Vec<RowOut<'a>>),
}

/// Rows by their level, in the order of the levels: a row holds the rows under it under
/// their level's name, as budget files write them.
struct Levels<'a>(Vec<(&'a str, Vec<RowOut<'a>>)>);

impl Serialize for Levels<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (level, rows) in &self.0 {
            map.serialize_entry(level, rows)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct RowOut<'a> {
    kode: &'a str,
    nama: &'a str,
    pagu: Exact,
    /// `null` where it is not due at the period reported.
    realisasi: Option<Exact>,
    persen: Option<Exact>,
    sisa: Option<Exact>,
    /// Its share of its parent's pagu (a top row's, a jenis belanja's: of the total's); the
    /// total has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    proporsi: Option<Exact>,
    /// Its figures per period and against its plan, where the budget gives values per
    /// period.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    periode: Option<PeriodeRowOut>,
    /// The row's own jenis belanja breakdown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    jenis_belanja: Vec<RowOut<'a>>,
    /// Its dated pagu changes, each with the pagu and blokir after it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    kronologi: Vec<PerubahanOut<'a>>,
    #[serde(flatten)]
    anak: Levels<'a>,
}

/// One dated pagu change, with the running pagu and blokir after it: `{"tanggal":
/// "2022-09-09", "jenis": "revisi", "jumlah": 12962005000000, "pagu": 28010338692000,
/// "blokir": 0}`.
#[derive(Serialize)]
struct PerubahanOut<'a> {
    tanggal: String,
    jenis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jumlah: Option<Exact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    menjadi: Option<Exact>,
    /// The change a stated pagu implies, where no amount is given (`menjadi` alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    jumlah_tersirat: Option<Exact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keterangan: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sumber: Option<&'a str>,
    /// The pagu after it; `null` while no change has set one.
    pagu: Option<Exact>,
    blokir: Exact,
    /// The change in force as of the period reported.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    berlaku: bool,
}

/// A chronology as the JSON gives it, as of the period reported.
fn kronologi<'a>(ws: &Workspace, k: &'a Kronologi) -> Vec<PerubahanOut<'a>> {
    // Amounts beyond the decimal range are reported, and stop the run before this.
    let Some(steps) = k.langkah() else {
        return Vec::new();
    };
    let berlaku = k.berlaku(ws.manifest.tahun, ws.manifest.periode.sampai());
    let text = |t: &'a Option<crate::model::Text>| t.as_ref().map(|t| t.value.as_str());
    k.perubahan
        .iter()
        .zip(&steps)
        .enumerate()
        .map(|(i, (p, s))| PerubahanOut {
            tanggal: p.tanggal.kode(),
            jenis: p.jenis.name(),
            jumlah: p.jumlah.map(|n| Exact::new(n.value)),
            menjadi: p.menjadi.map(|n| Exact::new(n.value)),
            jumlah_tersirat: p.jumlah_tersirat(s).map(Exact::new),
            keterangan: text(&p.keterangan),
            sumber: text(&p.sumber),
            pagu: s.pagu.map(Exact::new),
            blokir: Exact::new(s.blokir),
            berlaku: berlaku == Some(i),
        })
        .collect()
}

/// A budget row's figures as of the period reported and per period: `rpd`, `persen_rpd`,
/// `deviasi_rpd`, what its sums leave out, and `per_periode: [{periode, realisasi, rpd}]`
/// (each the period's own amounts).
#[derive(Serialize)]
struct PeriodeRowOut {
    rpd: Option<Exact>,
    persen_rpd: Option<Exact>,
    deviasi_rpd: Option<Exact>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    belum_jatuh_tempo: bool,
    /// Rows under it not due: its sums leave them out.
    #[serde(skip_serializing_if = "is_zero")]
    belum_lengkap: usize,
    /// Rows under it given for the year only: its sums per period leave them out.
    #[serde(skip_serializing_if = "is_zero")]
    tanpa_realisasi_per_periode: usize,
    per_periode: Vec<AnggaranPeriodeOut>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One period of a budget row: `{"periode": "TW1", "realisasi": 100000, "rpd": 150000}`.
#[derive(Serialize)]
struct AnggaranPeriodeOut {
    periode: String,
    realisasi: Option<Exact>,
    rpd: Option<Exact>,
}

/// A row's figures per period as JSON, where it has any to show.
fn periode_row(
    p: Option<&AnggaranPeriode>,
    pct: &(dyn Fn(Option<Decimal>) -> Option<Exact> + Sync),
) -> Option<PeriodeRowOut> {
    let p = p.filter(|p| p.berkala())?;
    Some(PeriodeRowOut {
        rpd: p.rpd.map(Exact::new),
        persen_rpd: pct(p.persen_rpd),
        deviasi_rpd: pct(p.deviasi),
        belum_jatuh_tempo: p.belum_jatuh_tempo,
        belum_lengkap: p.kurang,
        tanpa_realisasi_per_periode: p.tanpa_periode,
        per_periode: p
            .periode
            .iter()
            .map(|n| AnggaranPeriodeOut {
                periode: n.periode.kode(),
                realisasi: n.realisasi.map(Exact::new),
                rpd: n.rpd.map(Exact::new),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct RiwayatOut {
    tahun: i32,
    pagu: Option<Exact>,
    realisasi: Option<Exact>,
    persen: Option<Exact>,
}

/// A target at the presentation precision.
fn target(t: TargetAngka, pct: &(dyn Fn(Option<Decimal>) -> Option<Exact> + Sync)) -> TargetOut {
    let one = |v| pct(Some(v)).unwrap_or(Exact::new(v));
    match t {
        TargetAngka::Satu(v) => TargetOut::Satu(one(v)),
        TargetAngka::Rentang { min, maks } => TargetOut::Rentang {
            min: one(min),
            maks: one(maks),
        },
    }
}

/// An indikator's target revisions, the one in force at the period reported marked.
fn revisi<'a>(
    ws: &Workspace,
    m: &'a Indikator,
    pct: &(dyn Fn(Option<Decimal>) -> Option<Exact> + Sync),
) -> Vec<RevisiOut<'a>> {
    let t = &m.target;
    if t.revisi.is_empty() {
        return Vec::new();
    }
    let berlaku = t
        .revisi_pada(ws.manifest.tahun, ws.manifest.periode.sampai())
        .map(|(ke, _)| ke);
    let text = |t: &'a Option<crate::model::Text>| t.as_ref().map(|t| t.value.as_str());
    t.revisi
        .iter()
        .enumerate()
        .map(|(ke, r)| RevisiOut {
            tanggal: r.tanggal.kode(),
            pk: r.pk.as_ref().map(|n| target(n.angka(), pct)),
            per_periode: r
                .per_periode
                .nilai
                .iter()
                .map(|(p, _, n)| TargetPeriode {
                    periode: p.kode(),
                    target: target(n.angka(), pct),
                })
                .collect(),
            dokumen: text(&r.dokumen),
            sumber: text(&r.sumber),
            keterangan: text(&r.keterangan),
            berlaku: berlaku == Some(ke),
        })
        .collect()
}

/// The report as JSON.
pub(super) fn report(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    pretty(&tree(ws, h, p))
}

/// The report as serde sees it (also what the YAML is written from).
pub(super) fn tree<'a>(ws: &'a Workspace, h: &'a Hasil, p: &Presentation) -> Report<'a> {
    let pct = |v: Option<Decimal>| v.map(|v| Exact::new(p.num(v)));
    fn ind<'a>(
        ws: &'a Workspace,
        m: &'a Indikator,
        i: &HasilIndikator,
        pct: &(dyn Fn(Option<Decimal>) -> Option<Exact> + Sync),
    ) -> IndikatorOut<'a> {
        IndikatorOut {
            id: &m.id.value,
            nama: &m.nama,
            sasaran: ws
                .isi()
                .sasaran
                .then(|| m.sasaran.as_ref().map(|s| s.value.as_str())),
            satuan: &m.satuan,
            polaritas: m.polaritas.name(),
            bobot: m.bobot.map(|b| Exact::new(b.value)),
            target: i.target.map(|t| target(t, pct)),
            target_belum_ditetapkan: i.target_belum_ditetapkan,
            target_revisi: revisi(ws, m, pct),
            realisasi: pct(i.realisasi.as_ref().map(|f| f.value)),
            belum_jatuh_tempo: i.belum_jatuh_tempo,
            per_periode: i
                .per_periode
                .iter()
                .filter_map(|(p, v)| {
                    // At the precision the realisasi is shown at: a value computed from a
                    // period's inputs has every decimal of its division.
                    Some(NilaiPeriode {
                        periode: p.kode(),
                        realisasi: pct(Some(*v))?,
                    })
                })
                .collect(),
            kategori_realisasi: kategori(ws, i.realisasi.as_ref()),
            capaian: pct(i.capaian.as_ref().map(|f| f.value)),
            kategori_capaian: kategori(ws, i.capaian.as_ref()),
            jangka_menengah: i.jangka_menengah.as_ref().map(|jm| JangkaOut {
                tahun: jm.tahun,
                target: Some(target(jm.target, pct)),
                capaian: pct(Some(jm.capaian.value)),
            }),
            komponen: m
                .komponen
                .iter()
                .zip(&i.komponen)
                .map(|(mk, k)| ind(ws, mk, k, pct))
                .collect(),
        }
    }
    let (a, m) = (&h.anggaran, &ws.anggaran);
    let realisasi = |r: &BarisHasil| {
        let not_due = r.periode.as_ref().is_some_and(|p| p.belum_jatuh_tempo);
        (!not_due).then(|| Exact::new(r.realisasi))
    };
    let jenis = |model: &'a BarisAnggaran, r: &BarisHasil| RowOut {
        kode: model.kode(),
        nama: &model.nama.value,
        pagu: Exact::new(r.pagu),
        realisasi: realisasi(r),
        persen: pct(r.persen),
        sisa: r.sisa.map(Exact::new),
        proporsi: pct(r.proporsi),
        periode: periode_row(r.periode.as_deref(), &pct),
        jenis_belanja: Vec::new(),
        kronologi: kronologi(ws, &model.kronologi),
        anak: Levels(Vec::new()),
    };
    // A row of the hierarchy, with its breakdown and the rows under it.
    fn baris<'a>(
        ws: &'a Workspace,
        h: &Hasil,
        i: usize,
        jenis: &dyn Fn(&'a BarisAnggaran, &BarisHasil) -> RowOut<'a>,
    ) -> RowOut<'a> {
        let (m, a) = (&ws.anggaran, &h.anggaran);
        let model = &m.baris[i];
        let mut out = jenis(model, &a.baris[i]);
        out.jenis_belanja = (0..m.jenis_belanja.len())
            .filter(|&j| m.jenis_belanja[j].induk == Some(i))
            .map(|j| jenis(&m.jenis_belanja[j], &a.jenis_belanja[j]))
            .collect();
        out.anak = by_level(
            ws,
            model
                .anak
                .iter()
                .map(|&c| baris(ws, h, c, jenis))
                .zip(&model.anak)
                .map(|(r, &c)| (m.baris[c].tingkat, r)),
        );
        out
    }
    // Rows grouped by level, in the order of the levels.
    fn by_level<'a>(
        ws: &'a Workspace,
        rows: impl Iterator<Item = (usize, RowOut<'a>)>,
    ) -> Levels<'a> {
        let mut groups: Vec<(&'a str, Vec<RowOut<'a>>)> = Vec::new();
        let mut rows: Vec<(usize, RowOut<'a>)> = rows.collect();
        rows.sort_by_key(|(t, _)| *t);
        for (t, row) in rows {
            let level = ws.manifest.tingkat[t].as_str();
            match groups.last_mut() {
                Some((l, list)) if *l == level => list.push(row),
                _ => groups.push((level, vec![row])),
            }
        }
        Levels(groups)
    }
    let Levels(mut top) = by_level(
        ws,
        m.roots()
            .map(|i| (m.baris[i].tingkat, baris(ws, h, i, &jenis))),
    );
    let take = |top: &mut Vec<(&str, Vec<RowOut<'a>>)>, level: &str| {
        top.iter()
            .position(|(l, _)| *l == level)
            .map(|i| top.remove(i).1)
    };
    let kegiatan = take(&mut top, "kegiatan").unwrap_or_default();
    let program = match take(&mut top, "program") {
        Some(rows) => Some(Program::Baris(rows)),
        None => m.program.as_ref().map(|t| Program::Nama(&t.value)),
    };
    let isi = ws.isi();
    Report {
        organisasi: &ws.manifest.organisasi,
        instansi: ws.manifest.instansi.as_deref(),
        tahun: ws.manifest.tahun,
        periode: ws.manifest.periode.laporan.map(|p| PeriodeOut {
            kalender: p.kalender.name(),
            kode: p.kode(),
            nama: p.nama(),
        }),
        tidak_memuat: isi.tidak_memuat(),
        // Tens of thousands of indikator in a national workspace: gathered in parallel.
        indikator: isi.indikator.then(|| {
            ws.indikator
                .par_iter()
                .zip(&h.indikator)
                .map(|(model, i)| ind(ws, model, i, &pct))
                .collect()
        }),
        sasaran: isi.sasaran.then(|| {
            ws.sasaran
                .iter()
                .zip(&h.sasaran)
                .map(|(model, s)| SasaranOut {
                    id: &model.id.value,
                    nama: &model.nama,
                    bobot: model.bobot.map(|b| Exact::new(b.value)),
                    indikator: s
                        .anggota
                        .iter()
                        .map(|i| ws.indikator[*i].id.value.as_str())
                        .collect(),
                    capaian: pct(s.capaian.as_ref().map(|f| f.value)),
                    kategori_capaian: kategori(ws, s.capaian.as_ref()),
                    indikator_tercapai: s.tercapai,
                    indikator_belum_tercapai: s.belum_tercapai,
                })
                .collect()
        }),
        nilai_kinerja: isi
            .indikator
            .then(|| pct(h.nilai_kinerja.as_ref().map(|f| f.value))),
        kategori_nilai_kinerja: kategori(ws, h.nilai_kinerja.as_ref()),
        indikator_tercapai: h.langsung.as_ref().map(|l| l.tercapai),
        indikator_belum_tercapai: h.langsung.as_ref().map(|l| l.belum_tercapai),
        anggaran: isi.anggaran.then(|| AnggaranOut {
            program,
            kegiatan,
            tingkat: Levels(top),
            jenis_belanja: m
                .jenis_total()
                .map(|j| jenis(&m.jenis_belanja[j], &a.jenis_belanja[j]))
                .collect(),
            total: a.total.as_ref().map(|t| RowOut {
                kode: "",
                nama: "Total",
                pagu: Exact::new(t.pagu),
                realisasi: realisasi(t),
                persen: pct(t.persen),
                sisa: t.sisa.map(Exact::new),
                proporsi: None,
                periode: periode_row(t.periode.as_deref(), &pct),
                jenis_belanja: Vec::new(),
                kronologi: kronologi(ws, &m.kronologi_total),
                anak: Levels(Vec::new()),
            }),
            riwayat: m
                .riwayat
                .iter()
                .zip(&a.riwayat)
                .map(|(r, persen)| RiwayatOut {
                    tahun: r.tahun,
                    pagu: r.pagu.map(|n| Exact::new(n.value)),
                    realisasi: r.realisasi.map(|n| Exact::new(n.value)),
                    persen: pct(*persen),
                })
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn decimals_are_exact_json_numbers() {
        #[derive(Serialize)]
        struct T {
            a: Exact,
            b: Option<Exact>,
            c: Vec<Exact>,
        }
        let t = T {
            a: Exact::new(dec!(28585438802000.50)),
            b: None,
            c: vec![Exact::new(dec!(0.1000000000000000000000000001))],
        };
        assert_eq!(
            line(&t),
            r#"{"a":28585438802000.5,"b":null,"c":[0.1000000000000000000000000001]}"#
        );
        assert_eq!(
            pretty(&t),
            "{\n  \"a\": 28585438802000.5,\n  \"b\": null,\n  \"c\": [\n    0.1000000000000000000000000001\n  ]\n}\n"
        );
    }
}
