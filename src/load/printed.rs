//! Reading what a report printed (`dicetak`) and the tables it printed (`tabel`).

use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::Diagnostics;
use crate::model::{BarisTabel, Cetakan, Dicetak, Tabel, Text};

/// The keys a `dicetak:` mapping may hold, by where it stands.
pub(crate) const PRINTED_INDIKATOR: &[&str] =
    &["target", "realisasi", "capaian", "capaian_jangka_menengah"];
pub(crate) const PRINTED_SASARAN: &[&str] = &["capaian"];
pub(crate) const PRINTED_MANIFEST: &[&str] = &[
    "nilai_kinerja",
    "rata_rata_capaian_indikator",
    "jumlah_sasaran",
    "jumlah_indikator",
    "jumlah_indikator_tercapai",
    "jumlah_indikator_belum_tercapai",
    "persen_indikator_tercapai",
    "persen_indikator_belum_tercapai",
];
/// Keys a printing may carry besides its figures.
const PRINTING_KEYS: &[&str] = &["sumber", "diketahui"];
const TABEL_KEYS: &[&str] = &["nama", "sumber", "baris", "jumlah", "diketahui"];
pub(crate) const PRINTED_BUDGET: &[&str] = &["pagu", "realisasi", "persen", "sisa"];

/// `dicetak: {capaian: 93.42}`, or a list of printings, each with its own `sumber`
/// and, for a known disagreement, `diketahui`.
pub(super) fn dicetak(node: Option<&Node>, keys: &[&str], diags: &mut Diagnostics) -> Dicetak {
    let mut out = Dicetak::default();
    let Some(node) = node else { return out };
    match &node.kind {
        NodeKind::Seq(items) => {
            for item in items {
                printing(item, keys, &mut out, diags);
            }
        }
        _ => printing(node, keys, &mut out, diags),
    }
    out
}

pub(super) fn printing(node: &Node, keys: &[&str], out: &mut Dicetak, diags: &mut Diagnostics) {
    let Some(mut m) = node.as_map("dicetak", diags) else {
        return;
    };
    let sumber = m.opt_string("sumber", diags);
    let diketahui = m.opt_string("diketahui", diags);
    for key in keys {
        if let Some(n) = m.opt(key)
            && let Some(nilai) = n.as_num(diags)
        {
            let span = m.key_span(key).unwrap_or(n.span);
            out.figures.push(Cetakan {
                ukuran: Text {
                    value: key.to_string(),
                    span,
                },
                nilai,
                sumber: sumber.clone(),
                diketahui: diketahui.clone(),
            });
        }
    }
    let all: Vec<&str> = keys.iter().chain(PRINTING_KEYS).copied().collect();
    m.finish(&all, diags);
}

pub(super) fn tabel(node: &Node, diags: &mut Diagnostics) -> Option<Tabel> {
    let mut m = node.as_map("a tabel", diags)?;
    let nama = m.req("nama", diags).and_then(|n| n.as_text(diags));
    let sumber = m.opt_string("sumber", diags);
    let diketahui = m.opt_string("diketahui", diags);
    let mut baris = Vec::new();
    if let Some(rows) = m.req("baris", diags).and_then(|n| n.as_seq(diags)) {
        for row in rows {
            let Some(mut r) = row.as_map("a tabel row", diags) else {
                continue;
            };
            let nama = r
                .opt("nama")
                .and_then(|n| n.as_text(diags))
                .map(|t| t.value)
                .unwrap_or_default();
            let nilai = r
                .rest()
                .into_iter()
                .filter_map(|(k, v)| v.as_num(diags).map(|n| (k.name.to_string(), n)))
                .collect();
            baris.push(BarisTabel { nama, nilai });
        }
    }
    let mut jumlah = Vec::new();
    if let Some(mut j) = m
        .req("jumlah", diags)
        .and_then(|n| n.as_map("tabel.jumlah", diags))
    {
        for (k, v) in j.rest() {
            if let Some(n) = v.as_num(diags) {
                jumlah.push((
                    Text {
                        value: k.name.to_string(),
                        span: k.span,
                    },
                    n,
                ));
            }
        }
    }
    m.finish(TABEL_KEYS, diags);
    Some(Tabel {
        nama: nama?,
        sumber,
        baris,
        jumlah,
        diketahui,
    })
}
