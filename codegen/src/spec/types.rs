//! Type expressions of the spec (`array<string>`, `map<object>`, `json<ImageMessage>`).

use std::fmt;

/// A parsed `type:` of a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeExpr {
    String,
    Bool,
    Int32,
    Int64,
    Uint32,
    Uint64,
    /// An object whose fields are the field's `fields`.
    Object,
    Array(Box<TypeExpr>),
    /// String keys to values of the inner type.
    Map(Box<TypeExpr>),
    /// A string holding JSON text of the inner type.
    Json(Box<TypeExpr>),
    /// A shared type of the service file.
    Named(String),
    /// `string | T`: a value the server sends either as text or as the object `T` (an
    /// `object` with the field's `fields`, or a shared object type).
    TextOr(Box<TypeExpr>),
}

/// Why a type expression did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExprError {
    pub message: String,
    /// Nearest known word, for a "did you mean" hint.
    pub suggestion: Option<String>,
    /// The expression nests more than [`MAX_TYPE_DEPTH`] constructors (it may be well formed).
    pub too_deep: bool,
}

/// Most constructors (`array<`, `map<`, `json<`) one type expression may nest.
///
/// The deepest expression of the real spec nests one (`array<object>`); each level becomes a
/// `Vec`/`BTreeMap`/JSON-text layer that serde's derives and the lenient decoder recurse
/// through, and rustc gives up on trait resolution (E0275) at 48 levels of `array<..>`. Eight
/// is far from both: room for any real shape, and generated code that always compiles. It also
/// bounds every recursion over a parsed expression (parse, display, drop) to a few frames,
/// whatever the file holds.
pub const MAX_TYPE_DEPTH: usize = 8;

/// Words of the type language, for parse hints.
pub const TYPE_WORDS: &[&str] = &[
    "string", "bool", "int32", "int64", "uint32", "uint64", "object", "array", "map", "json",
];

impl TypeExpr {
    pub fn parse(text: &str) -> Result<TypeExpr, TypeExprError> {
        // Refused before any recursion, so no input can exhaust the stack.
        let depth = text.matches('<').count();
        if depth > MAX_TYPE_DEPTH {
            return Err(TypeExprError {
                message: format!(
                    "the type nests {depth} levels of `<..>`; at most {MAX_TYPE_DEPTH} are allowed"
                ),
                suggestion: None,
                too_deep: true,
            });
        }
        Self::parse_bounded(text)
    }

    /// [`Self::parse`] of text with at most [`MAX_TYPE_DEPTH`] `<`.
    fn parse_bounded(text: &str) -> Result<TypeExpr, TypeExprError> {
        let text = text.trim();
        if let Some(alternatives) = split_alternatives(text) {
            return parse_text_or(text, &alternatives);
        }
        if let Some((head, rest)) = text.split_once('<') {
            let Some(inner) = rest.strip_suffix('>') else {
                return Err(TypeExprError {
                    message: format!("`{text}` opens `<` without a closing `>`"),
                    suggestion: None,
                    too_deep: false,
                });
            };
            let inner = Box::new(TypeExpr::parse_bounded(inner)?);
            return match head.trim() {
                "array" => Ok(TypeExpr::Array(inner)),
                "map" => Ok(TypeExpr::Map(inner)),
                "json" => Ok(TypeExpr::Json(inner)),
                other => Err(TypeExprError {
                    message: format!("`{other}<..>` is not a type constructor"),
                    suggestion: nearest(other, &["array", "map", "json"]),
                    too_deep: false,
                }),
            };
        }
        match text {
            "string" => Ok(TypeExpr::String),
            "bool" => Ok(TypeExpr::Bool),
            "int32" => Ok(TypeExpr::Int32),
            "int64" => Ok(TypeExpr::Int64),
            "uint32" => Ok(TypeExpr::Uint32),
            "uint64" => Ok(TypeExpr::Uint64),
            "object" => Ok(TypeExpr::Object),
            "" => Err(TypeExprError {
                message: "the type is empty".into(),
                suggestion: None,
                too_deep: false,
            }),
            name if name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Ok(TypeExpr::Named(name.to_owned()))
            }
            other => Err(TypeExprError {
                message: format!("`{other}` is not a type"),
                suggestion: nearest(other, TYPE_WORDS),
                too_deep: false,
            }),
        }
    }

    /// The innermost type, under arrays, maps, JSON text and the object side of `string | T`.
    pub fn leaf(&self) -> &TypeExpr {
        match self {
            TypeExpr::Array(inner)
            | TypeExpr::Map(inner)
            | TypeExpr::Json(inner)
            | TypeExpr::TextOr(inner) => inner.leaf(),
            other => other,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            TypeExpr::Int32 | TypeExpr::Int64 | TypeExpr::Uint32 | TypeExpr::Uint64
        )
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Bool => f.write_str("bool"),
            TypeExpr::Int32 => f.write_str("int32"),
            TypeExpr::Int64 => f.write_str("int64"),
            TypeExpr::Uint32 => f.write_str("uint32"),
            TypeExpr::Uint64 => f.write_str("uint64"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::Array(inner) => write!(f, "array<{inner}>"),
            TypeExpr::Map(inner) => write!(f, "map<{inner}>"),
            TypeExpr::Json(inner) => write!(f, "json<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
            TypeExpr::TextOr(inner) => write!(f, "string | {inner}"),
        }
    }
}

