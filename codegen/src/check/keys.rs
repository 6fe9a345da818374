//! Unknown keys: which struct of the model sits at a YAML path, which keys it knows (read
//! from the JSON Schema of the model, so the list never drifts), and the nearest known key.

use std::collections::HashMap;

use schemars::JsonSchema;

use super::source_map::parent_path;
use super::{At, Code, Reporter};
use crate::spec::model::*;

/// The kind of file a path starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    Service,
    Action,
}

/// A struct of the model (or a list or map of one) found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Service,
    Action,
    Hosts,
    HostList,
    Host,
    Signing,
    TestVector,
    PublicParamList,
    PublicParam,
    Envelope,
    CharsetMap,
    Charset,
    FieldMap,
    FieldList,
    Field,
    ValueList,
    PossibleValue,
    TypeMap,
    TypeDef,
    VariantList,
    Variant,
    ReturnCodeList,
    ReturnCode,
    Qps,
    Pagination,
    DoneWhen,
    PartialFailure,
    UpstreamList,
    Upstream,
    RuleList,
    Rule,
    RequiredIf,
    Condition,
    TotalBytes,
}

enum Seg<'a> {
    Key(&'a str),
    Index,
}

/// Splits `a.b[0].c` into segments. Keys holding `.` or `[` are not told apart; such paths
/// only lose their hint.
fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        for _ in rest.matches('[') {
            out.push(Seg::Index);
        }
    }
    out
}

fn node_at(root: Root, path: &str) -> Option<Node> {
    let mut node = match root {
        Root::Service => Node::Service,
        Root::Action => Node::Action,
    };
    for seg in segments(path) {
        node = match (node, seg) {
            (Node::Action, Seg::Key("request" | "response")) => Node::FieldList,
            (Node::Action, Seg::Key("qps")) => Node::Qps,
            (Node::Action, Seg::Key("upstream")) => Node::UpstreamList,
            (Node::UpstreamList, Seg::Index) => Node::Upstream,
            (Node::Action | Node::Field, Seg::Key("rules")) => Node::RuleList,
            (Node::RuleList, Seg::Index) => Node::Rule,
            (Node::Rule, Seg::Key("required_if")) => Node::RequiredIf,
            (Node::RequiredIf, Seg::Key("when")) => Node::Condition,
            (Node::Field, Seg::Key("max_total_bytes")) => Node::TotalBytes,
            (Node::Action, Seg::Key("pagination")) => Node::Pagination,
            (Node::Action, Seg::Key("partial_failure")) => Node::PartialFailure,
            (Node::Action | Node::Service, Seg::Key("return_codes")) => Node::ReturnCodeList,
            (Node::Pagination, Seg::Key("done_when")) => Node::DoneWhen,
            (Node::Service, Seg::Key("hosts")) => Node::Hosts,
            (Node::Hosts, Seg::Key("regions" | "services")) => Node::HostList,
            (Node::HostList, Seg::Index) => Node::Host,
            (Node::Service, Seg::Key("signing")) => Node::Signing,
            (Node::Signing, Seg::Key("test_vector")) => Node::TestVector,
            (Node::Service, Seg::Key("public_params")) => Node::PublicParamList,
            (Node::PublicParamList, Seg::Index) => Node::PublicParam,
            (Node::Service, Seg::Key("envelope")) => Node::Envelope,
            (Node::Service, Seg::Key("charsets")) => Node::CharsetMap,
            (Node::CharsetMap, Seg::Key(_)) => Node::Charset,
            (Node::Service, Seg::Key("fields")) => Node::FieldMap,
            (Node::FieldMap, Seg::Key(_)) => Node::Field,
            (Node::Service, Seg::Key("types")) => Node::TypeMap,
            (Node::TypeMap, Seg::Key(_)) => Node::TypeDef,
            (Node::TypeDef | Node::Variant | Node::Field, Seg::Key("fields")) => Node::FieldList,
            (Node::TypeDef, Seg::Key("variants")) => Node::VariantList,
            (Node::VariantList, Seg::Index) => Node::Variant,
            (Node::FieldList, Seg::Index) => Node::Field,
            (Node::Field, Seg::Key("values")) => Node::ValueList,
            (Node::ValueList, Seg::Index) => Node::PossibleValue,
            (Node::ReturnCodeList, Seg::Index) => Node::ReturnCode,
            _ => return None,
        };
    }
    Some(node)
}

