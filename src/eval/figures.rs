//! Every computed figure as a flat list, in report order, keyed by what it belongs to and
//! what it measures: what snapshots hold, what `diff` and `watch` compare (as values, at
//! the presentation precision), and what the library hands out.

use super::results::{Figure, Hasil, HasilIndikator, Pita};
use crate::base::number::{Rounding, fixed_text, machine};
use crate::model::{Indikator, Periode, TargetAngka, Warna, Workspace};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;

/// What a figure measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ukuran {
    /// A weight in a rollup (an input, shown because it moves the rollup).
    Bobot,
    Target,
    Realisasi,
    Capaian,
    /// The target of the last Renstra year.
    TargetTahun(i32),
    /// The capaian against the last Renstra year's target.
    CapaianTahun(i32),
    IndikatorTercapai,
    IndikatorBelumTercapai,
    Pagu,
    Persen,
    Sisa,
    /// A budget row's share of the pagu of what it belongs to.
    Proporsi,
    /// A budget row's disbursement plan (RPD) as of the period reported, its % of the
    /// pagu, and the realisasi's deviation from it.
    Rpd,
    PersenRpd,
    DeviasiRpd,
    /// A budget row's own realisasi, and its own plan, of one period.
    RealisasiPeriode(Periode),
    RpdPeriode(Periode),
    /// The band of the realisasi, or of the capaian (a label, not a number).
    KategoriRealisasi,
    KategoriCapaian,
}

impl Ukuran {
    /// What measures the band of this figure, if it can have one.
    pub(crate) fn kategori(self) -> Option<Ukuran> {
        match self {
            Ukuran::Realisasi => Some(Ukuran::KategoriRealisasi),
            Ukuran::Capaian => Some(Ukuran::KategoriCapaian),
            _ => None,
        }
    }
}

impl fmt::Display for Ukuran {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ukuran::Bobot => f.write_str("bobot"),
            Ukuran::Target => f.write_str("target"),
            Ukuran::Realisasi => f.write_str("realisasi"),
            Ukuran::Capaian => f.write_str("capaian"),
            Ukuran::TargetTahun(y) => write!(f, "target_{y}"),
            Ukuran::CapaianTahun(y) => write!(f, "capaian_{y}"),
            Ukuran::IndikatorTercapai => f.write_str("indikator_tercapai"),
            Ukuran::IndikatorBelumTercapai => f.write_str("indikator_belum_tercapai"),
            Ukuran::Pagu => f.write_str("pagu"),
            Ukuran::Persen => f.write_str("persen"),
            Ukuran::Sisa => f.write_str("sisa"),
            Ukuran::Proporsi => f.write_str("proporsi"),
            Ukuran::Rpd => f.write_str("rpd"),
            Ukuran::PersenRpd => f.write_str("persen_rpd"),
            Ukuran::DeviasiRpd => f.write_str("deviasi_rpd"),
            Ukuran::RealisasiPeriode(p) => write!(f, "realisasi_{}", p.kode()),
            Ukuran::RpdPeriode(p) => write!(f, "rpd_{}", p.kode()),
            Ukuran::KategoriRealisasi => f.write_str("kategori_realisasi"),
            Ukuran::KategoriCapaian => f.write_str("kategori_capaian"),
        }
    }
}

/// How a figure is shown, and so compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A percentage, score or index: at the presentation precision.
    Persen,
    /// Rupiah: exact.
    Rupiah,
    /// A count.
    Jumlah,
}

/// Which part of the report a figure belongs to (one snapshot file each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Area {
    Indikator,
    Sasaran,
    Anggaran,
}

/// One figure.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line<'a> {
    /// What it belongs to: an indikator or sasaran id, `nilai_kinerja`, `total`,
    /// `kegiatan: 57`, `riwayat: 2018`.
    pub(crate) id: Cow<'a, str>,
    pub(crate) ukuran: Ukuran,
    /// The figure; for a target range, its lower bound.
    pub(crate) value: Decimal,
    /// A target range's upper bound: the figure is `value–maks`.
    pub(crate) maks: Option<Decimal>,
    pub(crate) kind: Kind,
    /// The band it falls in, when a band table bands it and it falls in one.
    pub(crate) kategori: Option<Band<'a>>,
}

