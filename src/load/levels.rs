//! The budget's rows across files: each file's rows (a program holding its kegiatan, a
//! kegiatan its sub kegiatan, to any depth the manifest names) merged by code into one
//! hierarchy. A row given in two files is one row, its children merged; two files that
//! give it differently (other amounts, another name) are a clash, reported with both
//! places. A row written at the top of a file whose level is not the first (a file of one
//! kegiatan's sub kegiatan) joins the row with that code under its parent elsewhere.

use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::source::Span;
use crate::model::{
    Anggaran, BarisAnggaran, Berkala, Dicetak, Kronologi, Num, PerPeriode, Rincian, Riwayat, Skema,
    Text, budget_id,
};
// aHash: keyed by the workspace's codes, not by adversaries.
use ahash::AHashMap as HashMap;

/// A row as files give it, before the hierarchy is complete.
#[derive(Debug)]
pub(super) struct Draft {
    /// Its level: an index into the manifest's levels (0 for a jenis belanja row).
    pub(super) tingkat: usize,
    pub(super) kode: Option<Text>,
    pub(super) nama: Option<Text>,
    /// The amounts as written.
    pub(super) pagu: Option<Num>,
    pub(super) realisasi: Option<Num>,
    /// Its realisasi per period as written, and how they are given (instead of
    /// `realisasi`).
    pub(super) realisasi_periode: Option<(PerPeriode<Num>, Berkala)>,
    /// Its disbursement plan (`rpd:`).
    pub(super) rpd: Option<(PerPeriode<Num>, Berkala)>,
    /// The amounts line data gives it: added up over sources, never a clash; they stand
    /// for amounts the row does not write.
    pub(super) lines: Option<(Num, Num)>,
    /// The realisasi per period line data gives it, where every source of its lines has a
    /// period column: it then stands for the realisasi the row does not write.
    pub(super) lines_periode: Option<PerPeriode<Num>>,
    /// Whether the file that wrote it has line data (which may supply its amounts).
    pub(super) file_has_lines: bool,
    /// An amount is written but cannot be read (reported): the row is left out, without
    /// being called incomplete.
    pub(super) broken: bool,
    pub(super) dicetak: Dicetak,
    /// Its dated pagu changes (empty where it gives none).
    pub(super) kronologi: Kronologi,
    /// Its own jenis belanja breakdown.
    pub(super) jenis: Vec<Draft>,
    pub(super) anak: Vec<Draft>,
    /// The row, and its first key (where a missing key is reported).
    pub(super) span: Span,
    pub(super) first_key: Span,
}

impl Draft {
    /// Whether two rows of one level are the same row: by code where both have one, else by
    /// name (a row written without its code is the coded row of that name).
    fn same_row(&self, other: &Draft) -> bool {
        fn text(t: &Option<Text>) -> Option<&str> {
            t.as_ref().map(|t| t.value.as_str())
        }
        match (text(&self.kode), text(&other.kode)) {
            (Some(a), Some(b)) => a == b,
            _ => text(&self.nama).is_some() && text(&self.nama) == text(&other.nama),
        }
    }

    /// How a row is named in messages: its code, else its name.
    fn key(&self) -> Option<&str> {
        self.kode
            .as_ref()
            .or(self.nama.as_ref())
            .map(|t| t.value.as_str())
    }
}

/// A line item before its row is known: a kegiatan by code or name (`rincian:`), or the
/// row line data made (an index into [`Budget`]'s rows).
#[derive(Debug)]
pub(super) enum RincianOf {
    Named(Text),
    Row(usize),
}

#[derive(Debug)]
pub(super) struct RincianDraft {
    pub(super) of: RincianOf,
    /// The code the line names, for messages: the kegiatan, or the deepest level's code.
    pub(super) kode: Text,
    pub(super) jenis_belanja: Text,
    pub(super) pagu: Num,
    pub(super) realisasi: Num,
}

/// A row of the hierarchy being built.
#[derive(Debug)]
struct Node {
    draft: Draft,
    induk: Option<usize>,
    anak: Vec<usize>,
    /// Merged into this row (the row is gone).
    merged_into: Option<usize>,
}

/// Every budget file's rows, merged as they are read.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    /// The budget's own jenis belanja rows.
    jenis: Vec<Draft>,
    program: Option<Text>,
    pub(super) rincian: Vec<RincianDraft>,
    pub(super) riwayat: Vec<Riwayat>,
    pub(super) dicetak_total: Dicetak,
    /// The dated changes of the total's pagu (a budget file's own `kronologi:`).
    kronologi_total: Kronologi,
}

