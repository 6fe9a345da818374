//! Changes of the rules across request fields (`rules:`) and of the text rules of a field
//! (`prefix`, `not_starting_with`, `max_total_bytes`). Rules are matched by their text: a
//! rule that changes shows as one removed and one added, and adding one is what breaks.

use std::collections::BTreeSet;

use crate::spec::{ActionSpec, CrossFieldRule, Field};

/// A rule in one line (`one_of [UserIds, GroupMemberInfos]`).
pub fn rule_text(rule: &CrossFieldRule) -> String {
    let mut parts = Vec::new();
    if let Some(names) = &rule.one_of {
        parts.push(format!("one_of [{}]", names.join(", ")));
    }
    if let Some(names) = &rule.at_least_one_of {
        parts.push(format!("at_least_one_of [{}]", names.join(", ")));
    }
    if let Some(required_if) = &rule.required_if {
        let when = &required_if.when;
        let condition = match &when.equals {
            Some(value) => format!(
                "{} equals {}",
                when.field,
                super::compare::scalar_text(value)
            ),
            None => format!("{} has flag [{}]", when.field, when.has_flag.join(", ")),
        };
        parts.push(format!(
            "required_if {} when {condition}",
            required_if.field
        ));
    }
    parts.join("; ")
}

/// Rules only `old` has, and rules only `new` has, as text.
pub fn rule_changes(old: &ActionSpec, new: &ActionSpec) -> (Vec<String>, Vec<String>) {
    rule_list_changes(&old.rules, &new.rules)
}

/// Rules only in `old`, and rules only in `new`, as text.
pub fn rule_list_changes(
    old: &[CrossFieldRule],
    new: &[CrossFieldRule],
) -> (Vec<String>, Vec<String>) {
    let old: BTreeSet<String> = old.iter().map(rule_text).collect();
    let new: BTreeSet<String> = new.iter().map(rule_text).collect();
    (
        old.difference(&new).cloned().collect(),
        new.difference(&old).cloned().collect(),
    )
}

/// Text-limit changes of a field: (limit name, tightened, before, after).
pub fn text_limit_changes(old: &Field, new: &Field) -> Vec<(&'static str, bool, String, String)> {
    let mut out = Vec::new();
    let shown = |name: &str, value: Option<String>| match value {
        Some(v) => format!("{name}: {v}"),
        None => format!("{name}: none"),
    };
    for (name, a, b) in [
        ("prefix", &old.prefix, &new.prefix),
        (
            "not_starting_with",
            &old.not_starting_with,
            &new.not_starting_with,
        ),
    ] {
        if a != b {
            // Any other text can refuse values the old one allowed; only dropping it loosens.
            out.push((
                name,
                b.is_some(),
                shown(name, a.as_ref().map(|t| format!("{t:?}"))),
                shown(name, b.as_ref().map(|t| format!("{t:?}"))),
            ));
        }
    }
    let total_text = |f: &Field| {
        f.max_total_bytes.as_ref().map(|t| {
            if t.of.is_empty() {
                t.max.to_string()
            } else {
                format!("{} of [{}]", t.max, t.of.join(", "))
            }
        })
    };
    if old.max_total_bytes != new.max_total_bytes {
        let tightened = match (&old.max_total_bytes, &new.max_total_bytes) {
            (_, None) => false,
            (None, Some(_)) => true,
            // Looser only when the new total allows as much over no more fields.
            (Some(a), Some(b)) => !(b.max >= a.max && b.of.iter().all(|f| a.of.contains(f))),
        };
        out.push((
            "max_total_bytes",
            tightened,
            shown("max_total_bytes", total_text(old)),
            shown("max_total_bytes", total_text(new)),
        ));
    }
    out
}