/// A figure's band, as shown: its label, with its table and what the table says of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Band<'a> {
    pub(crate) label: &'a str,
    /// The table's name (`predikat_sakip`).
    pub(crate) tabel: &'a str,
    pub(crate) warna: Option<Warna>,
    pub(crate) keterangan: Option<&'a str>,
}

/// A figure's band: `None` when no table bands it; `Some(None)` when one does but the
/// figure falls in none of its bands (C005); else the band.
pub(crate) fn band<'a>(ws: &'a Workspace, pita: Option<Pita>) -> Option<Option<Band<'a>>> {
    let pita = pita?;
    let table = ws.kategori.get(pita.tabel)?;
    Some(
        pita.tingkat
            .and_then(|i| table.tingkat.get(i))
            .map(|t| Band {
                label: &t.label.value,
                tabel: &table.nama.value,
                warna: t.warna,
                keterangan: t.keterangan.as_deref(),
            }),
    )
}

/// The band of a figure, if it falls in one.
pub(crate) fn band_of<'a>(ws: &'a Workspace, f: Option<&Figure>) -> Option<Band<'a>> {
    band(ws, f?.kategori).flatten()
}

/// The figures of one indikator, sasaran or budget row, under its name.
pub(crate) struct Group<'a> {
    pub(crate) area: Area,
    pub(crate) id: Cow<'a, str>,
    /// Its name, shown above its figures; `None` for figures shown without one.
    pub(crate) nama: Option<&'a str>,
    /// The file that defines it.
    pub(crate) file: Option<&'a str>,
    pub(crate) lines: Vec<Line<'a>>,
}

/// Every figure of a run.
pub(crate) struct Figures<'a> {
    /// The presentation precision figures are shown and compared at.
    pub(crate) rounding: Rounding,
    pub(crate) groups: Vec<Group<'a>>,
}

impl Line<'_> {
    /// The value as shown and compared: a percentage at the presentation precision.
    pub(crate) fn shown(&self, rounding: Rounding) -> Decimal {
        match self.kind {
            Kind::Persen => rounding.apply(self.value),
            Kind::Rupiah | Kind::Jumlah => self.value,
        }
    }

    /// The value as text: a percentage with exactly the presentation's decimals, an amount
    /// or count in plain digits; a target range as `80.00–90.00`.
    pub(crate) fn text(&self, rounding: Rounding) -> String {
        let one = |v: Decimal| match self.kind {
            Kind::Persen => fixed_text(rounding.apply(v), rounding.decimals),
            Kind::Rupiah | Kind::Jumlah => machine(v),
        };
        match self.maks {
            Some(maks) => format!("{}–{}", one(self.value), one(maks)),
            None => one(self.value),
        }
    }
}

impl<'a> Figures<'a> {
    /// Every figure of `hasil`, in report order.
    pub(crate) fn of(ws: &'a Workspace, hasil: &'a Hasil) -> Figures<'a> {
        let mut groups = Vec::new();
        for n in 0..chunks(ws) {
            groups.extend(chunk(ws, hasil, n));
        }
        Figures {
            rounding: ws.manifest.tampilan.rounding,
            groups,
        }
    }

    /// Every figure, one after the other.
    pub(crate) fn lines(&self) -> impl Iterator<Item = &Line<'a>> {
        self.groups.iter().flat_map(|g| &g.lines)
    }
}

/// How many chunks [`chunk`] cuts the figures into: one per indikator, then the sasaran's
/// and the budget's.
pub(crate) fn chunks(ws: &Workspace) -> usize {
    ws.indikator.len() + 2
}

/// The figures in report order, a part at a time (so that two runs can be compared part by
/// part, without holding every figure of either): the `n`th indikator's (its komponen
/// included), then the sasaran and nilai kinerja, then the budget.
pub(crate) fn chunk<'a>(ws: &'a Workspace, hasil: &'a Hasil, n: usize) -> Vec<Group<'a>> {
    let mut out = Vec::new();
    match n.checked_sub(ws.indikator.len()) {
        None => indikator(ws, &ws.indikator[n], &hasil.indikator[n], &mut out),
        Some(0) => sasaran(ws, hasil, &mut out),
        Some(_) => anggaran(ws, hasil, &mut out),
    }
    out
}