impl Budget {
    /// The programme's name, as a file gives it: two files naming two programmes clash.
    pub(super) fn program(&mut self, name: Text, diags: &mut Diagnostics) {
        match &self.program {
            None => self.program = Some(name),
            Some(first) if first.value == name.value => {}
            Some(first) => diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "two budget files name different programmes: `{}` and `{}`",
                        first.value, name.value
                    ),
                )
                .at(name.span, "this programme")
                .also(first.span, "first named here")
                .hint(
                    "a budget has one `program:` name: write the same one in every file; a budget of several programmes gives them as rows, `program: [{kode: …, nama: …, kegiatan: […]}]`, with `program` a level (`anggaran: {tingkat: [program, kegiatan, sub_kegiatan]}`, the default of `skema: daerah`)",
                ),
            ),
        }
    }

    /// The chronology of the total's pagu, as a file gives it: two files giving one clash.
    pub(super) fn kronologi_total(&mut self, k: Kronologi, diags: &mut Diagnostics) {
        if self.kronologi_total.is_empty() {
            self.kronologi_total = k;
        } else {
            super::kronologi::twice(&self.kronologi_total, &k, "the budget's total", diags);
        }
    }

    /// Adds one file's rows of one list, at the top of the hierarchy.
    pub(super) fn add_roots(
        &mut self,
        rows: Vec<Draft>,
        levels: &[String],
        diags: &mut Diagnostics,
    ) {
        for row in rows {
            let n = self.build(row, None);
            self.place(n, None, levels, diags);
        }
    }

    /// Adds rows made from line data; returns the index each path of codes ended at, for
    /// the line items that name them.
    pub(super) fn add_line_row(
        &mut self,
        path: &[(usize, &str)],
        amounts: (Num, Num),
        mut periods: Option<PerPeriode<Num>>,
        span: Span,
        levels: &[String],
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        let mut draft: Option<Draft> = None;
        for (i, &(tingkat, code)) in path.iter().enumerate().rev() {
            let last = i + 1 == path.len();
            let text = Text {
                value: code.to_string(),
                span,
            };
            let row = Draft {
                tingkat,
                kode: Some(text),
                nama: None,
                pagu: None,
                realisasi: None,
                realisasi_periode: None,
                rpd: None,
                lines: last.then_some(amounts),
                lines_periode: if last { periods.take() } else { None },
                file_has_lines: true,
                broken: false,
                dicetak: Dicetak::default(),
                kronologi: Kronologi::default(),
                jenis: Vec::new(),
                anak: draft.take().into_iter().collect(),
                span,
                first_key: span,
            };
            draft = Some(row);
        }
        let n = self.build(draft?, None);
        let placed = self.place(n, None, levels, diags);
        // The leaf: follow the path down from where the top row went.
        let mut at = placed;
        for &(tingkat, code) in &path[1..] {
            at = *self.nodes[at].anak.iter().find(|&&c| {
                self.nodes[c].draft.tingkat == tingkat && self.nodes[c].draft.key() == Some(code)
            })?;
        }
        Some(at)
    }

    /// The budget's own jenis belanja rows of one file.
    pub(super) fn add_jenis(&mut self, rows: Vec<Draft>, diags: &mut Diagnostics) {
        let mut jenis = std::mem::take(&mut self.jenis);
        merge_jenis(&mut jenis, rows, diags);
        self.jenis = jenis;
    }

    /// Makes nodes of a row and its children, unplaced.
    fn build(&mut self, mut draft: Draft, induk: Option<usize>) -> usize {
        let anak = std::mem::take(&mut draft.anak);
        let n = self.nodes.len();
        self.nodes.push(Node {
            draft,
            induk,
            anak: Vec::new(),
            merged_into: None,
        });
        for child in anak {
            let c = self.build(child, Some(n));
            self.nodes[n].anak.push(c);
        }
        n
    }

    /// Puts node `n` under `parent` (the top when `None`): merged into the row there with
    /// its level and key, else as a new row. Returns where it went.
    fn place(
        &mut self,
        n: usize,
        parent: Option<usize>,
        levels: &[String],
        diags: &mut Diagnostics,
    ) -> usize {
        let siblings = match parent {
            Some(p) => &self.nodes[p].anak,
            None => &self.roots,
        };
        let row = &self.nodes[n].draft;
        let same = siblings.iter().copied().find(|&s| {
            s != n
                && self.nodes[s].draft.tingkat == row.tingkat
                && self.nodes[s].draft.same_row(row)
        });
        match same {
            Some(s) => {
                self.merge(s, n, levels, diags);
                s
            }
            None => {
                self.nodes[n].induk = parent;
                match parent {
                    Some(p) => {
                        if !self.nodes[p].anak.contains(&n) {
                            self.nodes[p].anak.push(n);
                        }
                    }
                    None => self.roots.push(n),
                }
                n
            }
        }
    }

    /// Merges node `from` into node `into`: the same row, given twice.
    fn merge(&mut self, into: usize, from: usize, levels: &[String], diags: &mut Diagnostics) {
        let level = &levels[self.nodes[into].draft.tingkat];
        let (a, b) = two(&mut self.nodes, into, from);
        merge_fields(&mut a.draft, &mut b.draft, level, diags);
        let jenis = std::mem::take(&mut b.draft.jenis);
        merge_jenis(&mut a.draft.jenis, jenis, diags);
        b.merged_into = Some(into);
        let children = std::mem::take(&mut b.anak);
        for c in children {
            self.place(c, Some(into), levels, diags);
        }
    }

    /// The row node `n` ended in, following merges.
    fn resolve(&self, mut n: usize) -> usize {
        while let Some(m) = self.nodes[n].merged_into {
            n = m;
        }
        n
    }

    /// The hierarchy, complete: rows written at the top of a file below the first level
    /// joined with their row elsewhere, every row's name and amounts settled (a row with
    /// neither amounts nor children is reported), ids given, line items tied to their rows.
    pub(crate) fn finish(
        mut self,
        levels: &[String],
        skema: Skema,
        diags: &mut Diagnostics,
    ) -> Anggaran {
        self.adopt(levels, diags);
        let mut out = Anggaran {
            program: self.program.take(),
            ..Anggaran::default()
        };
        // Pre-order: each row before its children, as written.
        let mut index: HashMap<usize, usize> = HashMap::new();
        let mut stack: Vec<(usize, Option<usize>)> =
            self.roots.iter().rev().map(|&r| (r, None)).collect();
        let mut jenis_of_rows: Vec<(usize, Vec<Draft>)> = Vec::new();
        while let Some((n, induk)) = stack.pop() {
            let node = &mut self.nodes[n];
            let draft = &mut node.draft;
            let level = &levels[draft.tingkat];
            let has_children = !node.anak.is_empty();
            let Some(row) = settle(draft, level, has_children, false, skema, diags) else {
                // A row that cannot be used takes its children with it (reported).
                continue;
            };
            let i = out.baris.len();
            index.insert(n, i);
            out.baris.push(BarisAnggaran { induk, ..row });
            if let Some(p) = induk {
                out.baris[p].anak.push(i);
            }
            let jenis = std::mem::take(&mut draft.jenis);
            if !jenis.is_empty() {
                jenis_of_rows.push((i, jenis));
            }
            for &c in node.anak.iter().rev() {
                stack.push((c, Some(i)));
            }
        }
        ids(&mut out.baris, levels);
        for d in std::mem::take(&mut self.jenis) {
            if let Some(row) = settle_jenis(d, skema, diags) {
                out.jenis_belanja.push(BarisAnggaran {
                    id: budget_id("jenis_belanja", row.kode(), &row.nama.value),
                    ..row
                });
            }
        }
        for (owner, rows) in jenis_of_rows {
            for d in rows {
                if let Some(row) = settle_jenis(d, skema, diags) {
                    let id = format!(
                        "{} / {}",
                        out.baris[owner].id,
                        budget_id("jenis_belanja", row.kode(), &row.nama.value)
                    );
                    out.jenis_belanja.push(BarisAnggaran {
                        id,
                        induk: Some(owner),
                        ..row
                    });
                }
            }
        }
        let kegiatan = levels.iter().position(|l| l == "kegiatan");
        for r in std::mem::take(&mut self.rincian) {
            let baris = match &r.of {
                RincianOf::Row(n) => index.get(&self.resolve(*n)).copied(),
                RincianOf::Named(t) => {
                    let mut found =
                        out.baris.iter().enumerate().filter(|(_, b)| {
                            Some(b.tingkat) == kegiatan && b.key().value == t.value
                        });
                    match (found.next(), found.next()) {
                        (Some((i, _)), None) => Some(i),
                        (Some((_, first)), Some((_, second))) => {
                            // Two kegiatan of this name (under two programmes): which one
                            // the line means cannot be told; it is not unknown either.
                            diags.push(
                                Diagnostic::error(
                                    Code::UnknownReference,
                                    format!(
                                        "rincian names kegiatan `{}`, and two kegiatan have that name",
                                        t.value
                                    ),
                                )
                                .at(t.span, "which of them?")
                                .also(first.span, "one")
                                .also(second.span, "another")
                                .hint("name the kegiatan by its code (`kegiatan: 1.01.01.2.01`), or give the kegiatan codes"),
                            );
                            continue;
                        }
                        _ => None,
                    }
                }
            };
            out.rincian.push(Rincian {
                kegiatan: r.kode,
                baris,
                jenis_belanja: r.jenis_belanja,
                pagu: r.pagu,
                realisasi: r.realisasi,
            });
        }
        out.riwayat = self.riwayat;
        out.dicetak_total = self.dicetak_total;
        out.kronologi_total = self.kronologi_total;
        out
    }

    /// Rows written at the top of a file whose level is not the first: each joins the one
    /// row of its level and key that stands under a parent, where there is one.
    fn adopt(&mut self, levels: &[String], diags: &mut Diagnostics) {
        // Higher levels first, each in file order: a kegiatan joins its programme before a
        // sub kegiatan looks for the kegiatan it belongs under, whatever the files' order.
        let mut roots = self.roots.clone();
        roots.sort_by_key(|&r| self.nodes[r].draft.tingkat);
        let mut orphans = Vec::new();
        for r in roots {
            if self.nodes[r].merged_into.is_some() || self.nodes[r].draft.tingkat == 0 {
                continue;
            }
            let (tingkat, key) = (self.nodes[r].draft.tingkat, self.nodes[r].draft.key());
            let placed: Vec<usize> = (0..self.nodes.len())
                .filter(|&n| {
                    n != r
                        && self.nodes[n].merged_into.is_none()
                        && self.nodes[n].induk.is_some()
                        && self.attached(n)
                        && self.nodes[n].draft.tingkat == tingkat
                        && self.nodes[n].draft.same_row(&self.nodes[r].draft)
                })
                .collect();
            match placed.as_slice() {
                [] => orphans.push(r),
                [one] => {
                    self.roots.retain(|&x| x != r);
                    self.merge(*one, r, levels, diags);
                }
                [first, second, ..] => {
                    let level = &levels[tingkat];
                    let d = &self.nodes[r].draft;
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!(
                                "{level} `{}` is written at the top here, and {} rows of that level have this code under other rows",
                                key.unwrap_or_default(),
                                placed.len()
                            ),
                        )
                        .at(d.kode.as_ref().map_or(d.span, |k| k.span), "which of them is this?")
                        .also(self.nodes[*first].draft.span, "one")
                        .also(self.nodes[*second].draft.span, "another")
                        .hint(format!(
                            "write it under its parent row, `{}: [{{kode: …, {level}: [{{kode: {}, …}}]}}]`",
                            levels[tingkat - 1],
                            key.unwrap_or_default()
                        )),
                    );
                }
            }
        }
        self.orphans(orphans, levels, diags);
    }

    /// Rows written at the top of a file below the first level that joined no row, in a
    /// budget whose top rows include a higher level: standing beside those, they would be
    /// counted a second time (a kegiatan already inside its programme's amounts) or as a
    /// programme of their own (a mistyped code). Where every top row is of their level (a
    /// budget written from the kegiatan down), they are its top rows.
    fn orphans(&mut self, orphans: Vec<usize>, levels: &[String], diags: &mut Diagnostics) {
        let Some(highest) = self
            .roots
            .iter()
            .filter(|&&r| self.nodes[r].merged_into.is_none())
            .map(|&r| self.nodes[r].draft.tingkat)
            .min()
        else {
            return;
        };
        for r in orphans {
            let d = &self.nodes[r].draft;
            if d.tingkat == highest || self.nodes[r].merged_into.is_some() {
                continue;
            }
            let level = &levels[d.tingkat];
            let above = &levels[d.tingkat - 1];
            let key = d.key().unwrap_or_default().to_string();
            diags.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!(
                        "{level} `{key}` is written at the top here, but no {above} holds a {level} with this code"
                    ),
                )
                .at(
                    d.kode.as_ref().map_or(d.span, |k| k.span),
                    format!("not under any {above}"),
                )
                .hint(format!(
                    "the budget's top rows are {} rows, so this one would be counted beside them: write it under its {above} (`{above}: [{{kode: …, {level}: [{{kode: {key}, …}}]}}]`), or correct its code if it should join a {level} written elsewhere",
                    levels[highest]
                )),
            );
            self.roots.retain(|&x| x != r);
        }
    }

    /// Whether node `n` hangs from a root (not from a row merged away).
    fn attached(&self, mut n: usize) -> bool {
        loop {
            if self.nodes[n].merged_into.is_some() {
                return false;
            }
            match self.nodes[n].induk {
                Some(p) => n = p,
                None => return self.roots.contains(&n),
            }
        }
    }
}

