//! What-if: override inputs for one run, without editing files (`--set ID.field=value`).
//!
//! `IKP4.2.target=75` sets the report year's target, `IKP4.2.target.2024=80` a Renstra
//! year, `IKP4.2.realisasi=60` a given realisasi, `IKP4.1.masukan.n=340` (or
//! `masukan.n.0` for a list) a formula input, and `<kegiatan or jenis belanja>.pagu` or
//! `.realisasi` a budget amount. An overridden value is placed at the override: each
//! `--set` is a source of its own (`command line`), so that a diagnostic about the value
//! (a target of 0, a percentage over 100) and `explain` point at the argument that gave it,
//! not at the file's value it replaced.

use crate::base::diagnostic::did_you_mean;
use crate::base::number;
use crate::base::source::Span;
use crate::model::{Indikator, Input, NilaiTarget, Num, Realisasi, SumberRealisasi, Workspace};
use rust_decimal::Decimal;
use std::sync::Arc;

/// One `--set ID.FIELD=VALUE`, parsed: a value that replaces an input for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// `ID.FIELD`.
    pub(crate) text: String,
    pub(crate) value: Decimal,
    /// The argument as given (`ID.FIELD=VALUE`), and where in it the value is written.
    pub(crate) arg: String,
    pub(crate) value_at: std::ops::Range<usize>,
}

/// What diagnostics call the source of overrides, and how an override reads there.
pub(crate) const SOURCE: &str = "command line";
const FLAG: &str = "--set ";

impl std::str::FromStr for Override {
    type Err = OverrideError;