fn schema<T: JsonSchema>() -> Option<schemars::Schema> {
    Some(schemars::schema_for!(T))
}

fn schema_of(node: Node) -> Option<schemars::Schema> {
    match node {
        Node::Service => schema::<ServiceSpec>(),
        Node::Action => schema::<ActionSpec>(),
        Node::Hosts => schema::<HostsSpec>(),
        Node::Host => schema::<HostSpec>(),
        Node::Signing => schema::<SigningSpec>(),
        Node::TestVector => schema::<SigningTestVector>(),
        Node::PublicParam => schema::<PublicParam>(),
        Node::Envelope => schema::<EnvelopeSpec>(),
        Node::Charset => schema::<CharsetSpec>(),
        Node::Field => schema::<Field>(),
        Node::PossibleValue => schema::<PossibleValue>(),
        Node::TypeDef => schema::<TypeDef>(),
        Node::Variant => schema::<VariantDef>(),
        Node::ReturnCode => schema::<ReturnCodeSpec>(),
        Node::Qps => schema::<QpsSpec>(),
        Node::Pagination => schema::<PaginationSpec>(),
        Node::DoneWhen => schema::<DoneWhen>(),
        Node::PartialFailure => schema::<PartialFailureSpec>(),
        Node::Upstream => schema::<UpstreamDifference>(),
        Node::Rule => schema::<CrossFieldRule>(),
        Node::RequiredIf => schema::<RequiredIf>(),
        Node::Condition => schema::<Condition>(),
        Node::TotalBytes => schema::<TotalBytes>(),
        Node::HostList
        | Node::PublicParamList
        | Node::CharsetMap
        | Node::FieldMap
        | Node::FieldList
        | Node::ValueList
        | Node::TypeMap
        | Node::VariantList
        | Node::ReturnCodeList
        | Node::UpstreamList
        | Node::RuleList => None,
    }
}

/// The keys of a struct of the model: all it knows, and those it cannot do without.
#[derive(Debug, Default)]
struct SchemaKeys {
    known: Vec<String>,
    required: Vec<String>,
}

/// The keys of the struct at `node`, from the JSON Schema of the model. Each schema is built
/// once per process: a file with thousands of unknown keys asks for them thousands of times.
fn schema_keys(node: Node) -> &'static SchemaKeys {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<HashMap<Node, &'static SchemaKeys>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.entry(node).or_insert_with(|| {
        let schema = schema_of(node);
        let strings = |key: &str| -> Vec<String> {
            let Some(value) = schema.as_ref().and_then(|s| s.get(key)) else {
                return Vec::new();
            };
            match value {
                serde_json::Value::Object(map) => map.keys().cloned().collect(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            }
        };
        Box::leak(Box::new(SchemaKeys {
            known: strings("properties"),
            required: strings("required"),
        }))
    })
}

/// Keys of the struct at a node.
fn known_keys(node: Node) -> &'static [String] {
    &schema_keys(node).known
}

/// Keys the struct at a node cannot do without.
fn required_keys(node: Node) -> &'static [String] {
    &schema_keys(node).required
}

/// Required keys missing from the mapping at `path` (as far as the file shows), in the
/// order the format lists them.
pub(crate) fn missing_keys(
    reporter: &Reporter<'_>,
    file: usize,
    root: Root,
    path: &str,
) -> Vec<String> {
    let Some(node) = node_at(root, path) else {
        return Vec::new();
    };
    let present = reporter.files[file].map().keys_of(path);
    required_keys(node)
        .iter()
        .filter(|k| !present.contains(k))
        .cloned()
        .collect()
}

/// Words people write for a key of the format, and the keys they mean.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("max_len", &["max_bytes", "max_chars"]),
    ("max_length", &["max_bytes", "max_chars"]),
    ("maxlength", &["max_bytes", "max_chars"]),
    ("length", &["max_bytes", "max_chars"]),
    ("min_length", &["min_len"]),
    ("minimum", &["min"]),
    ("maximum", &["max"]),
    ("description", &["docs"]),
    ("doc", &["docs"]),
    ("desc", &["docs"]),
    ("enum", &["values"]),
    ("optional", &["required"]),
    ("rename", &["rust_name"]),
    ("item_max_len", &["item_max_bytes", "item_max_chars"]),
    ("max_count", &["max_items"]),
    ("qps_limit", &["limit"]),
];