/// Two distinct nodes, both mutable.
fn two(nodes: &mut [Node], a: usize, b: usize) -> (&mut Node, &mut Node) {
    if a < b {
        let (x, y) = nodes.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = nodes.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

/// Merges jenis belanja rows into a list by code: the same code is the same row.
fn merge_jenis(into: &mut Vec<Draft>, rows: Vec<Draft>, diags: &mut Diagnostics) {
    for mut row in rows {
        match into.iter_mut().find(|r| r.same_row(&row)) {
            Some(r) => merge_fields(r, &mut row, "jenis_belanja", diags),
            None => into.push(row),
        }
    }
}

/// The fields of `from` taken into `into`, the same row: what only one gives is taken, what
/// both give must agree (a clash is reported at `from`, the first place kept).
fn merge_fields(into: &mut Draft, from: &mut Draft, level: &str, diags: &mut Diagnostics) {
    if into.kode.is_none() {
        // The row written without its code, merged into or with the one that has it.
        into.kode = from.kode.take();
    }
    let key = into.key().unwrap_or_default().to_string();
    match (&into.nama, from.nama.take()) {
        (None, n) => into.nama = n,
        (Some(a), Some(b)) if a.value != b.value && into.kode.is_some() => diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!(
                    "{level} `{key}` has two names: `{}` and `{}`",
                    a.value, b.value
                ),
            )
            .at(b.span, "this name")
            .also(a.span, "first named here")
            .hint("rows with one code are one row: give it one name (the report's) in both places, or leave `nama` out of one"),
        ),
        _ => {}
    }
    for (what, a, b) in [
        ("pagu", &mut into.pagu, from.pagu),
        ("realisasi", &mut into.realisasi, from.realisasi),
    ] {
        match (&a, b) {
            (None, b) => *a = b,
            (Some(x), Some(y)) if x.value != y.value => diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "{level} `{key}` is given twice with different {what}: {} and {}",
                        x.value.normalize(),
                        y.value.normalize()
                    ),
                )
                .at(y.span, format!("{what} {}", y.value.normalize()))
                .also(x.span, format!("first given as {}", x.value.normalize()))
                .hint(format!(
                    "a row with the same code in two files is one row: keep its {what} in one place and leave it out of the other (a row with children may leave its amounts out: it is then their sum)"
                )),
            ),
            _ => {}
        }
    }
    merge_berkala(into, from, level, &key, diags);
    into.lines_periode = match (into.lines, from.lines) {
        (Some(_), Some(_)) => match (into.lines_periode.take(), from.lines_periode.take()) {
            (Some(a), Some(b)) => sum_periods(a, b),
            // Lines of a source without a period column say nothing of its periods.
            _ => None,
        },
        (Some(_), None) => into.lines_periode.take(),
        (None, _) => from.lines_periode.take(),
    };
    into.lines = match (into.lines, from.lines) {
        (Some((p1, r1)), Some((p2, r2))) => {
            match (
                p1.value.checked_add(p2.value),
                r1.value.checked_add(r2.value),
            ) {
                (Some(pagu), Some(realisasi)) => Some((
                    Num { value: pagu, ..p1 },
                    Num {
                        value: realisasi,
                        ..r1
                    },
                )),
                _ => {
                    diags.push(
                        Diagnostic::error(
                            Code::OutOfRange,
                            format!("the line data of {level} `{key}` adds up beyond what kinerja computes exactly"),
                        )
                        .at(p2.span, "these lines")
                        .also(p1.span, "and these")
                        .hint("check the amounts of the line data: one is probably mistyped"),
                    );
                    Some((p1, r1))
                }
            }
        }
        (a, b) => a.or(b),
    };
    // One chronology per row: a second is a clash, the first kept.
    if into.kronologi.is_empty() {
        into.kronologi = std::mem::take(&mut from.kronologi);
    } else if !from.kronologi.is_empty() {
        super::kronologi::twice(
            &into.kronologi,
            &from.kronologi,
            &format!("{level} `{key}`"),
            diags,
        );
    }
    into.file_has_lines |= from.file_has_lines;
    into.broken |= from.broken;
    into.dicetak
        .figures
        .extend(std::mem::take(&mut from.dicetak.figures));
}

