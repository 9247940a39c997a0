//! The report as a web page: the data the page shows (a [`View`], JSON through serde), and
//! the page itself, one self-contained HTML file with its script, styles and chart library
//! inside (no network). `kinerja serve` sends the page and its data separately, and
//! `kinerja eval --format html` writes both as one file.
//!
//! Every figure is formatted here, as the other formats format it ([`Presentation`]); the
//! page's script lays out, filters and pages rows, and draws bars and the chart from the
//! numbers beside the text. It computes nothing.

use super::Presentation;
use super::json::{Exact, line};
use super::sections::catatan;
use crate::base::number::Locale;
use crate::eval::figures::band_of;
use crate::eval::{BarisHasil, Figure, Hasil, HasilIndikator, tercapai};
use crate::model::{BarisAnggaran, Indikator, TargetAngka, Workspace};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// One figure as the page shows it: its text at the presentation precision, and the same
/// value as a number for bars and charts.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Cell {
    pub(crate) t: String,
    pub(crate) v: Option<Exact>,
    /// The band the figure falls in, when a band table bands it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) k: Option<KategoriView>,
}

/// A figure's band as the page shows it: a badge with its label, in its colour.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct KategoriView {
    label: String,
    tabel: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    keterangan: Option<String>,
    /// The colour's name, and as `#RRGGBB`.
    #[serde(skip_serializing_if = "Option::is_none")]
    warna: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rgb: Option<String>,
}

/// The whole report, as the page reads it.
#[derive(Serialize)]
pub(crate) struct View<'a> {
    pub(crate) judul: String,
    organisasi: &'a str,
    instansi: Option<&'a str>,
    tahun: i32,
    /// `id` or `en`: the number format, and the language of the page's labels.
    locale: &'static str,
    /// The parts of a report the workspace does not hold (`indikator`, `sasaran`,
    /// `anggaran`): the page leaves their sections out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tidak_memuat: Vec<&'static str>,
    /// The line that says so, in the page's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    catatan: Option<String>,
    nilai_kinerja: Cell,
    /// Indikator (not komponen) on and off target, over the whole organisation.
    indikator_tercapai: usize,
    indikator_belum_tercapai: usize,
    sasaran: Vec<SasaranView<'a>>,
    indikator: Vec<IndikatorView<'a>>,
    anggaran: AnggaranView<'a>,
}

#[derive(Serialize)]
struct SasaranView<'a> {
    id: &'a str,
    nama: &'a str,
    /// Its weight in the nilai kinerja, as written; left out when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    bobot: Option<Cell>,
    capaian: Cell,
    indikator: usize,
    tercapai: usize,
    belum_tercapai: usize,
}

#[derive(Serialize)]
struct IndikatorView<'a> {
    id: &'a str,
    nama: &'a str,
    sasaran: Option<&'a str>,
    satuan: &'a str,
    /// Its weight in its sasaran's capaian, as written; left out when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    bobot: Option<Cell>,
    target: Cell,
    realisasi: Cell,
    capaian: Cell,
    /// Whether the capaian reaches the target; null without a capaian.
    tercapai: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jangka_menengah: Option<JangkaView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    komponen: Vec<IndikatorView<'a>>,
}

#[derive(Serialize)]
struct JangkaView {
    tahun: i32,
    target: Cell,
    capaian: Cell,
}

#[derive(Serialize)]
struct AnggaranView<'a> {
    program: Option<&'a str>,
    kegiatan: Vec<BarisView<'a>>,
    jenis_belanja: Vec<BarisView<'a>>,
    total: Option<BarisView<'a>>,
    riwayat: Vec<RiwayatView>,
}

#[derive(Serialize)]
struct BarisView<'a> {
    /// The figure's id (`kegiatan: 57`, `total`), which its changes and `explain` use.
    fid: String,
    /// What a what-if names this row by (`57.pagu=…`): its code, or its name when it has
    /// none.
    kunci: &'a str,
    kode: &'a str,
    nama: &'a str,
    /// How deep under the top rows it stands (a sub kegiatan under its kegiatan: 1).
    #[serde(skip_serializing_if = "is_zero")]
    kedalaman: usize,
    pagu: Cell,
    realisasi: Cell,
    persen: Cell,
    sisa: Cell,
    /// Its share of its parent's pagu (of the total's for a top row or jenis belanja);
    /// empty for the total.
    proporsi: Cell,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct RiwayatView {
    fid: String,
    tahun: i32,
    pagu: Cell,
    realisasi: Cell,
    persen: Cell,
}

