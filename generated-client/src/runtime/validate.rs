//! Request validation: generated `validate_into` methods call these checks, which collect
//! every violation with the path of the field that broke a rule.

use std::fmt;

/// A type whose values can be checked against the limits of the spec.
pub trait Validate {
    /// Adds every violation found in `self` to `v`, under `v`'s current path.
    fn validate_into(&self, v: &mut Validator);

    /// Checks `self` and returns every violation at once.
    fn validate(&self) -> Result<(), Violations> {
        let mut v = Validator::default();
        self.validate_into(&mut v);
        v.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, v: &mut Validator) {
        if let Some(inner) = self {
            inner.validate_into(v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, v: &mut Validator) {
        for (index, item) in self.iter().enumerate() {
            v.at_index(index, |v| item.validate_into(v));
        }
    }
}

/// The rule a value broke, with the limit from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// At most this many bytes of UTF-8.
    MaxBytes(u64),
    /// At most this many characters.
    MaxChars(u64),
    /// At least this many characters.
    MinLen(u64),
    /// At least this number.
    Min(i64),
    /// At most this number.
    Max(i64),
    /// At least this many items.
    MinItems(u64),
    /// At most this many items.
    MaxItems(u64),
    /// Only characters of the named charset.
    Charset(&'static str),
    /// One of the documented values.
    OneOf(&'static [&'static str]),
    /// Only bits of the documented flags.
    Flags(i64),
    /// A shape that matches the selector field's value.
    Selector(&'static str),
    /// Exactly one of these fields set (the violation's path names them all).
    ExactlyOneOf(&'static [&'static str]),
    /// At least one of these fields set.
    AtLeastOneOf(&'static [&'static str]),
    /// Set, because of the condition (such as "`EditType` has flag `Content`").
    RequiredIf(&'static str),
    /// Starting with this text.
    Prefix(&'static str),
    /// Not starting with this text.
    NotStartingWith(&'static str),
    /// At most this many bytes of UTF-8 in the counted texts together.
    MaxTotalBytes(u64),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MaxBytes(n) => write!(f, "at most {n} bytes"),
            Rule::MaxChars(n) => write!(f, "at most {n} characters"),
            Rule::MinLen(n) => write!(f, "at least {n} characters"),
            Rule::Min(n) => write!(f, "at least {n}"),
            Rule::Max(n) => write!(f, "at most {n}"),
            Rule::MinItems(n) => write!(f, "at least {n} items"),
            Rule::MaxItems(n) => write!(f, "at most {n} items"),
            Rule::Charset(name) => write!(f, "only characters of the `{name}` set"),
            Rule::OneOf(values) => write!(f, "one of {}", values.join(", ")),
            Rule::Flags(mask) => write!(f, "only the flag bits {mask:#x}"),
            Rule::Selector(field) => write!(f, "the shape `{field}` selects"),
            Rule::ExactlyOneOf(_) => f.write_str("exactly one set"),
            Rule::AtLeastOneOf(_) => f.write_str("at least one set"),
            Rule::RequiredIf(condition) => write!(f, "set when {condition}"),
            Rule::Prefix(text) => write!(f, "starting with `{text}`"),
            Rule::NotStartingWith(text) => write!(f, "not starting with `{text}`"),
            Rule::MaxTotalBytes(n) => write!(f, "at most {n} bytes together"),
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Wire path of the field, such as `FriendInfos[2].UserId`.
    pub path: String,
    pub rule: Rule,
    /// What the value was (its length, count or number; never the whole text).
    pub actual: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must be {}, got {}",
            self.path, self.rule, self.actual
        )
    }
}

/// Every violation of one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// Text the string checks read: `str`, `String`, or an optional `String` (`None` has
/// nothing to check), so generated code checks optional fields without unwrapping them.
pub trait CheckText {
    fn checked_text(&self) -> Option<&str>;
}

impl CheckText for str {
    #[inline]
    fn checked_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl CheckText for String {
    #[inline]
    fn checked_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl CheckText for Option<String> {
    #[inline]
    fn checked_text(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// An integer [`Validator::range`] reads, optional or not; `u64` beyond `i64::MAX` reads as
/// `i64::MAX` (above any limit a spec can state).
pub trait CheckInt: Copy {
    fn checked_int(self) -> Option<i64>;
}

macro_rules! check_int {
    ($($ty:ty),*) => {$(
        impl CheckInt for $ty {
            #[inline]
            fn checked_int(self) -> Option<i64> {
                Some(i64::try_from(self).unwrap_or(i64::MAX))
            }
        }
    )*};
}

check_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: CheckInt> CheckInt for Option<T> {
    #[inline]
    fn checked_int(self) -> Option<i64> {
        self.and_then(CheckInt::checked_int)
    }
}

/// Collects violations while walking a request.
#[derive(Debug, Default)]
pub struct Validator {
    path: String,
    violations: Vec<Violation>,
}

impl Validator {
    /// Runs `check` with `name` appended to the current path.
    pub fn at_field(&mut self, name: &str, check: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(name);
        check(self);
        self.path.truncate(len);
    }

    /// Runs `check` with `[index]` appended to the current path.
    pub fn at_index(&mut self, index: usize, check: impl FnOnce(&mut Self)) {
        use fmt::Write as _;
        let len = self.path.len();
        let _ = write!(self.path, "[{index}]");
        check(self);
        self.path.truncate(len);
    }

    /// Runs `check` on every item of `items`, under `field` (when not empty) and the item's
    /// `[index]`.
    pub fn each<T>(&mut self, field: &str, items: &[T], mut check: impl FnMut(&mut Self, &T)) {
        let mut walk = |v: &mut Self| {
            for (index, item) in items.iter().enumerate() {
                v.at_index(index, |v| check(v, item));
            }
        };
        if field.is_empty() {
            walk(self);
        } else {
            self.at_field(field, walk);
        }
    }

    /// Runs `check` on every value of `entries`, under `field` (when not empty) and the key.
    pub fn each_entry<T>(
        &mut self,
        field: &str,
        entries: &std::collections::BTreeMap<String, T>,
        mut check: impl FnMut(&mut Self, &T),
    ) {
        let mut walk = |v: &mut Self| {
            for (key, item) in entries {
                v.at_field(key, |v| check(v, item));
            }
        };
        if field.is_empty() {
            walk(self);
        } else {
            self.at_field(field, walk);
        }
    }

    /// Records a violation of `rule` at `field` below the current path.
    pub fn report(&mut self, field: &str, rule: Rule, actual: impl fmt::Display) {
        let path = if self.path.is_empty() {
            field.to_owned()
        } else if field.is_empty() {
            self.path.clone()
        } else {
            format!("{}.{field}", self.path)
        };
        self.violations.push(Violation {
            path,
            rule,
            actual: actual.to_string(),
        });
    }

    #[inline]
    pub fn max_bytes(&mut self, field: &str, value: &(impl CheckText + ?Sized), max: u64) {
        let Some(value) = value.checked_text() else {
            return;
        };
        let len = saturating_u64(value.len());
        if len > max {
            self.report(field, Rule::MaxBytes(max), format_args!("{len} bytes"));
        }
    }

    #[inline]
    pub fn max_chars(&mut self, field: &str, value: &(impl CheckText + ?Sized), max: u64) {
        let Some(value) = value.checked_text() else {
            return;
        };
        // Counting stops one past the limit: the exact excess is not worth a long scan. The
        // limit comes from a spec, so it may exceed `usize` (32-bit targets) or `u64::MAX - 1`.
        let len = saturating_u64(
            value
                .chars()
                .take(saturating_usize(max).saturating_add(1))
                .count(),
        );
        if len > max {
            let len = value.chars().count();
            self.report(field, Rule::MaxChars(max), format_args!("{len} characters"));
        }
    }

    #[inline]
    pub fn min_len(&mut self, field: &str, value: &(impl CheckText + ?Sized), min: u64) {
        let Some(value) = value.checked_text() else {
            return;
        };
        let len = saturating_u64(value.chars().take(saturating_usize(min)).count());
        if len < min {
            self.report(field, Rule::MinLen(min), format_args!("{len} characters"));
        }
    }

    #[inline]
    pub fn range(&mut self, field: &str, value: impl CheckInt, min: Option<i64>, max: Option<i64>) {
        let Some(value) = value.checked_int() else {
            return;
        };
        if let Some(min) = min.filter(|min| value < *min) {
            self.report(field, Rule::Min(min), value);
        }
        if let Some(max) = max.filter(|max| value > *max) {
            self.report(field, Rule::Max(max), value);
        }
    }

    pub fn items(&mut self, field: &str, count: usize, min: Option<u64>, max: Option<u64>) {
        let count = saturating_u64(count);
        if let Some(min) = min.filter(|min| count < *min) {
            self.report(field, Rule::MinItems(min), format_args!("{count} items"));
        }
        if let Some(max) = max.filter(|max| count > *max) {
            self.report(field, Rule::MaxItems(max), format_args!("{count} items"));
        }
    }

    /// Checks that every character of `value` is in `charset` (see [`Charset`]).
    #[inline]
    pub fn charset(&mut self, field: &str, value: &(impl CheckText + ?Sized), charset: &Charset) {
        let Some(value) = value.checked_text() else {
            return;
        };
        if let Some(bad) = value.chars().find(|c| !charset.contains(*c)) {
            self.report(field, Rule::Charset(charset.name), format_args!("{bad:?}"));
        }
    }

    /// Ends validation: `Ok` when no rule was broken.
    pub fn finish(self) -> Result<(), Violations> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(self.violations))
        }
    }
}

/// A length or count as `u64` (lossless on every target Rust supports today; saturating
/// rather than wrapping on any other).
fn saturating_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A limit of the spec as `usize`; above `usize::MAX` (32-bit targets) no value can reach it.
fn saturating_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A set of allowed characters, as generated from a spec charset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    pub name: &'static str,
    /// Characters allowed one by one.
    pub chars: &'static str,
    /// Inclusive ranges.
    pub ranges: &'static [(char, char)],
}

impl Charset {
    pub fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) || self.chars.contains(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reports_items_by_path() {
        let mut v = Validator::default();
        let items = vec!["ok".to_owned(), "too long".to_owned()];
        v.each("Keys", &items, |v, item| v.max_chars("", item, 3));
        v.at_field("Outer", |v| {
            v.each("", &items, |v, item| v.max_chars("", item, 3))
        });
        let map = std::collections::BTreeMap::from([("k".to_owned(), 5i64)]);
        v.each_entry("Map", &map, |v, item| v.range("", *item, None, Some(1)));
        v.max_chars("Opt", &None::<String>, 1);
        v.max_chars("Opt", &Some("xy".to_owned()), 1);
        v.range("Big", u64::MAX, None, Some(5));
        v.range("None", None::<u32>, Some(1), None);
        let paths: Vec<String> = v
            .finish()
            .unwrap_err()
            .iter()
            .map(|x| x.path.clone())
            .collect();
        assert_eq!(paths, ["Keys[1]", "Outer[1]", "Map.k", "Opt", "Big"]);
    }

    #[test]
    fn limits_at_the_edge_of_u64_do_not_overflow() {
        // A spec may state any u64; the checks must neither panic (debug builds) nor wrap.
        let mut v = Validator::default();
        v.max_chars("A", "text", u64::MAX);
        v.max_bytes("A", "text", u64::MAX);
        v.min_len("A", "text", u64::MAX);
        v.items("A", 3, Some(u64::MAX), Some(u64::MAX));
        v.max_chars("B", "text", 0);
        let rules: Vec<Rule> = v
            .finish()
            .unwrap_err()
            .iter()
            .map(|x| x.rule.clone())
            .collect();
        assert_eq!(
            rules,
            [
                Rule::MinLen(u64::MAX),
                Rule::MinItems(u64::MAX),
                Rule::MaxChars(0)
            ]
        );
    }
}