/// The values per period of `from` taken into `into`, the same row: one place gives a
/// row's realisasi (one amount or per period) and one its plan; two are a clash, reported
/// at `from` (the first kept).
fn merge_berkala(
    into: &mut Draft,
    from: &mut Draft,
    level: &str,
    key: &str,
    diags: &mut Diagnostics,
) {
    let mut clash = |what: &str, at: Span, first: Span| {
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{level} `{key}` is given its {what} twice"),
            )
            .at(at, format!("{what} given again here"))
            .also(first, "first given here")
            .hint(format!(
                "a row with the same code in two files is one row: give its {what} in one place (one amount, or `per_periode`), and leave it out of the other"
            )),
        );
    };
    match (&into.realisasi_periode, from.realisasi_periode.take()) {
        (None, b) => into.realisasi_periode = b,
        (Some((_, a)), Some((_, b))) => clash("realisasi per period", b.span, a.span),
        _ => {}
    }
    match (&into.rpd, from.rpd.take()) {
        (None, b) => into.rpd = b,
        (Some((_, a)), Some((_, b))) => clash("rpd", b.span, a.span),
        _ => {}
    }
    // One amount in one place, per period in the other (the amount came from `from`).
    if let (Some(n), Some((_, b))) = (&into.realisasi, &into.realisasi_periode) {
        clash("realisasi", n.span, b.span);
        into.realisasi = None;
    }
}