impl Presentation {
    fn pct_cell(&self, v: Option<Decimal>) -> Cell {
        Cell {
            t: self.pct(v),
            v: v.map(|v| Exact::new(self.num(v))),
            k: None,
        }
    }

    /// A computed figure, with its band.
    fn fig_cell(&self, ws: &Workspace, f: Option<&Figure>) -> Cell {
        Cell {
            k: band_of(ws, f).map(|b| KategoriView {
                label: b.label.to_string(),
                tabel: b.tabel.to_string(),
                keterangan: b.keterangan.map(str::to_string),
                warna: b.warna.map(|w| w.name()),
                rgb: b.warna.map(|w| format!("#{:06X}", w.rgb())),
            }),
            ..self.pct_cell(f.map(|f| f.value))
        }
    }

    /// A target: one figure, or a range as text (`80,00–90,00`) with no one number.
    fn target_cell(&self, t: Option<TargetAngka>) -> Cell {
        match t {
            Some(TargetAngka::Rentang { min, maks }) => Cell {
                t: format!("{}–{}", self.pct(Some(min)), self.pct(Some(maks))),
                v: None,
                k: None,
            },
            t => self.pct_cell(t.map(TargetAngka::min)),
        }
    }

    /// A weight, as written (`60`, `0,6` in the id locale).
    fn bobot_cell(&self, b: Option<&crate::model::Num>) -> Option<Cell> {
        b.map(|b| Cell {
            t: self.locale.rupiah(b.value),
            v: Some(Exact::new(b.value)),
            k: None,
        })
    }

    fn rp_cell(&self, v: Option<Decimal>) -> Cell {
        Cell {
            t: self.rp(v),
            v: v.map(Exact::new),
            k: None,
        }
    }
}