/// The figures of one indikator and, after them, its komponen's.
fn indikator<'a>(
    ws: &'a Workspace,
    model: &'a Indikator,
    result: &HasilIndikator,
    out: &mut Vec<Group<'a>>,
) {
    let id = model.id.value.as_str();
    let mut lines = Vec::new();
    if let Some(b) = &model.bobot {
        lines.push(Line {
            id: Cow::Borrowed(id),
            ukuran: Ukuran::Bobot,
            value: b.value,
            kind: Kind::Jumlah,
            maks: None,
            kategori: None,
        });
    }
    // A target range is one figure, `min–maks`.
    let mut persen = |ukuran, value: Option<Decimal>, maks: Option<Decimal>, kategori| {
        if let Some(value) = value {
            lines.push(Line {
                id: Cow::Borrowed(id),
                ukuran,
                value,
                maks,
                kind: Kind::Persen,
                kategori,
            });
        }
    };
    persen(
        Ukuran::Target,
        result.target.map(TargetAngka::min),
        result.target.and_then(TargetAngka::maks),
        None,
    );
    persen(
        Ukuran::Realisasi,
        result.realisasi.as_ref().map(|f| f.value),
        None,
        band_of(ws, result.realisasi.as_ref()),
    );
    persen(
        Ukuran::Capaian,
        result.capaian.as_ref().map(|f| f.value),
        None,
        band_of(ws, result.capaian.as_ref()),
    );
    if let Some(jm) = &result.jangka_menengah {
        persen(
            Ukuran::TargetTahun(jm.tahun),
            Some(jm.target.min()),
            jm.target.maks(),
            None,
        );
        persen(
            Ukuran::CapaianTahun(jm.tahun),
            Some(jm.capaian.value),
            None,
            None,
        );
    }
    out.push(Group {
        area: Area::Indikator,
        id: Cow::Borrowed(id),
        nama: Some(&model.nama),
        file: Some(ws.sources.path(model.id.span.file)),
        lines,
    });
    for (k, r) in model.komponen.iter().zip(&result.komponen) {
        indikator(ws, k, r, out);
    }
}

fn sasaran<'a>(ws: &'a Workspace, hasil: &'a Hasil, out: &mut Vec<Group<'a>>) {
    for (model, s) in ws.sasaran.iter().zip(&hasil.sasaran) {
        let id = model.id.value.as_str();
        let line = |ukuran, value, kind| Line {
            id: Cow::Borrowed(id),
            ukuran,
            value,
            kind,
            maks: None,
            kategori: None,
        };
        let mut lines = Vec::new();
        if let Some(b) = &model.bobot {
            lines.push(line(Ukuran::Bobot, b.value, Kind::Jumlah));
        }
        if let Some(c) = &s.capaian {
            lines.push(Line {
                kategori: band_of(ws, Some(c)),
                ..line(Ukuran::Capaian, c.value, Kind::Persen)
            });
        }
        lines.push(line(
            Ukuran::IndikatorTercapai,
            Decimal::from(s.tercapai),
            Kind::Jumlah,
        ));
        lines.push(line(
            Ukuran::IndikatorBelumTercapai,
            Decimal::from(s.belum_tercapai),
            Kind::Jumlah,
        ));
        out.push(Group {
            area: Area::Sasaran,
            id: Cow::Borrowed(id),
            nama: Some(&model.nama),
            file: Some(ws.sources.path(model.id.span.file)),
            lines,
        });
    }
    // The organisation's figures, where it has indikator: its nilai kinerja and, when its
    // indikator roll up to it directly, their counts (as a sasaran has its own).
    if !ws.isi().indikator {
        return;
    }
    let id = "nilai_kinerja";
    let line = |ukuran, value, kind| Line {
        id: Cow::Borrowed(id),
        ukuran,
        value,
        maks: None,
        kind,
        kategori: None,
    };
    let mut lines: Vec<Line> = hasil
        .nilai_kinerja
        .iter()
        .map(|f| Line {
            kategori: band_of(ws, Some(f)),
            ..line(Ukuran::Capaian, f.value, Kind::Persen)
        })
        .collect();
    if let Some(l) = &hasil.langsung {
        lines.push(line(
            Ukuran::IndikatorTercapai,
            Decimal::from(l.tercapai),
            Kind::Jumlah,
        ));
        lines.push(line(
            Ukuran::IndikatorBelumTercapai,
            Decimal::from(l.belum_tercapai),
            Kind::Jumlah,
        ));
    }
    out.push(Group {
        area: Area::Sasaran,
        id: Cow::Borrowed(id),
        nama: Some(&ws.manifest.organisasi),
        file: Some(crate::load::MANIFEST),
        lines,
    });
}

