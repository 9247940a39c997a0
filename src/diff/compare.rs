//! Comparing two ordered sets of keyed values, as `diff` and `watch` do: side by side when
//! both have the same keys in the same order, else by key (what changed or appeared, in the
//! order of the new set, then what disappeared). Values are compared as values; a value is
//! rendered to text only when it is reported.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::hash::Hash;

/// One changed definition or figure: `(id, field)` with its value before and after, as
/// shown, and for a figure as a number too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) id: String,
    pub(crate) field: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
    pub(crate) old_number: Option<Decimal>,
    pub(crate) new_number: Option<Decimal>,
}

/// A keyed value: what it belongs to, what it is, and the value.
pub(crate) struct Entry<'a, F, V> {
    pub(crate) id: Cow<'a, str>,
    pub(crate) field: F,
    pub(crate) value: V,
}

/// How values are compared and shown.
pub(crate) trait Value {
    /// Whether two values show the same.
    fn same(&self, other: &Self) -> bool;
    fn text(&self) -> String;
    /// The value as a number, where it is one.
    fn number(&self) -> Option<Decimal> {
        None
    }
}

/// What changed from `old` to `new`.
pub(crate) fn changes<F, V>(old: &[Entry<F, V>], new: &[Entry<F, V>]) -> Vec<Change>
where
    F: Eq + Hash + ToString,
    V: Value,
{
    let keys_line_up = old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| a.id == b.id && a.field == b.field);
    if keys_line_up {
        return old
            .iter()
            .zip(new)
            .filter(|(a, b)| !a.value.same(&b.value))
            .map(|(a, b)| change(b, Some(&a.value), Some(&b.value)))
            .collect();
    }
    by_key(old, new)
}

/// Two sets of keyed values, given a part at a time.
pub(crate) struct Parts<'p, 'a, F, V> {
    /// The `n`th part of the old set, for `n` below `old_parts`.
    pub(crate) old: &'p (dyn Fn(usize) -> Vec<Entry<'a, F, V>> + Sync),
    pub(crate) old_parts: usize,
    pub(crate) new: &'p (dyn Fn(usize) -> Vec<Entry<'a, F, V>> + Sync),
    pub(crate) new_parts: usize,
    /// Whether the `n`th parts are known to be the same without building them (the same
    /// entry of the model, with the same results).
    pub(crate) same: &'p (dyn Fn(usize) -> bool + Sync),
}

/// [`changes`] between two sets given a part at a time: part by part, in parallel, holding
/// neither set whole, when the parts line up key for key (as they do when a revision
/// changes values only); otherwise over both sets whole, exactly as [`changes`].
pub(crate) fn changes_by_part<F, V>(parts: Parts<'_, '_, F, V>) -> Vec<Change>
where
    F: Eq + Hash + ToString,
    V: Value,
{
    use rayon::prelude::*;
    let Parts {
        old,
        old_parts,
        new,
        new_parts,
        same,
    } = parts;
    if old_parts == new_parts {
        let parts: Option<Vec<Vec<Change>>> = (0..old_parts)
            .into_par_iter()
            .with_min_len(64)
            .map(|n| {
                if same(n) {
                    return Some(Vec::new());
                }
                let (a, b) = (old(n), new(n));
                let line_up = a.len() == b.len()
                    && a.iter()
                        .zip(&b)
                        .all(|(x, y)| x.id == y.id && x.field == y.field);
                line_up.then(|| changes(&a, &b))
            })
            .collect();
        if let Some(parts) = parts {
            return parts.into_iter().flatten().collect();
        }
    }
    let old: Vec<_> = (0..old_parts).flat_map(old).collect();
    let new: Vec<_> = (0..new_parts).flat_map(new).collect();
    changes(&old, &new)
}

fn change<F: ToString, V: Value>(e: &Entry<F, V>, old: Option<&V>, new: Option<&V>) -> Change {
    Change {
        id: e.id.to_string(),
        field: e.field.to_string(),
        old: old.map(Value::text),
        new: new.map(Value::text),
        old_number: old.and_then(Value::number),
        new_number: new.and_then(Value::number),
    }
}

