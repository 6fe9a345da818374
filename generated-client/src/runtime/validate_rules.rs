//! Checks across fields and on the start or total size of texts: the `Validator` methods
//! behind a spec's `rules:` (`one_of`, `at_least_one_of`, `required_if`) and its `prefix`,
//! `not_starting_with` and `max_total_bytes` keys. Generated code calls each in one line.

use super::validate::{CheckText, Rule, Validator};

impl Validator {
    /// Exactly one of `fields` is set; `set` tells, in the same order, which are.
    pub fn one_of(&mut self, fields: &'static [&'static str], set: &[bool]) {
        let count = set.iter().filter(|s| **s).count();
        if count != 1 {
            self.report(
                &fields.join(", "),
                Rule::ExactlyOneOf(fields),
                SetCount(count),
            );
        }
    }

    /// At least one of `fields` is set.
    pub fn at_least_one_of(&mut self, fields: &'static [&'static str], set: &[bool]) {
        if !set.contains(&true) {
            self.report(&fields.join(", "), Rule::AtLeastOneOf(fields), SetCount(0));
        }
    }

    /// `field` is set whenever `holds`, the condition described by `condition`, is true.
    pub fn required_if(&mut self, field: &str, set: bool, holds: bool, condition: &'static str) {
        if holds && !set {
            self.report(field, Rule::RequiredIf(condition), "nothing");
        }
    }

    /// The text starts with `prefix`.
    #[inline]
    pub fn prefix(&mut self, field: &str, value: &(impl CheckText + ?Sized), prefix: &'static str) {
        let Some(value) = value.checked_text() else {
            return;
        };
        if !value.starts_with(prefix) {
            let start: String = value.chars().take(prefix.chars().count()).collect();
            self.report(field, Rule::Prefix(prefix), format_args!("{start:?}..."));
        }
    }

    /// The text does not start with `text`.
    #[inline]
    pub fn not_starting_with(
        &mut self,
        field: &str,
        value: &(impl CheckText + ?Sized),
        text: &'static str,
    ) {
        let Some(value) = value.checked_text() else {
            return;
        };
        if value.starts_with(text) {
            self.report(
                field,
                Rule::NotStartingWith(text),
                format_args!("{text:?}..."),
            );
        }
    }

    /// The texts together (unset ones count nothing) hold at most `max` bytes.
    pub fn total_bytes<'a>(
        &mut self,
        field: &str,
        texts: impl IntoIterator<Item = Option<&'a str>>,
        max: u64,
    ) {
        let total = texts
            .into_iter()
            .flatten()
            .fold(0u64, |sum, text| sum.saturating_add(text.len() as u64));
        if total > max {
            self.report(
                field,
                Rule::MaxTotalBytes(max),
                format_args!("{total} bytes"),
            );
        }
    }
}

/// How many fields of a rule were set, as a violation shows it.
struct SetCount(usize);

impl std::fmt::Display for SetCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("none set"),
            n => write!(f, "{n} set"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_broken_rule_with_its_fields() {
        let mut v = Validator::default();
        v.one_of(&["A", "B"], &[true, true]);
        v.one_of(&["A", "B"], &[false, true]);
        v.at_least_one_of(&["C", "D"], &[false, false]);
        v.required_if("E", false, true, "`F` has flag `G`");
        v.required_if("E", false, false, "`F` has flag `G`");
        v.prefix("Id", "abc", "@RBT#");
        v.prefix("Id", &None::<String>, "@RBT#");
        v.not_starting_with("Group", "#g", "#");
        v.total_bytes("Attrs", [Some("ab"), None, Some("cd")], 3);
        v.total_bytes("Attrs", [Some("ab")], 3);
        let shown: Vec<String> = v
            .finish()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "`A, B` must be exactly one set, got 2 set",
                "`C, D` must be at least one set, got none set",
                "`E` must be set when `F` has flag `G`, got nothing",
                "`Id` must be starting with `@RBT#`, got \"abc\"...",
                "`Group` must be not starting with `#`, got \"#\"...",
                "`Attrs` must be at most 3 bytes together, got 4 bytes",
            ]
        );
    }
}