/// Two sources' realisasi per period, summed period by period; `None` where a sum leaves
/// the decimal range (the line data is reported as overflowing).
fn sum_periods(a: PerPeriode<Num>, b: PerPeriode<Num>) -> Option<PerPeriode<Num>> {
    let mut out = a.nilai;
    for (p, span, n) in b.nilai {
        match out.iter_mut().find(|(q, _, _)| *q == p) {
            Some((_, _, m)) => m.value = m.value.checked_add(n.value)?,
            None => out.push((p, span, n)),
        }
    }
    out.sort_by_key(|(p, _, _)| *p);
    Some(PerPeriode { nilai: out })
}

/// A row's settled form: its name (a jenis belanja's from its code, line data's from its
/// code) and amounts (written, else from line data; a row with children may have none).
/// `None`, reported, when it has no name or neither amounts nor children.
fn settle(
    d: &mut Draft,
    level: &str,
    has_children: bool,
    jenis: bool,
    skema: Skema,
    diags: &mut Diagnostics,
) -> Option<BarisAnggaran> {
    if d.broken {
        return None;
    }
    let key = d.key().unwrap_or_default().to_string();
    let nama = match (&d.nama, &d.kode) {
        (Some(n), _) => n.clone(),
        (None, Some(k)) if jenis && skema.jenis_name(&k.value).is_some() => Text {
            value: skema.jenis_name(&k.value).unwrap_or_default().to_string(),
            span: k.span,
        },
        (None, Some(k)) if d.file_has_lines || has_children => k.clone(),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    format!("the {level} row `{key}` has no `nama`"),
                )
                .at(d.first_key, "`nama` belongs in here")
                .hint("add `nama:`, the row's name as the report prints it"),
            );
            return None;
        }
    };
    let kronologi = std::mem::take(&mut d.kronologi);
    let mut pagu = d.pagu.or(d.lines.map(|l| l.0));
    // A row without rows under it may leave its pagu to its chronology: the pagu that ends
    // at, placed at the change that set it (a row with rows under it is their sum, which
    // the audit checks the chronology against).
    if pagu.is_none()
        && !has_children
        && let Some((value, at)) = kronologi.pagu_akhir()
    {
        pagu = Some(Num {
            value,
            span: kronologi.perubahan[at].span,
            decimals: value.scale(),
        });
    }
    // Values per period written; else, for a row that writes no realisasi, the line
    // data's per period where its lines have a period column, else the lines' sum.
    let written = d.realisasi.is_some() || d.realisasi_periode.is_some();
    let (realisasi_periode, realisasi_berkala) = match (d.realisasi_periode.take(), written) {
        (Some((values, berkala)), _) => (values, Some(berkala)),
        (None, false) => match (d.lines_periode.take(), d.lines) {
            (Some(values), Some((_, r))) => (
                values,
                Some(Berkala {
                    span: r.span,
                    akumulasi: None,
                    dari_rincian: true,
                }),
            ),
            _ => (PerPeriode::default(), None),
        },
        (None, true) => (PerPeriode::default(), None),
    };
    let realisasi = match realisasi_berkala {
        Some(_) => None,
        None => d.realisasi.or(d.lines.map(|l| l.1)),
    };
    let (rpd, rpd_berkala) = match d.rpd.take() {
        Some((values, berkala)) => (values, Some(berkala)),
        None => (PerPeriode::default(), None),
    };
    if !has_children {
        let given = realisasi.is_some() || realisasi_berkala.is_some();
        let missing: Vec<&str> = [("pagu", pagu.is_some()), ("realisasi", given)]
            .iter()
            .filter(|(_, v)| !v)
            .map(|(k, _)| *k)
            .collect();
        match missing.as_slice() {
            [] => {}
            [one] => {
                diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!(
                            "{} is missing the required key `{one}`",
                            if jenis {
                                "a jenis belanja"
                            } else {
                                "a budget row"
                            }
                        ),
                    )
                    .at(d.first_key, format!("`{one}` belongs in here"))
                    .hint(if *one == "pagu" && !kronologi.is_empty() {
                        "add `pagu:`, or start its chronology with the allocation (`jenis: pagu_awal` with `jumlah`) so that its changes reach a pagu".to_string()
                    } else {
                        format!(
                            "add `{one}:`{}",
                            if jenis { "" } else { ", or the rows under it" }
                        )
                    }),
                );
                return None;
            }
            _ => {
                let label = if d.file_has_lines {
                    "no amounts here, and no lines for it in the CSV"
                } else {
                    "no amounts here, and no rows under it"
                };
                let hint = if jenis {
                    "give `pagu` and `realisasi`".to_string()
                } else if d.file_has_lines {
                    "give `pagu` and `realisasi`, or check the code against the CSV's column"
                        .to_string()
                } else {
                    "give `pagu` and `realisasi`, or the rows under it (a row with children is their sum)"
                        .to_string()
                };
                diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!("{level} `{key}` has no pagu and realisasi"),
                    )
                    .at(d.span, label)
                    .hint(hint),
                );
                return None;
            }
        }
    }
    Some(BarisAnggaran {
        id: String::new(),
        kode: d.kode.clone(),
        nama,
        pagu,
        realisasi,
        dari_rincian: d.pagu.is_none() && !written && d.lines.is_some(),
        dicetak: std::mem::take(&mut d.dicetak),
        span: d.span,
        tingkat: d.tingkat,
        induk: None,
        anak: Vec::new(),
        kronologi,
        realisasi_periode,
        rpd,
        realisasi_berkala,
        rpd_berkala,
    })
}