    /// Parses `IKP4.2.target=75`; the value is a plain number.
    fn from_str(text: &str) -> Result<Override, OverrideError> {
        parse(text)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OverrideError {
    #[error("`{0}` is not of the form ID.field=value (e.g. IKP4.2.target=75)")]
    Form(String),
    #[error("`{value}` in `{text}` is not a plain number{}", hint.as_ref().map(|h| format!("; write {h}")).unwrap_or_default())]
    Number {
        text: String,
        value: String,
        hint: Option<String>,
    },
    #[error("`{text}`: no indikator or budget row `{id}` has a field `{field}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        text: String,
        id: String,
        field: String,
        suggestion: Option<String>,
    },
    /// A path into an indikator's inputs that does not fit their shape: what is there
    /// (a list of how many entries, a mapping with which keys, …) and what to write.
    #[error("`{text}`: {problem}; {hint}")]
    Input {
        text: String,
        problem: String,
        hint: String,
    },
}

fn parse(text: &str) -> Result<Override, OverrideError> {
    let (target, value) = text
        .split_once('=')
        .ok_or_else(|| OverrideError::Form(text.to_string()))?;
    if target.trim().is_empty() || !target.contains('.') {
        return Err(OverrideError::Form(text.to_string()));
    }
    let start = text.len() - value.trim_start().len();
    let value_at = start..start + value.trim().len();
    let value = match number::parse_plain(value) {
        Ok(v) => v,
        Err(number::NumberError::NotPlain { plain }) => {
            return Err(OverrideError::Number {
                text: text.into(),
                value: value.into(),
                hint: Some(plain),
            });
        }
        Err(number::NumberError::NotANumber) => {
            return Err(OverrideError::Number {
                text: text.into(),
                value: value.into(),
                // Plain, but more than a `Decimal` holds digit for digit.
                hint: number::is_plain(value.trim())
                    .then(|| "a number of at most 28 significant digits".to_string()),
            });
        }
    };
    Ok(Override {
        text: target.trim().to_string(),
        value,
        arg: text.to_string(),
        value_at,
    })
}

/// Applies every override, or says which one does not fit the workspace. Returns, for
/// each, where the value it replaced was written (`None` where there was none), so that a
/// what-if can say which line to edit to make it permanent.
pub(crate) fn apply(
    ws: &mut Workspace,
    overrides: &[Override],
) -> Result<Vec<Option<Span>>, OverrideError> {
    let mut replaced = Vec::with_capacity(overrides.len());
    for o in overrides {
        let file = ws.sources.add(SOURCE.into(), format!("{FLAG}{}", o.arg));
        let at = Span::new(
            file,
            FLAG.len() + o.value_at.start,
            FLAG.len() + o.value_at.end,
        );
        replaced.push(apply_one(ws, o, at)?);
    }
    Ok(replaced)
}

/// Applies `o`, whose value is written at `at`; returns where the replaced value was.
fn apply_one(ws: &mut Workspace, o: &Override, at: Span) -> Result<Option<Span>, OverrideError> {
    let year = ws.manifest.tahun;
    // Ids contain dots (IKP4.2), so the id is the longest prefix that names something.
    let parts: Vec<&str> = o.text.split('.').collect();
    for split in (1..parts.len()).rev() {
        let id = parts[..split].join(".");
        let field: Vec<&str> = parts[split..].to_vec();
        // Only the indikator changed is copied out of the shared model. (A copy: a watch
        // session's memo keys an indikator it read by its address, and holds it meanwhile,
        // so `make_mut` never changes that one in place.)
        let holder = ws
            .indikator
            .iter_mut()
            .find(|i| i.find(&id).is_some())
            .map(Arc::make_mut);
        if let Some(ind) = holder.and_then(|i| find_mut(std::slice::from_mut(i), &id)) {
            return set_indikator(ind, &field, o, at, year).map_err(|e| match e {
                Unset::Field(field) => unknown(o, &id, &field, &[]),
                Unset::Input { problem, hint } => OverrideError::Input {
                    text: o.text.clone(),
                    problem: problem.text(&ws.sources),
                    hint,
                },
            });
        }
        let a = &mut ws.anggaran;
        if let Some(row) = a
            .baris
            .iter_mut()
            .chain(a.jenis_belanja.iter_mut())
            .find(|r| r.key().value == id || r.nama.value == id || r.id == id)
        {
            let row_at = row.span;
            let slot = match field.as_slice() {
                ["pagu"] => &mut row.pagu,
                ["realisasi"] => {
                    // The amount set stands for the year: values per period give way to it.
                    if let Some(b) = row.realisasi_berkala.take() {
                        row.realisasi_periode = Default::default();
                        row.realisasi = Some(num(o, at));
                        return Ok(Some(b.span));
                    }
                    &mut row.realisasi
                }
                _ => return Err(unknown(o, &id, &field.join("."), &["pagu", "realisasi"])),
            };
            // A row summed from the rows under it is given the amount: the audit then
            // compares it with their sum.
            let old = slot.map_or(row_at, |n| n.span);
            *slot = Some(num(o, at));
            return Ok(Some(old));
        }
    }
    let mut ids: Vec<String> = Vec::new();
    fn collect(list: &[Indikator], ids: &mut Vec<String>) {
        for i in list {
            ids.push(i.id.value.clone());
            collect(&i.komponen, ids);
        }
    }
    for i in &ws.indikator {
        collect(std::slice::from_ref(&**i), &mut ids);
    }
    let guess = parts[..parts.len().saturating_sub(1).max(1)].join(".");
    Err(OverrideError::Unknown {
        text: o.text.clone(),
        id: guess.clone(),
        field: parts.last().map(|s| s.to_string()).unwrap_or_default(),
        suggestion: did_you_mean(&guess, ids.iter().map(String::as_str)).map(str::to_string),
    })
}

fn unknown(o: &Override, id: &str, field: &str, known: &[&str]) -> OverrideError {
    let known = if known.is_empty() {
        &["target", "target.<tahun>", "realisasi", "masukan.<nama>"][..]
    } else {
        known
    };
    OverrideError::Unknown {
        text: o.text.clone(),
        id: id.to_string(),
        field: field.to_string(),
        suggestion: did_you_mean(field, known.iter().copied()).map(|s| format!("{id}.{s}")),
    }
}

fn find_mut<'a>(list: &'a mut [Indikator], id: &str) -> Option<&'a mut Indikator> {
    for i in list.iter_mut() {
        if i.id.value == id {
            return Some(i);
        }
        if let Some(k) = find_mut(&mut i.komponen, id) {
            return Some(k);
        }
    }
    None
}

/// The override's value, written at `at`.
fn num(o: &Override, at: Span) -> Num {
    Num {
        value: o.value,
        span: at,
        decimals: number::written_decimals(&o.arg[o.value_at.clone()]),
    }
}

/// Why an override could not be set on an indikator.
enum Unset {
    /// No such field: its name.
    Field(String),
    /// A path into the inputs that does not fit them.
    Input { problem: Problem, hint: String },
}