/// Known keys near `key`, best first (at most two).
pub(crate) fn near_keys(key: &str, known: &[String]) -> Vec<String> {
    let lower = key.to_ascii_lowercase();
    if let Some((_, meant)) = SYNONYMS.iter().find(|(word, _)| *word == lower) {
        let found: Vec<String> = meant
            .iter()
            .filter(|m| known.iter().any(|k| k == *m))
            .map(|m| (*m).to_owned())
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    let snake = heck::ToSnakeCase::to_snake_case(key);
    if snake != key && known.contains(&snake) {
        return vec![snake];
    }
    let mut scored: Vec<(f64, &String)> = known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let Some(best) = scored.first().map(|s| s.0) else {
        return Vec::new();
    };
    scored
        .into_iter()
        .filter(|(score, _)| best - score < 0.03)
        .take(2)
        .map(|(_, k)| k.clone())
        .collect()
}

/// "did you mean `a`?" / "did you mean `a` or `b`?"
/// The known name nearest to `name`, ignoring case: for names the spec chooses (fields, flags,
/// types), which unlike keys are not snake_case.
pub(crate) fn near_names(name: &str, known: &[String]) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, k)| vec![k.clone()])
        .unwrap_or_default()
}

pub(crate) fn did_you_mean(candidates: &[String]) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [init @ .., last] => Some(format!(
            "did you mean {} or `{last}`?",
            init.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Reports an unknown key found at `path`; returns the known keys it may have meant.
pub(crate) fn report_unknown(
    reporter: &mut Reporter<'_>,
    file: usize,
    root: Root,
    path: &str,
) -> Vec<String> {
    let parent = parent_path(path).unwrap_or_default();
    let key = path
        .strip_prefix(parent)
        .unwrap_or(path)
        .trim_start_matches('.');
    let known = node_at(root, parent).map(known_keys).unwrap_or_default();
    let near = near_keys(key, known);
    let hint = did_you_mean(&near).or_else(|| {
        if known.is_empty() {
            None
        } else if known.len() <= 8 {
            Some(format!(
                "known keys here: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            Some("`spec/schema.json` lists the keys known here".into())
        }
    });
    reporter.report(
        file,
        Code::UnknownKey,
        path,
        At::Key,
        format!("unknown key `{key}`"),
        hint,
    );
    near
}

/// Unknown keys inside untagged values (the own return codes of an action), which serde
/// does not report as ignored.
pub(crate) fn check_untagged_keys(reporter: &mut Reporter<'_>, file: usize, root: Root) {
    if root != Root::Action {
        return;
    }
    let known = known_keys(Node::ReturnCode);
    let mut unknown = Vec::new();
    let map = reporter.files[file].map();
    for index in 0.. {
        let path = format!("return_codes[{index}]");
        if !map.contains(&path) {
            break;
        }
        for key in map.keys_of(&path) {
            if !known.contains(key) {
                unknown.push(format!("{path}.{key}"));
            }
        }
    }
    for path in unknown {
        report_unknown(reporter, file, root, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_keys() -> Vec<String> {
        known_keys(Node::Field).to_vec()
    }

    #[test]
    fn finds_nodes() {
        assert_eq!(
            node_at(Root::Action, "request[0].fields[2]"),
            Some(Node::Field)
        );
        assert_eq!(
            node_at(Root::Service, "types.Foo.variants[1]"),
            Some(Node::Variant)
        );
        assert_eq!(
            node_at(Root::Action, "pagination.done_when"),
            Some(Node::DoneWhen)
        );
        assert_eq!(node_at(Root::Action, "nope"), None);
    }

    #[test]
    fn suggests_keys() {
        let keys = field_keys();
        assert!(keys.contains(&"max_bytes".to_owned()));
        assert_eq!(near_keys("max_len", &keys), ["max_bytes", "max_chars"]);
        assert_eq!(near_keys("requird", &keys), ["required"]);
        assert_eq!(near_keys("MaxItems", &keys), ["max_items"]);
        assert!(near_keys("zzzz", &keys).is_empty());
        let names = ["Email".to_owned(), "Name".to_owned()];
        assert_eq!(near_names("Emial", &names), ["Email"]);
        assert!(near_names("Zzz", &names).is_empty());
    }
}