/// The alternatives of `text` split at each `|` outside angle brackets; `None` without one.
fn split_alternatives(text: &str) -> Option<Vec<&str>> {
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.push(text[start..].trim());
    Some(parts)
}

/// `string | T`, the one union the format has (the other side's kind is the checker's
/// business: an object, which needs the service to tell).
fn parse_text_or(text: &str, alternatives: &[&str]) -> Result<TypeExpr, TypeExprError> {
    match alternatives {
        ["string", other] if !other.is_empty() && *other != "string" => {
            Ok(TypeExpr::TextOr(Box::new(TypeExpr::parse(other)?)))
        }
        [first, _] if *first != "string" => Err(TypeExprError {
            message: format!("`{text}` is not `string | T`: `string` comes first"),
            suggestion: None,
            too_deep: false,
        }),
        _ => Err(TypeExprError {
            message: format!(
                "`{text}` is not `string | T`: the one union is a string or one object type"
            ),
            suggestion: None,
            too_deep: false,
        }),
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest(word: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            TypeExpr::parse("array<map<object>>"),
            Ok(TypeExpr::Array(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Object
            )))))
        );
        assert_eq!(
            TypeExpr::parse("json<ImageMessage>"),
            Ok(TypeExpr::Json(Box::new(TypeExpr::Named(
                "ImageMessage".into()
            ))))
        );
    }

    #[test]
    fn parses_string_or_object() {
        assert_eq!(
            TypeExpr::parse("string|MultiItemContent"),
            Ok(TypeExpr::TextOr(Box::new(TypeExpr::Named(
                "MultiItemContent".into()
            ))))
        );
        assert_eq!(
            TypeExpr::parse("array< string | object >"),
            Ok(TypeExpr::Array(Box::new(TypeExpr::TextOr(Box::new(
                TypeExpr::Object
            )))))
        );
        for bad in [
            "object | string",
            "string | ",
            "string | string",
            "string | A | B",
        ] {
            assert!(TypeExpr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggests_near_words() {
        let err = TypeExpr::parse("strng").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("string"));
        let err = TypeExpr::parse("arry<string>").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("array"));
        assert!(TypeExpr::parse("array<string").is_err());
    }

    #[test]
    fn refuses_deep_nesting_without_recursing() {
        let nested = |n: usize| format!("{}string{}", "array<".repeat(n), ">".repeat(n));
        assert!(TypeExpr::parse(&nested(MAX_TYPE_DEPTH)).is_ok());
        let err = TypeExpr::parse(&nested(MAX_TYPE_DEPTH + 1)).unwrap_err();
        assert!(err.too_deep, "{err:?}");
        // Deep enough to overflow the stack if it were parsed level by level.
        assert!(TypeExpr::parse(&nested(1_000_000)).unwrap_err().too_deep);
        assert!(
            TypeExpr::parse(&"<".repeat(1_000_000))
                .unwrap_err()
                .too_deep
        );
    }

    #[test]
    fn round_trips_through_display() {
        for text in [
            "array<string>",
            "map<array<int64>>",
            "json<Foo>",
            "uint64",
            "string | Foo",
            "array<string | object>",
        ] {
            assert_eq!(
                TypeExpr::parse(text).map(|t| t.to_string()).as_deref(),
                Ok(text)
            );
        }
    }
}
