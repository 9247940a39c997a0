//! Reading a chronology of pagu changes (`kronologi:`), on a budget row, a jenis belanja
//! row or a budget file's total: each change's date, kind and amounts, in date order. What
//! one kind of change needs of its amounts (a `pagu_awal` first and with `jumlah`, a
//! positive `jumlah` for a saving) and whether a date lies in the year are checked by
//! validation, where the whole workspace is known: an editor's schema cannot tell them.

use super::fields::{TANGGAL, TANGGAL_DOC, choice, in_date_order, tanggal};
use super::shape::{Field, Mapping, Shape};
use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{JenisPerubahan, Kronologi, Perubahan};

/// `kronologi:` as a list of changes, or `{perubahan: […], diketahui: …}`.
pub(super) const KRONOLOGI: Shape = Shape::Either(&[
    Shape::List(&Shape::Map(&PERUBAHAN)),
    Shape::Map(&KRONOLOGI_MAP),
]);

pub(super) const KRONOLOGI_DOC: &str = "The dated changes of the pagu over the year (DIPA awal, revisions, savings, grants, blocks), in date order: `[{tanggal: 2022-01, jenis: pagu_awal, jumlah: 413_885_279_000, sumber: \"L1438\"}, …]`; or `{perubahan: […], diketahui: \"…\"}` where the report leaves a gap to the final pagu and why is known. A row that gives a chronology may leave `pagu` out: its pagu is then the chronology's final pagu. The audit checks that the chronology reaches the pagu (A007).";

static KRONOLOGI_MAP: Mapping = Mapping {
    what: "a kronologi",
    name: "kronologi",
    doc: "A chronology of pagu changes with a note: `perubahan` the changes, `diketahui` why the chronology not reaching the final pagu is known.",
    fields: &[
        Field::req(
            "perubahan",
            Shape::List(&Shape::Map(&PERUBAHAN)),
            "The changes, in date order.",
        ),
        Field::opt(
            "diketahui",
            Shape::Text,
            "Why the chronology not reaching the final pagu is known (the report does not itemise every change): the audit's finding is then listed as known.",
        ),
    ],
    data: None,
    examples: &[
        "{perubahan: [{tanggal: 2022-01, jenis: pagu_awal, jumlah: 1_000}], diketahui: the report names no other change}",
    ],
};

static PERUBAHAN: Mapping = Mapping {
    what: "a pagu change",
    name: "perubahan",
    doc: "One dated change of the pagu: its date, its kind, the amount and/or the pagu after it, and where the report says so.",
    fields: &[
        Field::req("tanggal", TANGGAL, TANGGAL_DOC),
        Field::req(
            "jenis",
            Shape::Choice(&JenisPerubahan::NAMES),
            "What the change is: `pagu_awal` (the allocation the year starts with, DIPA awal: the first change, with `jumlah`), `revisi` (a revision: `jumlah` added, negative to cut, and/or `menjadi`, the pagu the report states after it), `penghematan` (a saving: `jumlah` taken off), `hibah` (a grant taken in: `jumlah` added), `blokir` (`jumlah` blocked: the pagu stands, part of it may not be spent), `buka_blokir` (`jumlah` opened again).",
        ),
        Field::opt(
            "jumlah",
            Shape::Number,
            "The amount in rupiah: the allocation of a `pagu_awal`, what a `revisi` adds (negative to cut), what a `penghematan` takes off, a `hibah` adds, a `blokir` blocks or a `buka_blokir` opens (positive).",
        ),
        Field::opt(
            "menjadi",
            Shape::Number,
            "The pagu after the change, as the report states it (`revisi`, `penghematan`, `hibah`). Beside `jumlah` the audit checks that they agree; alone, the change is the difference to the pagu before.",
        ),
        Field::opt(
            "keterangan",
            Shape::Text,
            "What the change is for, as the report says: `tambahan Bansos BLT BBM`.",
        ),
        Field::opt(
            "sumber",
            Shape::Text,
            "Where the report says so: `L1290`, `grafik kronologi anggaran`.",
        ),
        Field::opt(
            "diketahui",
            Shape::Text,
            "Why a finding about this change is known: a stated pagu its amount does not reach, a block opened that the report never dates.",
        ),
    ],
    data: None,
    examples: &[
        "{tanggal: 2022-01, jenis: pagu_awal, jumlah: 413_885_279_000, sumber: L1438}",
        "{tanggal: 2022-09-09, jenis: revisi, jumlah: 12_962_005_000_000, menjadi: 13_375_890_279_000, keterangan: BLT BBM, sumber: L1290, diketahui: as printed}",
    ],
};