fn settle_jenis(mut d: Draft, skema: Skema, diags: &mut Diagnostics) -> Option<BarisAnggaran> {
    settle(&mut d, "jenis_belanja", false, true, skema, diags)
}

/// Each row's id: its level and code (`sub_kegiatan: 1.01.01.2.01.0001`), or name where it
/// has none; where two rows would share one (a code used under two parents), each is named
/// with its parent's id in front, `kro: QAH / ro: 001`.
fn ids(rows: &mut [BarisAnggaran], levels: &[String]) {
    let base: Vec<String> = rows
        .iter()
        .map(|r| budget_id(&levels[r.tingkat], r.kode(), &r.nama.value))
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *count.entry(b.as_str()).or_default() += 1;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in 0..rows.len() {
        let mut id = match rows[i].induk {
            Some(p) if count[base[i].as_str()] > 1 => format!("{} / {}", rows[p].id, base[i]),
            _ => base[i].clone(),
        };
        // Still shared (a code and another row's name alike): numbered in order.
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            id = format!("{id} #{n}");
        }
        rows[i].id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use rust_decimal::Decimal;

    fn levels() -> Vec<String> {
        ["program", "kegiatan", "sub_kegiatan"]
            .map(String::from)
            .to_vec()
    }

    fn span(file: u32, at: usize) -> Span {
        Span::new(FileId(file), at, at + 1)
    }

    fn text(v: &str, file: u32, at: usize) -> Text {
        Text {
            value: v.into(),
            span: span(file, at),
        }
    }

    fn amount(v: i64, file: u32, at: usize) -> Option<Num> {
        Some(Num {
            value: Decimal::from(v),
            span: span(file, at),
            decimals: 0,
        })
    }

    /// A row of level `t` in file `file`, placed at `at`.
    fn row(t: usize, kode: &str, file: u32, at: usize) -> Draft {
        Draft {
            tingkat: t,
            kode: Some(text(kode, file, at)),
            nama: Some(text(&format!("Row {kode}"), file, at)),
            pagu: None,
            realisasi: None,
            realisasi_periode: None,
            rpd: None,
            lines: None,
            lines_periode: None,
            file_has_lines: false,
            broken: false,
            dicetak: Dicetak::default(),
            kronologi: Kronologi::default(),
            jenis: Vec::new(),
            anak: Vec::new(),
            span: span(file, at),
            first_key: span(file, at),
        }
    }

    fn given(mut d: Draft, pagu: i64, realisasi: i64) -> Draft {
        d.pagu = amount(pagu, 0, 90);
        d.realisasi = amount(realisasi, 0, 91);
        d
    }

    fn with(mut d: Draft, anak: Vec<Draft>) -> Draft {
        d.anak = anak;
        d
    }

    #[test]
    fn a_row_in_two_files_is_one_row_with_the_children_of_both() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        b.add_roots(
            vec![with(
                row(0, "P", 0, 0),
                vec![with(
                    row(1, "K", 0, 1),
                    vec![given(row(2, "S1", 0, 2), 10, 9)],
                )],
            )],
            &l,
            &mut diags,
        );
        b.add_roots(
            vec![with(
                row(0, "P", 1, 0),
                vec![with(
                    row(1, "K", 1, 1),
                    vec![given(row(2, "S2", 1, 2), 5, 5)],
                )],
            )],
            &l,
            &mut diags,
        );
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let ids: Vec<&str> = a.baris.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "program: P",
                "kegiatan: K",
                "sub_kegiatan: S1",
                "sub_kegiatan: S2"
            ]
        );
        assert_eq!(a.baris[1].anak, [2, 3]);
        assert_eq!(a.baris[3].induk, Some(1));
        assert_eq!(a.roots().collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn a_row_at_the_top_of_a_file_joins_its_row_under_a_parent() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        // The kegiatan's own file comes first: it is placed once the programme is known.
        b.add_roots(
            vec![with(
                row(1, "K", 0, 1),
                vec![given(row(2, "S", 0, 2), 4, 3)],
            )],
            &l,
            &mut diags,
        );
        b.add_roots(
            vec![with(
                row(0, "P", 1, 0),
                vec![given(row(1, "K", 1, 1), 4, 3)],
            )],
            &l,
            &mut diags,
        );
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.roots().collect::<Vec<_>>(), [0]);
        assert_eq!(a.baris.len(), 3);
        assert_eq!(a.baris[1].anak, [2]);
        assert_eq!(a.baris[1].pagu.map(|n| n.value), Some(Decimal::from(4)));
    }

    #[test]
    fn amounts_that_differ_clash_and_the_first_stands() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        b.add_roots(vec![given(row(0, "P", 0, 0), 10, 9)], &l, &mut diags);
        b.add_roots(vec![given(row(0, "P", 1, 0), 10, 8)], &l, &mut diags);
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        let diags = diags.into_vec();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::DuplicateId);
        assert!(diags[0].message.contains("different realisasi: 9 and 8"));
        assert_eq!(
            a.baris[0].realisasi.map(|n| n.value),
            Some(Decimal::from(9))
        );
    }

    #[test]
    fn a_code_under_two_parents_is_named_with_its_parent() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        b.add_roots(
            vec![
                with(row(1, "A", 0, 0), vec![given(row(2, "001", 0, 1), 1, 1)]),
                with(row(1, "B", 0, 2), vec![given(row(2, "001", 0, 3), 2, 2)]),
            ],
            &l,
            &mut diags,
        );
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        let ids: Vec<&str> = a.baris.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "kegiatan: A",
                "kegiatan: A / sub_kegiatan: 001",
                "kegiatan: B",
                "kegiatan: B / sub_kegiatan: 001"
            ]
        );
        // Written at the top, the code is ambiguous: reported, not guessed.
        let mut b = Budget::default();
        b.add_roots(
            vec![
                with(row(1, "A", 0, 0), vec![given(row(2, "001", 0, 1), 1, 1)]),
                with(row(1, "B", 0, 2), vec![given(row(2, "001", 0, 3), 2, 2)]),
            ],
            &l,
            &mut diags,
        );
        b.add_roots(vec![given(row(2, "001", 1, 0), 1, 1)], &l, &mut diags);
        b.finish(&l, Skema::Daerah, &mut diags);
        let diags = diags.into_vec();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]
                .message
                .contains("2 rows of that level have this code")
        );
    }

    #[test]
    fn a_row_with_neither_amounts_nor_children_is_reported() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        b.add_roots(vec![row(0, "P", 0, 0)], &l, &mut diags);
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        assert!(a.baris.is_empty());
        let diags = diags.into_vec();
        assert_eq!(diags[0].code, Code::MissingKey);
        assert_eq!(diags[0].message, "program `P` has no pagu and realisasi");
    }

    /// A chronology of one pagu awal of `jumlah`, written in `file` at `at`.
    fn kronologi(jumlah: i64, file: u32, at: usize) -> Kronologi {
        Kronologi {
            perubahan: vec![crate::model::Perubahan {
                tanggal: crate::model::Tanggal::parse("2022-01")
                    .unwrap_or_else(|e| panic!("{e:?}")),
                span: span(file, at),
                jenis: crate::model::JenisPerubahan::PaguAwal,
                jumlah: amount(jumlah, file, at + 1),
                menjadi: None,
                keterangan: None,
                sumber: None,
                diketahui: None,
            }],
            diketahui: None,
        }
    }

    #[test]
    fn a_row_without_a_pagu_takes_its_chronologys_and_one_row_has_one_chronology() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        let mut first = row(1, "K", 0, 0);
        first.realisasi = amount(40, 0, 9);
        first.kronologi = kronologi(50, 0, 3);
        let mut again = row(1, "K", 1, 0);
        again.kronologi = kronologi(60, 1, 3);
        b.add_roots(vec![first], &l, &mut diags);
        b.add_roots(vec![again], &l, &mut diags);
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        let diags = diags.into_vec();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::DuplicateId);
        assert_eq!(
            diags[0].message,
            "kegiatan `K` has two chronologies of its pagu"
        );
        // The first chronology stands, and gives the pagu, placed at its change.
        let k = &a.baris[0];
        assert_eq!(
            k.pagu.map(|n| (n.value, n.span)),
            Some((Decimal::from(50), span(0, 3)))
        );
        assert!(k.pagu_dari_kronologi());
        // The total's chronology, given in two files, likewise.
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        b.kronologi_total(kronologi(5, 0, 0), &mut diags);
        b.kronologi_total(kronologi(6, 1, 0), &mut diags);
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        assert_eq!(diags.into_vec().len(), 1);
        assert_eq!(
            a.kronologi_total.perubahan[0].jumlah.map(|n| n.value),
            Some(Decimal::from(5))
        );
    }

    #[test]
    fn line_data_amounts_add_up_and_fill_a_written_row() {
        let mut b = Budget::default();
        let mut diags = Diagnostics::default();
        let l = levels();
        b.add_roots(
            vec![with(row(1, "K", 0, 0), vec![row(2, "S", 0, 1)])],
            &l,
            &mut diags,
        );
        let n = |v: i64| Num {
            value: Decimal::from(v),
            span: span(0, 5),
            decimals: 0,
        };
        let path = [(1, "K"), (2, "S")];
        let first = b.add_line_row(&path, (n(3), n(2)), None, span(0, 5), &l, &mut diags);
        let second = b.add_line_row(&path, (n(4), n(4)), None, span(0, 6), &l, &mut diags);
        assert_eq!(first, second);
        let a = b.finish(&l, Skema::Daerah, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.baris.len(), 2);
        assert_eq!(a.baris[1].pagu.map(|n| n.value), Some(Decimal::from(7)));
        assert_eq!(a.baris[1].nama.value, "Row S");
    }
}