/// Figures appeared, disappeared or moved: compare by key (the last entry of a key counts),
/// in the order of `new`, then what only `old` had.
fn by_key<F, V>(old: &[Entry<F, V>], new: &[Entry<F, V>]) -> Vec<Change>
where
    F: Eq + Hash + ToString,
    V: Value,
{
    fn map<'m, F: Eq + Hash, V>(
        entries: &'m [Entry<F, V>],
    ) -> ahash::AHashMap<(&'m str, &'m F), &'m V> {
        entries
            .iter()
            .map(|e| ((&*e.id, &e.field), &e.value))
            .collect()
    }
    let (old_map, new_map) = (map(old), map(new));
    let mut out = Vec::new();
    for e in new {
        match old_map.get(&(&*e.id, &e.field)) {
            Some(before) if before.same(&e.value) => {}
            before => out.push(change(e, before.copied(), Some(&e.value))),
        }
    }
    for e in old {
        if !new_map.contains_key(&(&*e.id, &e.field)) {
            out.push(change(e, Some(&e.value), None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    impl Value for u64 {
        fn same(&self, other: &Self) -> bool {
            self == other
        }
        fn text(&self) -> String {
            self.to_string()
        }
    }

    type Line = ((String, String), String);

    /// The comparison of rendered lines as it was written before values came in: the
    /// reference.
    fn reference(old: &[Line], new: &[Line]) -> Vec<Change> {
        if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.0 == b.0) {
            return old
                .iter()
                .zip(new)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, b)| Change {
                    id: b.0.0.clone(),
                    field: b.0.1.clone(),
                    old: Some(a.1.clone()),
                    new: Some(b.1.clone()),
                    old_number: None,
                    new_number: None,
                })
                .collect();
        }
        let old_map: BTreeMap<&(String, String), &String> =
            old.iter().map(|(k, v)| (k, v)).collect();
        let new_map: BTreeMap<&(String, String), &String> =
            new.iter().map(|(k, v)| (k, v)).collect();
        let mut out = Vec::new();
        for (key, value) in new {
            match old_map.get(key) {
                Some(before) if *before == value => {}
                before => out.push(Change {
                    id: key.0.clone(),
                    field: key.1.clone(),
                    old: before.map(|s| s.to_string()),
                    new: Some(value.clone()),
                    old_number: None,
                    new_number: None,
                }),
            }
        }
        for (key, value) in old {
            if !new_map.contains_key(key) {
                out.push(Change {
                    id: key.0.clone(),
                    field: key.1.clone(),
                    old: Some(value.clone()),
                    new: None,
                    old_number: None,
                    new_number: None,
                });
            }
        }
        out
    }

    /// Sets with values that move, appear, disappear, change places and repeat: comparing
    /// values gives what comparing the rendered lines gave.
    #[test]
    fn values_compare_as_the_rendered_lines_did() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n.max(1)
        };
        let fields = ["target", "capaian"];
        for _ in 0..2000 {
            let mut old: Vec<(u64, u64, u64)> =
                (0..next(12)).map(|_| (next(6), next(2), next(3))).collect();
            let mut new = old.clone();
            for _ in 0..next(4) {
                let at = next(new.len() as u64 + 1) as usize;
                match next(4) {
                    0 if at < new.len() => new[at].2 = next(3),
                    1 if at < new.len() => {
                        new.remove(at);
                    }
                    2 => new.insert(at, (next(8), next(2), next(3))),
                    _ if new.len() > 1 => {
                        let b = next(new.len() as u64) as usize;
                        let a = at.min(new.len() - 1);
                        new.swap(a, b);
                    }
                    _ => {}
                }
            }
            if next(5) == 0 {
                old.clear();
            }
            let entries = |set: &[(u64, u64, u64)]| -> Vec<Entry<&str, u64>> {
                set.iter()
                    .map(|(id, f, v)| Entry {
                        id: Cow::Owned(format!("I{id}")),
                        field: fields[*f as usize],
                        value: *v,
                    })
                    .collect()
            };
            let lines = |set: &[(u64, u64, u64)]| -> Vec<Line> {
                set.iter()
                    .map(|(id, f, v)| {
                        (
                            (format!("I{id}"), fields[*f as usize].to_string()),
                            v.to_string(),
                        )
                    })
                    .collect()
            };
            assert_eq!(
                changes(&entries(&old), &entries(&new)),
                reference(&lines(&old), &lines(&new)),
                "{old:?} -> {new:?}"
            );
        }
    }
}
