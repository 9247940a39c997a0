//! The weights (`bobot`) of a rollup's members (a sasaran's indikator, the organisation's
//! sasaran): whether the rollup's rule takes them, whether every member has one, and
//! whether they add up to the manifest's `bobot.jumlah`. Which rule weighs is the rule's
//! own say (its second parameter is `bobot`, see [`super::calls::RollupForm`]): weights
//! are never applied behind a rule's back, and never dropped without a word.

use super::calls::Context;
use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number::checked_sum;
use crate::base::source::Span;
use crate::model::{Num, RuleRef};
use rust_decimal::Decimal;

/// One member of a rollup, as its weight is checked.
pub(crate) struct Member<'a> {
    pub(crate) id: &'a str,
    /// Where its id is written: a member without a weight is pointed at there.
    pub(crate) at: Span,
    pub(crate) bobot: Option<&'a Num>,
}

/// Whose members are rolled up, for messages and hints.
pub(crate) struct Rollup<'a> {
    /// `SP1`, or `the organisation`.
    pub(crate) whose: &'a str,
    /// `indikator` or `sasaran`.
    pub(crate) members: &'a str,
    /// How a planner states a rule for this rollup: `rumus: … on SP1, or
    /// `rumus: {capaian_sasaran: …}` in kinerja.yaml`.
    pub(crate) state: &'a dyn Fn(&str) -> String,
    /// Where the rollup is asked for: the sasaran's id, the manifest's rule.
    pub(crate) at: Span,
}

/// What a rollup is given.
pub(crate) enum Weights {
    /// No weights: its rule takes none.
    Unweighted,
    /// One weight per member, in order.
    Weighted(Vec<Decimal>),
    /// Its rule takes weights, but they cannot be used (reported).
    Refused,
}

/// The weights the rollup of `members` by `rule` gets, and what is wrong with them: an
/// error when the rule weighs and the weights are missing or do not add up, a warning when
/// weights are given and the rule does not use them.
pub(crate) fn weights(
    ctx: &Context,
    rule: &RuleRef,
    rollup: &Rollup,
    members: &[Member],
) -> (Weights, Option<Diagnostic>) {
    let given: Vec<(&Member, &Num)> = members
        .iter()
        .filter_map(|m| m.bobot.map(|b| (m, b)))
        .collect();
    // An unknown rule is reported where the rollup calls it.
    let Some(form) = ctx.rollup_form(rule, !given.is_empty()) else {
        return (Weights::Unweighted, None);
    };
    let name = &rule.name;
    let (whose, kind) = (rollup.whose, rollup.members);
    if !form.weighted {
        let Some((first, b)) = given.first() else {
            return (Weights::Unweighted, None);
        };
        let mut d = Diagnostic::warning(
            Code::Bobot,
            format!(
                "{whose}'s {kind} carry a bobot, but its rule `{name}` takes no weights: they are not used"
            ),
        )
        .at(b.span, format!("{}'s bobot, not used by `{name}`", first.id))
        .hint(format!(
            "to weigh them, state a weighted rule ({}); to roll them up unweighted, remove the bobot",
            (rollup.state)("rata_rata_berbobot")
        ));
        for (m, b) in &given[1..] {
            d = d.also(b.span, format!("{}'s bobot", m.id));
        }
        if let Some(span) = rule.span {
            d = d.also(
                span,
                "takes no weights (its second parameter is not `bobot`)",
            );
        }
        return (Weights::Unweighted, Some(d));
    }
    let at = rule.span.unwrap_or(rollup.at);
    if given.is_empty() {
        let d = Diagnostic::error(
            Code::Bobot,
            format!("`{name}` weighs {whose}'s {kind} by their bobot, but none of them has one"),
        )
        .at(at, format!("weighs {whose}'s {kind}"))
        .hint(format!(
            "give each {kind} of {whose} a `bobot:` (adding up to {}), or roll {whose} up by an unweighted rule ({})",
            jumlah(ctx),
            (rollup.state)("rata_rata")
        ));
        return (Weights::Refused, Some(d));
    }
    let missing: Vec<&Member> = members.iter().filter(|m| m.bobot.is_none()).collect();
    let sum = checked_sum(given.iter().map(|(_, b)| b.value));
    let listed = given
        .iter()
        .map(|(m, b)| format!("{} {}", m.id, b.value.normalize()))
        .collect::<Vec<_>>()
        .join(" + ");
    let sum_text = sum.map_or("more than kinerja can hold".into(), |s| {
        s.normalize().to_string()
    });
    if let Some(first) = missing.first() {
        let names = missing.iter().map(|m| m.id).collect::<Vec<_>>().join(", ");
        let has = if missing.len() == 1 { "has" } else { "have" };
        let mut d = Diagnostic::error(
            Code::Bobot,
            format!(
                "`{name}` weighs {whose}'s {kind} by their bobot, but {names} {has} none ({listed} = {sum_text})"
            ),
        )
        .at(first.at, "no bobot");
        for m in &missing[1..] {
            d = d.also(m.at, "no bobot either");
        }
        for (m, b) in &given {
            d = d.also(b.span, format!("{}'s bobot", m.id));
        }
        let left = sum.and_then(|s| jumlah(ctx).checked_sub(s));
        let rest = match left {
            Some(l) if l > Decimal::ZERO => format!(", leaving {} for the rest", l.normalize()),
            _ => String::new(),
        };
        let d = d.hint(format!(
            "give {names} a `bobot:` too: the weights of {whose}'s {kind} add up to {}, those given to {sum_text}{rest}",
            jumlah(ctx)
        ));
        return (Weights::Refused, Some(d));
    }
    let expected = ctx.ws.manifest.bobot;
    if sum != Some(expected.jumlah) {
        let mut d = Diagnostic::error(
            Code::Bobot,
            format!(
                "the weights of {whose}'s {kind} add up to {sum_text}, not {}: {listed} = {sum_text}",
                jumlah(ctx)
            ),
        )
        .at(at, format!("weighs by bobot adding up to {sum_text}"));
        for (m, b) in &given {
            d = d.also(b.span, format!("{}'s bobot", m.id));
        }
        if let Some(span) = expected.span {
            d = d.also(span, format!("weights add up to {}", jumlah(ctx)));
        }
        let hint = match sum {
            Some(s) if s == Decimal::ONE => {
                "these are fractions: say so in kinerja.yaml with `bobot: {jumlah: 1}`".to_string()
            }
            Some(s) if s == Decimal::ONE_HUNDRED => {
                "these are percentages: say so in kinerja.yaml with `bobot: {jumlah: 100}` (or leave `bobot.jumlah` out: 100 is the default)".to_string()
            }
            Some(s) => format!(
                "correct the weights so that they add up to {} ({} {}), or, if the report weighed them so, say what its weights add up to in kinerja.yaml",
                jumlah(ctx),
                (expected.jumlah - s).abs().normalize(),
                if s < expected.jumlah { "short" } else { "over" }
            ),
            None => format!(
                "correct the weights so that they add up to {}",
                jumlah(ctx)
            ),
        };
        return (Weights::Refused, Some(d.hint(hint)));
    }
    (
        Weights::Weighted(given.iter().map(|(_, b)| b.value).collect()),
        None,
    )
}

/// What the weights of one rollup add up to, as written.
fn jumlah(ctx: &Context) -> Decimal {
    ctx.ws.manifest.bobot.jumlah.normalize()
}
