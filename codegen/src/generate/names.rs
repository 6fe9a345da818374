//! Rust names from wire names: heck casing, keywords, reserved type names and collisions.
//!
//! Every identifier the generator emits goes through here, so no spec text can become code:
//! characters outside `[A-Za-z0-9_]` are dropped, keywords become raw identifiers (or get a
//! `_` suffix where Rust forbids raw forms), and names that would shadow the prelude are
//! suffixed.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::{Ident, Span};

use crate::spec::ActionSpec;

/// Keywords of every edition (strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "extern", "_"];

/// Type names generated code relies on from the prelude; a generated type must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "From",
    "Into",
    "Send",
    "Sync",
    "Sized",
    "PartialEq",
    "Eq",
    "Iterator",
    "ToString",
    "ToOwned",
    "TryFrom",
    "TryInto",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "Self",
    "Future",
    "BTreeMap",
    "Action",
    "Validate",
    "Validator",
    "Rule",
    "CodeInfo",
];

/// The top-level modules of the generated code besides the categories'.
pub const TOP_MODULES: &[&str] = &["charsets", "return_codes", "shared", "prelude"];

/// Methods a `zim_client::Client` answers to already: its inherent methods
/// (`runtime/client.rs`, `runtime/paginate.rs`; a test keeps the list whole), `Execute`'s,
/// and those of the standard prelude's traits it implements. A category trait's method of the
/// same name would be shadowed (or make calls ambiguous).
pub const CLIENT_METHODS: &[&str] = &[
    "app_id",
    "attempt",
    "builder",
    "check_and_encode",
    "execute",
    "execute_inner",
    "items",
    "pages",
    "prepare",
    "signed_url",
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "into",
    "try_into",
    "fmt",
    "type_id",
];

/// Keeps only identifier characters; never returns an empty string.
fn sanitize(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    out = out.trim_matches('_').to_owned();
    if out.is_empty() {
        out.push_str("value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    out
}

/// An identifier from text that is already a valid, non-keyword-checked name.
fn ident_from(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// snake_case form of a wire name (`FromUserId` -> `from_user_id`), as a string.
pub fn snake(text: &str) -> String {
    let snake = sanitize(text).to_snake_case();
    if snake.is_empty() {
        "value".into()
    } else {
        snake
    }
}

/// PascalCase form of a wire name (`group_info` -> `GroupInfo`), as a string.
pub fn pascal(text: &str) -> String {
    let mut pascal = sanitize(text).to_pascal_case();
    if pascal.is_empty() {
        pascal.push_str("Value");
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    pascal
}

/// A field, method or parameter identifier (raw when it is a keyword: `r#type`).
pub fn field_ident(name: &str) -> Ident {
    ident_from(&snake(name))
}

/// The text of [`field_ident`] without a raw prefix (`type`, `self_`), made without an
/// identifier: the checker asks for thousands.
pub fn field_name(name: &str) -> String {
    let snake = snake(name);
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The identifier text without a raw prefix, for building derived names (`with_type`).
pub fn plain(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").unwrap_or(&text).to_owned()
}

/// A module identifier: snake_case, keywords suffixed (a file cannot be named `r#type.rs`).
pub fn module_name(name: &str) -> String {
    let snake = snake(name);
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The identifier of a module named by [`module_name`] (or a fixed name such as `shared`),
/// as is: a keyword's module is `type_`, in a file `type_.rs`, so its identifier must keep
/// the `_` that [`ident`] would trim (and then make the raw `r#type`, whose file is `type.rs`).
pub fn module_ident(module: &str) -> Ident {
    let plain = module.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && module
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && module != "_"
        && !KEYWORDS.contains(&module);
    if plain {
        Ident::new(module, Span::call_site())
    } else {
        ident(module)
    }
}

/// A type name: PascalCase, suffixed with `Type` when it would shadow a prelude name.
pub fn type_name(name: &str) -> String {
    let pascal = pascal(name);
    if RESERVED_TYPES.contains(&pascal.as_str()) || KEYWORDS.contains(&pascal.as_str()) {
        format!("{pascal}Type")
    } else {
        pascal
    }
}

/// Any generated name as an identifier (already cased by the caller).
pub fn ident(name: &str) -> Ident {
    ident_from(&sanitize(name))
}

/// The words an action's Rust items are named from: its `rust_name`, else its wire name.
pub fn action_words(action: &ActionSpec) -> &str {
    action.rust_name.as_deref().unwrap_or(&action.name)
}

/// The base of an action's type names (`QueryUser` of `QueryUserRequest`).
pub fn action_type_base(action: &ActionSpec) -> String {
    type_name(action_words(action))
}

/// The module (and file) of an action in its category.
pub fn action_module(action: &ActionSpec) -> String {
    module_name(action_words(action))
}

/// The client method of an action.
pub fn action_method(action: &ActionSpec) -> Ident {
    field_ident(action_words(action))
}

/// The name of one item of an array field (`GroupInfoList` -> `GroupInfo`,
/// `Members` -> `Member`, otherwise `<Name>Item`).
pub fn item_type_name(field: &str) -> String {
    let pascal = pascal(field);
    for suffix in ["List", "Array", "Infos", "Items"] {
        if let Some(stem) = pascal.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return match suffix {
                "Infos" => format!("{stem}Info"),
                "Items" => format!("{stem}Item"),
                _ => stem.to_owned(),
            };
        }
    }
    if let Some(stem) = pascal.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{stem}y");
    }
    if let Some(stem) = pascal
        .strip_suffix('s')
        .filter(|s| s.len() > 1 && !s.ends_with(['s', 'u']))
    {
        return stem.to_owned();
    }
    format!("{pascal}Item")
}

/// Hands out names unique within one scope, suffixing repeats with a number.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: BTreeSet<String>,
}

impl NameSet {
    pub fn with(names: &[&str]) -> Self {
        NameSet {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `name`, or `name2`, `name3`... if taken; records the result.
    pub fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_collisions() {
        assert_eq!(field_ident("type").to_string(), "r#type");
        assert_eq!(field_ident("Self").to_string(), "self_");
        assert_eq!(field_ident("Result").to_string(), "result");
        assert_eq!(field_ident("Match").to_string(), "r#match");
        assert_eq!(type_name("Result"), "ResultType");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(field_ident("9lives").to_string(), "v9lives");
        assert_eq!(field_ident("a-b c").to_string(), "a_b_c");
        assert_eq!(field_ident("\"); panic!(\"").to_string(), "panic");
        assert_eq!(module_name("type"), "type_");
        for name in ["type", "Self", "self", "a-b c", "9lives", "Match", "crate"] {
            assert_eq!(field_name(name), plain(&field_ident(name)), "{name}");
        }
        assert_eq!(module_ident(&module_name("type")).to_string(), "type_");
        assert_eq!(module_ident(&module_name("Match")).to_string(), "match_");
        assert_eq!(module_ident("shared").to_string(), "shared");
    }

    #[test]
    fn item_names() {
        assert_eq!(item_type_name("GroupInfoList"), "GroupInfo");
        assert_eq!(item_type_name("Members"), "Member");
        assert_eq!(item_type_name("UserInfos"), "UserInfo");
        assert_eq!(item_type_name("Properties"), "Property");
        assert_eq!(item_type_name("Data"), "DataItem");
        assert_eq!(item_type_name("Status"), "StatusItem");
    }

    #[test]
    fn name_set_suffixes() {
        let mut names = NameSet::with(&["Foo"]);
        assert_eq!(names.claim("Foo"), "Foo2");
        assert_eq!(names.claim("Bar"), "Bar");
    }
}