/// The report of an evaluated workspace, as the page reads it.
pub(crate) fn view<'a>(ws: &'a Workspace, h: &'a Hasil, p: &Presentation) -> View<'a> {
    fn ind<'a>(
        ws: &'a Workspace,
        m: &'a Indikator,
        i: &HasilIndikator,
        p: &Presentation,
    ) -> IndikatorView<'a> {
        let capaian = i.capaian.as_ref().map(|f| f.value);
        IndikatorView {
            id: &m.id.value,
            nama: &m.nama,
            sasaran: m.sasaran.as_ref().map(|s| s.value.as_str()),
            satuan: &m.satuan,
            bobot: p.bobot_cell(m.bobot.as_ref()),
            target: if i.target_belum_ditetapkan {
                Cell {
                    t: super::sections::TARGET_BELUM_DITETAPKAN.into(),
                    v: None,
                    k: None,
                }
            } else {
                p.target_cell(i.target)
            },
            realisasi: if i.belum_jatuh_tempo {
                Cell {
                    t: super::sections::BELUM_JATUH_TEMPO.into(),
                    v: None,
                    k: None,
                }
            } else {
                p.fig_cell(ws, i.realisasi.as_ref())
            },
            capaian: p.fig_cell(ws, i.capaian.as_ref()),
            tercapai: capaian.map(tercapai),
            jangka_menengah: i.jangka_menengah.as_ref().map(|jm| JangkaView {
                tahun: jm.tahun,
                target: p.target_cell(Some(jm.target)),
                capaian: p.pct_cell(Some(jm.capaian.value)),
            }),
            komponen: m
                .komponen
                .iter()
                .zip(&i.komponen)
                .map(|(mk, k)| ind(ws, mk, k, p))
                .collect(),
        }
    }
    let row = |model: Option<&'a BarisAnggaran>, kedalaman: usize, r: &BarisHasil| BarisView {
        fid: model.map_or_else(|| "total".to_string(), |m| m.id.clone()),
        kunci: model.map_or("total", |m| {
            if m.kode().is_empty() {
                &m.nama.value
            } else {
                m.kode()
            }
        }),
        kode: model.map_or("", |m| m.kode()),
        nama: model.map_or("Total", |m| m.nama.value.as_str()),
        kedalaman,
        pagu: p.rp_cell(Some(r.pagu)),
        // A realisasi not due at the period reported is not 0.
        realisasi: if r.periode.as_ref().is_some_and(|p| p.belum_jatuh_tempo) {
            Cell {
                t: super::sections::BELUM_JATUH_TEMPO.into(),
                v: None,
                k: None,
            }
        } else {
            p.rp_cell(Some(r.realisasi))
        },
        persen: p.pct_cell(r.persen),
        sisa: p.rp_cell(r.sisa),
        proporsi: p.pct_cell(r.proporsi),
    };
    let (a, m) = (&h.anggaran, &ws.anggaran);
    // Rows stand before their children: a row's depth is its parent's and one.
    let mut depth = vec![0usize; m.baris.len()];
    for (i, r) in m.baris.iter().enumerate() {
        depth[i] = r.induk.map_or(0, |p| depth[p] + 1);
    }
    let baris: Vec<BarisView> = m
        .baris
        .iter()
        .zip(&a.baris)
        .zip(&depth)
        .map(|((model, r), d)| row(Some(model), *d, r))
        .collect();
    let jenis: Vec<BarisView> = m
        .jenis_total()
        .map(|j| row(Some(&m.jenis_belanja[j]), 0, &a.jenis_belanja[j]))
        .collect();
    let sasaran: Vec<SasaranView> = ws
        .sasaran
        .iter()
        .zip(&h.sasaran)
        .map(|(model, s)| SasaranView {
            id: &model.id.value,
            nama: &model.nama,
            bobot: p.bobot_cell(model.bobot.as_ref()),
            capaian: p.fig_cell(ws, s.capaian.as_ref()),
            indikator: s.anggota.len(),
            tercapai: s.tercapai,
            belum_tercapai: s.belum_tercapai,
        })
        .collect();
    View {
        judul: format!("Laporan Kinerja {}", super::sections::periode_tahun(ws)),
        organisasi: &ws.manifest.organisasi,
        instansi: ws.manifest.instansi.as_deref(),
        tahun: ws.manifest.tahun,
        locale: match p.locale {
            Locale::Id => "id",
            Locale::En => "en",
        },
        tidak_memuat: ws.isi().tidak_memuat(),
        catatan: catatan(ws.isi(), p.locale),
        nilai_kinerja: p.fig_cell(ws, h.nilai_kinerja.as_ref()),
        indikator_tercapai: h.jumlah_tercapai().0,
        indikator_belum_tercapai: h.jumlah_tercapai().1,
        sasaran,
        // Tens of thousands of indikator in a national workspace: gathered in parallel.
        indikator: ws
            .indikator
            .par_iter()
            .zip(&h.indikator)
            .map(|(model, i)| ind(ws, model, i, p))
            .collect(),
        anggaran: AnggaranView {
            program: m.program.as_ref().map(|t| t.value.as_str()),
            kegiatan: baris,
            jenis_belanja: jenis,
            total: a.total.as_ref().map(|t| row(None, 0, t)),
            riwayat: m
                .riwayat
                .iter()
                .zip(&a.riwayat)
                .map(|(r, persen)| RiwayatView {
                    fid: format!("riwayat: {}", r.tahun),
                    tahun: r.tahun,
                    pagu: p.rp_cell(r.pagu.map(|n| n.value)),
                    realisasi: p.rp_cell(r.realisasi.map(|n| n.value)),
                    persen: p.pct_cell(*persen),
                })
                .collect(),
        },
    }
}

const TEMPLATE: &str = include_str!("web/page.html");
const STYLE: &str = include_str!("web/style.css");
const SCRIPT: &str = include_str!("web/app.js");
const CHART_STYLE: &str = include_str!("web/vendor/uplot/uPlot.min.css");
const CHART_SCRIPT: &str = include_str!("web/vendor/uplot/uPlot.iife.min.js");