/// What is wrong with a path into the inputs: what `name` is, placed where it is written
/// (the place is turned into `file:line:col` by the caller, which holds the sources).
struct Problem {
    name: String,
    at: Span,
    is: String,
}

impl Problem {
    fn text(&self, sources: &crate::base::source::Sources) -> String {
        format!(
            "`{}` ({}) {}",
            self.name,
            sources.location(self.at),
            self.is
        )
    }
}

/// Sets one field, returning where the value it replaced was written.
fn set_indikator(
    ind: &mut Indikator,
    field: &[&str],
    o: &Override,
    at: Span,
    year: i32,
) -> Result<Option<Span>, Unset> {
    match field {
        ["target"] => {
            // One number replaces a range too, and a chronology of revisions: the target
            // is this number for the whole run.
            let old = match ind.target.revisi.last() {
                Some(r) => r.pk.as_ref().map(NilaiTarget::span),
                None => ind.target.pk.as_ref().map(NilaiTarget::span),
            };
            ind.target.revisi.clear();
            ind.target.pk = Some(NilaiTarget::Satu(num(o, at)));
            Ok(old)
        }
        ["target", y] => {
            let y: i32 = y.parse().map_err(|_| Unset::Field(field.join(".")))?;
            let n = NilaiTarget::Satu(num(o, at));
            let old = ind.target.renstra.get(y).map(NilaiTarget::span);
            if y == year && ind.target.pk.is_some() {
                ind.target.pk = Some(n.clone());
            }
            ind.target.renstra.insert(y, n);
            Ok(old)
        }
        ["realisasi"] => {
            let bulatkan = ind.realisasi.as_ref().and_then(|r| r.bulatkan);
            // The figure set keeps its band table.
            let kategori = ind.realisasi.as_ref().and_then(|r| r.kategori.clone());
            let old = ind.realisasi.as_ref().and_then(|r| match &r.sumber {
                SumberRealisasi::Nilai(n) => Some(n.span),
                _ => None,
            });
            ind.realisasi = Some(Realisasi {
                sumber: SumberRealisasi::Nilai(num(o, at)),
                bulatkan,
                kategori,
                akumulasi: None,
                span: at,
            });
            Ok(old)
        }
        ["masukan", path @ ..] => {
            let id = ind.id.value.clone();
            let span = ind.realisasi.as_ref().map_or(ind.id.span, |r| r.span);
            match ind.realisasi.as_mut().map(|r| &mut r.sumber) {
                Some(SumberRealisasi::Rumus { masukan, .. }) => {
                    set_input(masukan, &format!("{id}.masukan"), path, num(o, at))
                }
                Some(SumberRealisasi::Nilai(n)) => Err(Unset::Input {
                    problem: Problem {
                        name: format!("{id}.realisasi"),
                        at: n.span,
                        is: "is a given figure, not computed from `masukan`".into(),
                    },
                    hint: format!(
                        "set the figure itself: `{id}.realisasi={}`",
                        o.arg.get(o.value_at.clone()).unwrap_or("…")
                    ),
                }),
                Some(SumberRealisasi::RumusPerPeriode { masukan, .. }) => {
                    // `IK1.masukan.TW2.n`: the period first, then the path in its inputs.
                    let periode = path
                        .first()
                        .and_then(|p| crate::model::Periode::parse(p).ok());
                    match masukan
                        .nilai
                        .iter_mut()
                        .find(|(p, _, _)| Some(*p) == periode)
                    {
                        Some((p, _, input)) => {
                            let name = format!("{id}.masukan.{}", p.kode());
                            set_input(input, &name, &path[1..], num(o, at))
                        }
                        None => {
                            let periods: Vec<String> =
                                masukan.nilai.iter().map(|(p, _, _)| p.kode()).collect();
                            Err(Unset::Input {
                                problem: Problem {
                                    name: format!("{id}.masukan"),
                                    at: span,
                                    is: "is given per period, each with its own inputs".into(),
                                },
                                hint: format!(
                                    "name the period before the input: `{id}.masukan.{}.…` (its periods: {})",
                                    periods.first().map_or("TW1", String::as_str),
                                    periods.join(", ")
                                ),
                            })
                        }
                    }
                }
                Some(SumberRealisasi::PerPeriode(_)) => Err(Unset::Input {
                    problem: Problem {
                        name: format!("{id}.realisasi"),
                        at: span,
                        is: "is given per period, not computed from `masukan`".into(),
                    },
                    hint: format!(
                        "set the figure itself: `{id}.realisasi={}`",
                        o.arg.get(o.value_at.clone()).unwrap_or("…")
                    ),
                }),
                None => Err(Unset::Field(field.join("."))),
            }
        }
        _ => Err(Unset::Field(field.join("."))),
    }
}

