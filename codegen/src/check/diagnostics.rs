//! Diagnostics of the checker and their compiler-style rendering.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is. Errors stop generation; warnings are printed and let it go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// The kind of a finding. Each kind has a stable code (`E0003`) that tests and users can
/// rely on; new kinds get new codes, old codes are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The file is not valid YAML.
    YamlSyntax,
    /// A value does not have the shape the format asks for (a string where a number belongs,
    /// a missing required key, an unknown enum word).
    WrongShape,
    /// A key the format does not know.
    UnknownKey,
    /// A file is missing or cannot be read.
    Io,
    /// An action file is not at `actions/<category>/<name>.yaml`.
    FileLocation,
    /// A file larger than a spec file may be.
    FileTooLarge,
    /// YAML that nests deeper than a spec file may.
    YamlTooDeep,
    /// A control character, bidirectional control or invisible mark in spec text.
    ControlCharacter,
    /// A `type:` expression does not parse.
    BadType,
    /// A type expression names a shared type the service file does not define.
    UnknownType,
    /// `use:` names a reusable field definition that does not exist.
    UnknownUse,
    /// `charset:` names a charset the service file does not define.
    UnknownCharset,
    /// A host id that is not defined.
    UnknownHost,
    /// A field without a type (neither `type:` nor a `use:` that brings one).
    MissingType,
    /// A type expression that nests more constructors than any API value needs.
    TypeTooDeep,
    /// A limit that does not apply to the field's type or lies outside its range.
    LimitType,
    /// Limits that contradict each other (`min` above `max`).
    LimitConflict,
    /// A length or count limit larger than any value can be (above `u32::MAX`).
    LimitTooLarge,
    /// Two actions with one name.
    DuplicateAction,
    /// Two fields (or other named entries) with one name in one list.
    DuplicateField,
    /// Two fields whose Rust names are the same after case conversion.
    RustNameCollision,
    /// Possible values listed twice, by value or by name.
    DuplicateValue,
    /// A name that cannot become the Rust item it names.
    BadName,
    /// Two things of the spec that become one generated name (module, type, trait, method,
    /// variant), or a name the generated code uses for something of its own.
    NameCollision,
    /// `object` without `fields`, or `fields` on a type that is not an object.
    ObjectFields,
    /// `selector:` that does not fit.
    Selector,
    /// A shared type that is neither clearly an object nor clearly a variant type.
    TypeDefShape,
    /// A shared type that holds itself directly (not through an array or map), which no
    /// Rust struct can.
    RecursiveType,
    /// Pagination names fields that do not exist or do not fit.
    Pagination,
    /// The partial-failure list names fields that do not exist or do not fit.
    PartialFailure,
    /// A possible value of the wrong type.
    ValueType,
    /// `values_kind` without `values`, or a kind that does not fit the type.
    ValuesKind,
    /// A default of the wrong type or outside the closed list of values.
    DefaultType,
    /// A rate limit of zero.
    QpsZero,
    /// A rate-limit key or count that does not name a fitting request field.
    QpsKey,
    /// A return code listed twice.
    DuplicateReturnCode,
    /// A code referred to by number that the global table does not have.
    UnknownReturnCode,
    /// A GET request field whose wire name is a public parameter.
    PublicParamClash,
    /// A GET request field that cannot be written into a query string.
    QueryObject,
    /// A request field that is both required and has a server default.
    RequiredWithDefault,
    /// `string | T` whose `T` is not an object (an `object` with `fields`, or a shared object
    /// type), or with keys that only fit one of its forms.
    TextOrObject,
    /// `max_total_bytes.of` names no string field of the items.
    TotalBytesField,
    /// `extends` names no object type, or extends in a cycle.
    Extends,
    /// `values_add` on a field that has no values to add to, or adds one it has.
    ValuesAdd,
    /// A cross-field rule without exactly one kind, or with too few fields.
    RuleShape,
    /// A cross-field rule naming no top-level request field.
    RuleField,
    /// A cross-field rule over a field that does not fit it (a required field, a flag
    /// of no flags field, a value of the wrong type).
    RuleFit,
}