/// A chronology as written; `None` (reported) where it is not a list or a mapping of one.
/// Entries that cannot be read are left out (reported); what is left must stand in date
/// order (P005). `whose`: the row it belongs to, as messages name it (`kegiatan `1001``).
pub(super) fn read(node: &Node, whose: &str, diags: &mut Diagnostics) -> Option<Kronologi> {
    let (items, diketahui) = match &node.kind {
        NodeKind::Seq(items) => (items.as_slice(), None),
        NodeKind::Map(_) => {
            let mut m = node.as_map(&KRONOLOGI_MAP, diags)?;
            let items = m.req("perubahan", diags).and_then(|n| n.as_seq(diags));
            let diketahui = m.opt("diketahui").and_then(|n| n.as_text(diags));
            m.finish(diags);
            (items?, diketahui)
        }
        // Its mistake is reported already.
        NodeKind::Reported => return None,
        other => {
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "expected a list of pagu changes, found {}",
                        other.describe()
                    ),
                )
                .at(node.span, "should be a list of changes")
                .hint("write the changes as a list, `kronologi: [{tanggal: 2022-01, jenis: pagu_awal, jumlah: 1_000_000}]`, or `kronologi: {perubahan: […], diketahui: \"…\"}`"),
            );
            return None;
        }
    };
    let perubahan: Vec<Perubahan> = items.iter().filter_map(|n| entry(n, diags)).collect();
    let dates: Vec<_> = perubahan.iter().map(|p| (p.tanggal, p.span)).collect();
    in_date_order(&dates, &format!("the pagu changes of {whose}"), diags);
    Some(Kronologi {
        perubahan,
        diketahui,
    })
}

fn entry(node: &Node, diags: &mut Diagnostics) -> Option<Perubahan> {
    let mut m = node.as_map(&PERUBAHAN, diags)?;
    let tanggal = m.req("tanggal", diags).and_then(|n| tanggal(n, diags));
    let jenis = m
        .req("jenis", diags)
        .and_then(|n| choice(n, &JenisPerubahan::NAMES, diags))
        .and_then(|j| JenisPerubahan::from_name(&j));
    let (jumlah_node, menjadi_node) = (m.opt("jumlah"), m.opt("menjadi"));
    let jumlah = jumlah_node.and_then(|n| n.as_num(diags));
    let menjadi = menjadi_node.and_then(|n| n.as_num(diags));
    let keterangan = m.opt("keterangan").and_then(|n| n.as_text(diags));
    let sumber = m.opt("sumber").and_then(|n| n.as_text(diags));
    let diketahui = m.opt("diketahui").and_then(|n| n.as_text(diags));
    m.finish(diags);
    // An amount written but unreadable (reported) leaves the change out: stepping through
    // the others without it would give every later pagu wrong.
    if (jumlah_node.is_some() && jumlah.is_none()) || (menjadi_node.is_some() && menjadi.is_none())
    {
        return None;
    }
    let (tanggal, span) = tanggal?;
    Some(Perubahan {
        tanggal,
        span,
        jenis: jenis?,
        jumlah,
        menjadi,
        keterangan,
        sumber,
        diketahui,
    })
}

/// A chronology given twice for one row (two files that write the same row, or the
/// total's in two budget files): one is kept, the other reported with both places (M001).
pub(super) fn twice(first: &Kronologi, again: &Kronologi, whose: &str, diags: &mut Diagnostics) {
    let at = |k: &Kronologi| k.perubahan.first().map(|p| p.span);
    let (Some(again_at), Some(first_at)) = (at(again), at(first)) else {
        return;
    };
    diags.push(
        Diagnostic::error(
            Code::DuplicateId,
            format!("{whose} has two chronologies of its pagu"),
        )
        .at(again_at, "a chronology given again here")
        .also(first_at, "first given here")
        .hint("a pagu has one chronology: keep its changes in one place, in date order, and leave `kronologi` out of the other"),
    );
}