/// Sets the input at `path` under `input` (named `name` in messages, `IKP4.2.masukan`),
/// returning where the value it replaced was written, or says what is there instead.
fn set_input(
    input: &mut Input,
    name: &str,
    path: &[&str],
    value: Num,
) -> Result<Option<Span>, Unset> {
    let problem = |is: String, at: Span, hint: String| Unset::Input {
        problem: Problem {
            name: name.to_string(),
            at,
            is,
        },
        hint,
    };
    match (input, path) {
        (Input::Num(n), []) => {
            let old = n.span;
            *n = value;
            Ok(Some(old))
        }
        (Input::Map(entries, span), [key, rest @ ..]) => {
            let span = *span;
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some((k, v)) => {
                    let name = format!("{name}.{k}");
                    set_input(v, &name, rest, value)
                }
                None => {
                    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                    let hint = match did_you_mean(key, keys.iter().copied()) {
                        Some(s) => format!("did you mean `{name}.{s}`?"),
                        None => listing(name, &keys),
                    };
                    Err(problem(format!("has no input `{key}`"), span, hint))
                }
            }
        }
        (Input::List(items, span), [index, rest @ ..]) => {
            let span = *span;
            let len = items.len();
            match index.parse::<usize>().ok().filter(|&i| i < len) {
                Some(i) => set_input(&mut items[i], &format!("{name}.{i}"), rest, value),
                None => Err(problem(
                    format!(
                        "is a list of {}, so `{index}` names none of them",
                        entries(len)
                    ),
                    span,
                    indices(name, len),
                )),
            }
        }
        (Input::List(items, span), []) => Err(problem(
            format!("is a list of {}, not one number", entries(items.len())),
            *span,
            indices(name, items.len()),
        )),
        (Input::Map(entries, span), []) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            Err(problem(
                "is a mapping of inputs, not one number".to_string(),
                *span,
                listing(name, &keys),
            ))
        }
        (Input::Num(n), [next, ..]) => Err(problem(
            format!("is a number, which has no `{next}`"),
            n.span,
            format!("set it as `{name}`"),
        )),
        (Input::Text(t), _) => Err(problem(
            "is text, which an override cannot replace with a number".to_string(),
            t.span,
            "override a number input instead".to_string(),
        )),
    }
}

/// `2 entries`, `1 entry`.
fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

/// How to name the entries of a list of `len` under `name`: its valid indices.
fn indices(name: &str, len: usize) -> String {
    match len {
        0 => "it is empty: there is no entry to set".into(),
        1 => format!("its one entry is `{name}.0`"),
        _ => format!(
            "its entries are numbered from 0: `{name}.0` … `{name}.{}`",
            len - 1
        ),
    }
}

/// "set one of `IKP1.1.masukan.n`, `IKP1.1.masukan.t`", shortened past a few.
fn listing(name: &str, keys: &[&str]) -> String {
    const SHOWN: usize = 6;
    let mut out: Vec<String> = keys
        .iter()
        .take(SHOWN)
        .map(|k| format!("`{name}.{k}`"))
        .collect();
    if keys.len() > SHOWN {
        out.push(format!("… ({} in all)", keys.len()));
    }
    if out.is_empty() {
        "it has no inputs to set".into()
    } else {
        format!("set one of {}", out.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_overrides() {
        assert_eq!(
            parse("IKP4.2.target= 75.50"),
            Ok(Override {
                text: "IKP4.2.target".into(),
                value: Decimal::new(7550, 2),
                arg: "IKP4.2.target= 75.50".into(),
                value_at: 15..20,
            })
        );
        assert!(matches!(
            parse("IKP4.2.target"),
            Err(OverrideError::Form(_))
        ));
        assert!(matches!(parse("target=5"), Err(OverrideError::Form(_))));
        assert!(matches!(
            parse("IKP4.2.target=75,5"),
            Err(OverrideError::Number { hint: Some(h), .. }) if h == "75.5"
        ));
    }
}