impl Code {
    /// Every kind, in the order of their codes (the README's table lists each).
    pub const ALL: &'static [Code] = &[
        Code::YamlSyntax,
        Code::WrongShape,
        Code::UnknownKey,
        Code::Io,
        Code::FileLocation,
        Code::FileTooLarge,
        Code::YamlTooDeep,
        Code::ControlCharacter,
        Code::BadType,
        Code::UnknownType,
        Code::UnknownUse,
        Code::UnknownCharset,
        Code::UnknownHost,
        Code::MissingType,
        Code::TypeTooDeep,
        Code::TextOrObject,
        Code::LimitType,
        Code::LimitConflict,
        Code::LimitTooLarge,
        Code::TotalBytesField,
        Code::DuplicateAction,
        Code::DuplicateField,
        Code::RustNameCollision,
        Code::DuplicateValue,
        Code::BadName,
        Code::NameCollision,
        Code::ObjectFields,
        Code::Selector,
        Code::TypeDefShape,
        Code::RecursiveType,
        Code::Extends,
        Code::Pagination,
        Code::PartialFailure,
        Code::ValueType,
        Code::ValuesKind,
        Code::DefaultType,
        Code::ValuesAdd,
        Code::QpsZero,
        Code::QpsKey,
        Code::DuplicateReturnCode,
        Code::UnknownReturnCode,
        Code::PublicParamClash,
        Code::QueryObject,
        Code::RuleShape,
        Code::RuleField,
        Code::RuleFit,
        Code::RequiredWithDefault,
    ];

    /// The stable code, `E0xxx` for errors and `W0xxx` for warnings.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "E0001",
            Code::WrongShape => "E0002",
            Code::UnknownKey => "E0003",
            Code::Io => "E0004",
            Code::FileLocation => "E0005",
            Code::FileTooLarge => "E0006",
            Code::YamlTooDeep => "E0007",
            Code::ControlCharacter => "E0008",
            Code::BadType => "E0010",
            Code::UnknownType => "E0011",
            Code::UnknownUse => "E0012",
            Code::UnknownCharset => "E0013",
            Code::UnknownHost => "E0014",
            Code::MissingType => "E0015",
            Code::TypeTooDeep => "E0016",
            Code::LimitType => "E0020",
            Code::LimitConflict => "E0021",
            Code::LimitTooLarge => "E0022",
            Code::DuplicateAction => "E0030",
            Code::DuplicateField => "E0031",
            Code::RustNameCollision => "E0032",
            Code::DuplicateValue => "E0033",
            Code::BadName => "E0034",
            Code::NameCollision => "E0035",
            Code::ObjectFields => "E0040",
            Code::Selector => "E0041",
            Code::TypeDefShape => "E0042",
            Code::RecursiveType => "E0043",
            Code::Pagination => "E0050",
            Code::PartialFailure => "E0051",
            Code::ValueType => "E0060",
            Code::ValuesKind => "E0061",
            Code::DefaultType => "E0062",
            Code::QpsZero => "E0070",
            Code::QpsKey => "E0071",
            Code::DuplicateReturnCode => "E0080",
            Code::UnknownReturnCode => "E0081",
            Code::PublicParamClash => "E0090",
            Code::QueryObject => "E0091",
            Code::RequiredWithDefault => "W0001",
            Code::TextOrObject => "E0017",
            Code::TotalBytesField => "E0023",
            Code::Extends => "E0044",
            Code::ValuesAdd => "E0063",
            Code::RuleShape => "E0100",
            Code::RuleField => "E0101",
            Code::RuleFit => "E0102",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::RequiredWithDefault => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, located in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    /// The file as shown to the user (the spec directory as given, or its last component
    /// when it was given as an absolute path), `/`-separated.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Characters to underline, at least 1.
    pub len: usize,
    /// YAML path of the offending node (`request[1].max_bytes`); empty for the whole file.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the position points into, for the snippet; a long line is cut to a
    /// window around the column, with `...` where it was cut.
    pub source_line: Option<String>,
    /// 1-based column in `source_line` where the underline starts: `col`, unless a long line
    /// was cut.
    pub source_col: usize,
}

impl Diagnostic {
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    fn sort_key(&self) -> (&Path, usize, usize, Code, &str, &str) {
        (
            &self.file,
            self.line,
            self.col,
            self.code,
            &self.path,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}[{}]: {}", self.code, escaped(&self.message))?;
        let line_no = self.line.to_string();
        let pad = " ".repeat(line_no.len());
        writeln!(
            f,
            "{pad}--> {}:{}:{}",
            escaped(&display_path(&self.file)),
            self.line,
            self.col
        )?;
        if let Some(source) = &self.source_line {
            // Placeholders of one column each, so the caret still lines up.
            let source: String = source
                .trim_end()
                .chars()
                .map(|c| {
                    if c != '\t' && super::text::forbidden(c).is_some() {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{line_no} | {source}")?;
            // Keep tabs so the caret lines up with the text above it.
            let lead: String = source
                .chars()
                .take(self.source_col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = self.len.max(1);
            writeln!(f, "{pad} | {lead}{}", "^".repeat(width))?;
        }
        if !self.path.is_empty() {
            writeln!(f, "{pad} = at: {}", escaped(&self.path))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = help: {}", escaped(hint))?;
        }
        Ok(())
    }
}

/// `text` with every character spec text must not hold (see `check::text`) written as an
/// escape (`\u{202e}`): a diagnostic quoting a hostile file must not carry its control
/// characters to the terminal.
fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| super::text::forbidden(c).is_some()) {
        return text.into();
    }
    text.chars()
        .map(|c| match super::text::forbidden(c) {
            Some(_) => c.escape_unicode().to_string(),
            None => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// A path with `/` separators whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}

/// Every finding of one check run, sorted by file, line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// How many of `items` are errors: rules ask after each definition, and counting every
    /// time made a file with thousands of problems quadratic.
    errors: usize,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.errors += usize::from(diagnostic.is_error());
        self.items.push(diagnostic);
    }

    /// Sorts and removes exact repeats.
    pub fn finish(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.errors = self.items.iter().filter(|d| d.is_error()).count();
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// "2 errors, 1 warning".
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let errors = self.error_count();
        let warnings = self.warning_count();
        match (errors, warnings) {
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_in_order() {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|c| (c.starts_with('W'), *c));
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