/// How the page gets its data.
pub(crate) enum Mode<'a> {
    /// From the server that sent it (`kinerja serve`): it asks for the report and listens
    /// for changes.
    Live,
    /// Inside the page (`eval --format html`): this report, as JSON (a [`View`]).
    Static(&'a str),
}

/// The page, every asset inside it. `locale` is the language of its labels.
pub(crate) fn page(locale: Locale, mode: Mode) -> String {
    let data = match mode {
        Mode::Live => String::new(),
        // Inside a <script> element `</script` ends it and `<!--` changes how it is read:
        // every `<` (in JSON, only ever inside a string) is written as its escape instead.
        Mode::Static(json) => json.replace('<', "\\u003c"),
    };
    let lang = match locale {
        Locale::Id => "id",
        Locale::En => "en",
    };
    let mode = if data.is_empty() { "live" } else { "static" };
    let style = format!("{CHART_STYLE}\n{STYLE}");
    let (chart, script) = (script_safe(CHART_SCRIPT), script_safe(SCRIPT));
    // One pass over the template: what is filled in is never searched for markers.
    let mut out = String::with_capacity(
        TEMPLATE.len() + style.len() + chart.len() + script.len() + data.len(),
    );
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let fill = match &rest[start + 2..start + len] {
            "lang" => lang,
            "mode" => mode,
            "style" => &style,
            "chart" => &chart,
            "script" => &script,
            "data" => &data,
            // Not a marker: kept as written.
            _ => &rest[start..start + len + 2],
        };
        out.push_str(fill);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Script text that cannot close its own element.
fn script_safe(js: &str) -> String {
    js.replace("</script", "<\\/script")
}

/// The report as one self-contained page (`eval --format html`).
pub(crate) fn static_page(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    let data = format!("{{\"laporan\":{},\"static\":true}}", line(&view(ws, h, p)));
    page(p.locale, Mode::Static(&data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script_element() {
        let html = page(
            Locale::Id,
            Mode::Static(r#"{"nama":"</script><script>alert(1)</script>"}"#),
        );
        assert!(!html.contains("</script><script>alert(1)"));
        assert!(html.contains(r#"\u003c/script>\u003cscript>alert(1)\u003c/script>"#));
    }

    /// A banded figure's cell carries its band for the page's badge: label, colour and
    /// what the band means; other cells carry none.
    #[test]
    fn banded_cells_carry_their_band() {
        let a = crate::analysis::analyze(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            &crate::analysis::Options::default(),
        )
        .expect("the repository's workspace");
        let p = Presentation {
            rounding: Some(crate::base::number::Rounding::half_up(2)),
            locale: Locale::Id,
            width: 120,
        };
        let json = line(&view(&a.workspace, &a.hasil, &p));
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let ind = |id: &str| {
            v["indikator"]
                .as_array()
                .and_then(|l| l.iter().find(|i| i["id"] == id))
                .cloned()
                .unwrap_or_default()
        };
        let sakip = ind("IKP6.2");
        assert_eq!(sakip["realisasi"]["t"], "77,51");
        assert_eq!(sakip["realisasi"]["k"]["label"], "BB");
        assert_eq!(sakip["realisasi"]["k"]["tabel"], "predikat_sakip");
        assert_eq!(sakip["realisasi"]["k"]["keterangan"], "Sangat Baik");
        assert_eq!(sakip["realisasi"]["k"]["rgb"], "#689F38");
        assert!(sakip["capaian"].get("k").is_none());
        assert_eq!(ind("IKP7.1")["realisasi"]["k"]["label"], "A");
        assert!(ind("IKP6.1")["realisasi"].get("k").is_none());
    }

    #[test]
    fn every_asset_is_inside_the_page() {
        let html = page(Locale::En, Mode::Live);
        for marker in [
            "{{lang}}",
            "{{mode}}",
            "{{style}}",
            "{{chart}}",
            "{{script}}",
            "{{data}}",
        ] {
            assert!(!html.contains(marker), "{marker} left in the page");
        }
        // Nothing is fetched from elsewhere: no external scripts, styles or fonts.
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!html.contains(external), "{external} in the page");
        }
        assert!(html.contains("uPlot"));
        assert!(html.contains("lang=\"en\""));
    }
}