fn anggaran<'a>(ws: &'a Workspace, hasil: &'a Hasil, out: &mut Vec<Group<'a>>) {
    let a = &hasil.anggaran;
    let m = &ws.anggaran;
    let file_of = |r: &crate::model::BarisAnggaran| ws.sources.path(r.span.file);
    let file = m.first().map(file_of);
    let row =
        |id: Cow<'a, str>, nama: &'a str, file: Option<&'a str>, r: &super::results::BarisHasil| {
            let line = |ukuran, value, kind| Line {
                id: id.clone(),
                ukuran,
                value,
                kind,
                maks: None,
                kategori: None,
            };
            // A realisasi not due is no figure: it is left out, never shown as 0.
            let p = r.periode.as_deref().filter(|p| p.berkala());
            let not_due = p.is_some_and(|p| p.belum_jatuh_tempo);
            let mut lines = vec![line(Ukuran::Pagu, r.pagu, Kind::Rupiah)];
            if !not_due {
                lines.push(line(Ukuran::Realisasi, r.realisasi, Kind::Rupiah));
            }
            lines.extend(r.persen.map(|v| line(Ukuran::Persen, v, Kind::Persen)));
            lines.extend(r.sisa.map(|v| line(Ukuran::Sisa, v, Kind::Rupiah)));
            lines.extend(r.proporsi.map(|v| line(Ukuran::Proporsi, v, Kind::Persen)));
            if let Some(p) = p {
                lines.extend(p.rpd.map(|v| line(Ukuran::Rpd, v, Kind::Rupiah)));
                lines.extend(
                    p.persen_rpd
                        .map(|v| line(Ukuran::PersenRpd, v, Kind::Persen)),
                );
                lines.extend(p.deviasi.map(|v| line(Ukuran::DeviasiRpd, v, Kind::Persen)));
                for n in &p.periode {
                    let own = [
                        (Ukuran::RealisasiPeriode(n.periode), n.realisasi),
                        (Ukuran::RpdPeriode(n.periode), n.rpd),
                    ];
                    for (ukuran, v) in own {
                        lines.extend(v.map(|v| line(ukuran, v, Kind::Rupiah)));
                    }
                }
            }
            Group {
                area: Area::Anggaran,
                id: id.clone(),
                nama: Some(nama),
                file,
                lines,
            }
        };
    for (models, results) in [(&m.baris, &a.baris), (&m.jenis_belanja, &a.jenis_belanja)] {
        for (model, result) in models.iter().zip(results) {
            out.push(row(
                Cow::Borrowed(model.id.as_str()),
                &model.nama.value,
                Some(file_of(model)),
                result,
            ));
        }
    }
    if let Some(t) = &a.total {
        out.push(row(Cow::Borrowed("total"), "Total", file, t));
    }
    for (model, persen) in m.riwayat.iter().zip(&a.riwayat) {
        let id: Cow<str> = Cow::Owned(format!("riwayat: {}", model.tahun));
        out.push(Group {
            area: Area::Anggaran,
            id: id.clone(),
            nama: None,
            file: None,
            lines: persen
                .iter()
                .map(|v| Line {
                    id: id.clone(),
                    ukuran: Ukuran::Persen,
                    value: *v,
                    kind: Kind::Persen,
                    maks: None,
                    kategori: None,
                })
                .collect(),
        });
    }
}
