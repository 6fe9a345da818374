//! Walks two specs side by side and lists what changed, before any judgement.
//!
//! Actions are matched by name, fields by wire name, shared types and variants by Rust name,
//! possible values by value, return codes by number. A field missing on one side and a field
//! new on the other count as one rename, rather than a removal and an addition, only when:
//! - the new field lists the old wire name in `aliases`, or
//! - both sit at the same position of their field list and agree on everything but the wire
//!   name and docs (type, requiredness, default, limits, values, nested fields).
//!
//! Reusable field definitions (`fields:` of the service file) are not compared on their own:
//! the checker merges them into every field that uses them, so their changes show up there.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;

use super::ChangeKind;
use crate::spec::{
    ActionSpec, Api, CharsetSpec, Field, PaginationSpec, PartialFailureSpec, QpsSpec,
    ReturnCodeRef, ReturnCodeSpec, Scalar, ServiceSpec, TypeDef, TypeExpr, ValuesKind,
};

/// Where a field sits: in requests, in responses, or (for shared types) in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Role {
    pub request: bool,
    pub response: bool,
}

impl Role {
    pub const REQUEST: Role = Role {
        request: true,
        response: false,
    };
    pub const RESPONSE: Role = Role {
        request: false,
        response: true,
    };
    pub const BOTH: Role = Role {
        request: true,
        response: true,
    };
    pub const NONE: Role = Role {
        request: false,
        response: false,
    };
}

/// Facts the classifier needs beyond the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    None,
    /// A field added or removed, and whether it is required.
    Field {
        required: bool,
    },
    /// A renamed field: how the rename was found and the Rust names on both sides.
    Rename {
        by_alias: bool,
        rust_before: String,
        rust_after: String,
    },
    /// A limit (`max`, `max_bytes`, `charset`, ...) that changed.
    Limit {
        name: &'static str,
    },
    /// A requiredness change; `now` is the new requiredness.
    Required {
        now: bool,
    },
    /// A possible value added, removed or renamed, with the field's values kind.
    Value {
        kind: ValuesKind,
    },
    /// `retry_safe` is now this.
    RetrySafe {
        now: bool,
    },
    /// A return code whose retry flag changed.
    CodeRetry,
    /// A return code whose Rust name changed.
    CodeRenamed,
}

/// One change before classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChange {
    pub kind: ChangeKind,
    pub action: Option<String>,
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub role: Role,
    pub detail: Detail,
}

struct Sink {
    action: Option<String>,
    out: Vec<RawChange>,
}

impl Sink {
    fn push(
        &mut self,
        kind: ChangeKind,
        path: impl Into<String>,
        before: Option<String>,
        after: Option<String>,
        role: Role,
        detail: Detail,
    ) {
        self.out.push(RawChange {
            kind,
            action: self.action.clone(),
            path: path.into(),
            before,
            after,
            role,
            detail,
        });
    }

    /// A plain before/after change when the two texts differ.
    fn changed(&mut self, kind: ChangeKind, path: &str, before: String, after: String) {
        if before != after {
            self.push(
                kind,
                path,
                Some(before),
                Some(after),
                Role::NONE,
                Detail::None,
            );
        }
    }
}

/// Every change between `old` and `new`: service-wide first, then actions by name.
pub fn compare(old: &Api, new: &Api) -> Vec<RawChange> {
    let mut sink = Sink {
        action: None,
        out: Vec::new(),
    };
    let roles = type_roles(old, new);
    compare_service(&mut sink, &old.service, &new.service, &roles);

    let old_actions: BTreeMap<&str, &ActionSpec> = old
        .actions
        .iter()
        .map(|a| (a.spec.name.as_str(), &a.spec))
        .collect();
    let new_actions: BTreeMap<&str, &ActionSpec> = new
        .actions
        .iter()
        .map(|a| (a.spec.name.as_str(), &a.spec))
        .collect();
    let names: BTreeSet<&str> = old_actions
        .keys()
        .chain(new_actions.keys())
        .copied()
        .collect();
    for name in names {
        sink.action = Some(name.to_owned());
        match (old_actions.get(name), new_actions.get(name)) {
            (Some(a), None) => sink.push(
                ChangeKind::ActionRemoved,
                "action",
                Some(action_summary(a)),
                None,
                Role::NONE,
                Detail::None,
            ),
            (None, Some(a)) => sink.push(
                ChangeKind::ActionAdded,
                "action",
                None,
                Some(action_summary(a)),
                Role::NONE,
                Detail::None,
            ),
            (Some(a), Some(b)) => compare_action(&mut sink, a, b, &old.service, &new.service),
            (None, None) => {}
        }
    }
    sink.out
}

fn action_summary(action: &ActionSpec) -> String {
    format!("{} {}", action.category, method_text(action))
}

fn method_text(action: &ActionSpec) -> String {
    match action.method {
        crate::spec::Method::Get => "GET".into(),
        crate::spec::Method::Post => "POST".into(),
    }
}

fn compare_action(
    sink: &mut Sink,
    old: &ActionSpec,
    new: &ActionSpec,
    old_service: &ServiceSpec,
    new_service: &ServiceSpec,
) {
    sink.changed(
        ChangeKind::CategoryChanged,
        "category",
        old.category.clone(),
        new.category.clone(),
    );
    // The words an action's Rust items are named from: its `rust_name`, else its name.
    let words = |a: &ActionSpec| crate::generate::names::action_words(a).to_owned();
    sink.changed(
        ChangeKind::RustNameChanged,
        "rust_name",
        words(old),
        words(new),
    );
    sink.changed(
        ChangeKind::MethodChanged,
        "method",
        method_text(old),
        method_text(new),
    );
    let host = |h: &Option<String>| h.clone().unwrap_or_else(|| "regional hosts".into());
    sink.changed(
        ChangeKind::HostChanged,
        "host",
        host(&old.host),
        host(&new.host),
    );
    sink.changed(
        ChangeKind::QpsChanged,
        "qps",
        qps_text(&old.qps),
        qps_text(&new.qps),
    );
    if old.retry_safe != new.retry_safe {
        sink.push(
            ChangeKind::RetrySafeChanged,
            "retry_safe",
            Some(old.retry_safe.to_string()),
            Some(new.retry_safe.to_string()),
            Role::NONE,
            Detail::RetrySafe {
                now: new.retry_safe,
            },
        );
    }
    let wrapper = |w: &Option<String>| w.clone().unwrap_or_else(|| "none".into());
    sink.changed(
        ChangeKind::ResponseWrapperChanged,
        "response_wrapper",
        wrapper(&old.response_wrapper),
        wrapper(&new.response_wrapper),
    );
    optional_part(
        sink,
        "pagination",
        old.pagination.as_ref().map(pagination_text),
        new.pagination.as_ref().map(pagination_text),
        [
            ChangeKind::PaginationAdded,
            ChangeKind::PaginationRemoved,
            ChangeKind::PaginationChanged,
        ],
    );
    optional_part(
        sink,
        "partial_failure",
        old.partial_failure.as_ref().map(partial_failure_text),
        new.partial_failure.as_ref().map(partial_failure_text),
        [
            ChangeKind::PartialFailureAdded,
            ChangeKind::PartialFailureRemoved,
            ChangeKind::PartialFailureChanged,
        ],
    );

    compare_fields(sink, &old.request, &new.request, "request", Role::REQUEST);
    compare_fields(
        sink,
        &old.response,
        &new.response,
        "response",
        Role::RESPONSE,
    );

    let (removed, added) = super::rules::rule_changes(old, new);
    for rule in removed {
        sink.push(
            ChangeKind::RuleRemoved,
            "rules",
            Some(rule),
            None,
            Role::REQUEST,
            Detail::None,
        );
    }
    for rule in added {
        sink.push(
            ChangeKind::RuleAdded,
            "rules",
            None,
            Some(rule),
            Role::REQUEST,
            Detail::None,
        );
    }

    let old_codes = action_codes(&old.return_codes, old_service);
    let new_codes = action_codes(&new.return_codes, new_service);
    compare_codes(sink, &old_codes, &new_codes);
}

/// Added / removed / changed for an optional part of an action.
fn optional_part(
    sink: &mut Sink,
    path: &str,
    old: Option<String>,
    new: Option<String>,
    [added, removed, changed]: [ChangeKind; 3],
) {
    match (old, new) {
        (None, Some(after)) => sink.push(added, path, None, Some(after), Role::NONE, Detail::None),
        (Some(before), None) => {
            sink.push(removed, path, Some(before), None, Role::NONE, Detail::None)
        }
        (Some(before), Some(after)) => sink.changed(changed, path, before, after),
        (None, None) => {}
    }
}

fn qps_text(qps: &QpsSpec) -> String {
    let scope = match qps.scope {
        crate::spec::QpsScope::App => "app",
        crate::spec::QpsScope::Group => "group",
        crate::spec::QpsScope::Room => "room",
        crate::spec::QpsScope::Message => "message",
    };
    let mut text = format!("{} per second per {scope}", qps.limit);
    if let Some(key) = &qps.key {
        text.push_str(&format!(" (key {key})"));
    }
    if let Some(count) = &qps.count {
        text.push_str(&format!(" (counting items of {count})"));
    }
    if let Some(per_day) = qps.per_day {
        text.push_str(&format!(", {per_day} per day"));
    }
    text
}

fn pagination_text(p: &PaginationSpec) -> String {
    let style = match p.style {
        crate::spec::PaginationStyle::NumericNext => "numeric_next",
        crate::spec::PaginationStyle::StringNext => "string_next",
        crate::spec::PaginationStyle::NextFlag => "next_flag",
        crate::spec::PaginationStyle::StartFlag => "start_flag",
    };
    let done: Vec<String> = p.done_when.values.iter().map(scalar_text).collect();
    format!(
        "{style}: cursor {}, next {}, items {}, done when {} in [{}]",
        p.cursor,
        p.next,
        p.items,
        p.done_when.field,
        done.join(", ")
    )
}

fn partial_failure_text(p: &PartialFailureSpec) -> String {
    let mut text = format!("list {}", p.list);
    if let Some(id) = &p.id {
        text.push_str(&format!(", id {id}"));
    }
    text.push_str(&format!(", code {}", p.code));
    if let Some(message) = &p.message {
        text.push_str(&format!(", message {message}"));
    }
    text
}

/// Text of a scalar as written in YAML (strings quoted).
pub fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => format!("{s:?}"),
    }
}

/// An action's codes by number, with the name and retry flag each has on that side.
fn action_codes(refs: &[ReturnCodeRef], service: &ServiceSpec) -> BTreeMap<i64, (String, bool)> {
    refs.iter()
        .map(|r| match r {
            ReturnCodeRef::Global(code) => {
                let global = service.return_codes.iter().find(|c| c.code == *code);
                (
                    *code,
                    (
                        global.map(|c| c.name.clone()).unwrap_or_default(),
                        global.is_some_and(|c| c.retry),
                    ),
                )
            }
            ReturnCodeRef::Own(spec) => (spec.code, (spec.name.clone(), spec.retry)),
        })
        .collect()
}

fn global_codes(codes: &[ReturnCodeSpec]) -> BTreeMap<i64, (String, bool)> {
    codes
        .iter()
        .map(|c| (c.code, (c.name.clone(), c.retry)))
        .collect()
}

fn code_text(code: i64, (name, retry): &(String, bool)) -> String {
    let mut text = code.to_string();
    if !name.is_empty() {
        text.push_str(&format!(" {name}"));
    }
    if *retry {
        text.push_str(" (retried)");
    }
    text
}

fn compare_codes(
    sink: &mut Sink,
    old: &BTreeMap<i64, (String, bool)>,
    new: &BTreeMap<i64, (String, bool)>,
) {
    let codes: BTreeSet<i64> = old.keys().chain(new.keys()).copied().collect();
    for code in codes {
        match (old.get(&code), new.get(&code)) {
            (Some(before), None) => sink.push(
                ChangeKind::ReturnCodeRemoved,
                "return_codes",
                Some(code_text(code, before)),
                None,
                Role::NONE,
                Detail::None,
            ),
            (None, Some(after)) => sink.push(
                ChangeKind::ReturnCodeAdded,
                "return_codes",
                None,
                Some(code_text(code, after)),
                Role::NONE,
                Detail::None,
            ),
            (Some(before), Some(after)) if before != after => sink.push(
                ChangeKind::ReturnCodeChanged,
                "return_codes",
                Some(code_text(code, before)),
                Some(code_text(code, after)),
                Role::NONE,
                if before.0 != after.0 {
                    Detail::CodeRenamed
                } else {
                    Detail::CodeRetry
                },
            ),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fields

/// The type of a field as canonical text (`array<string>`).
pub fn type_text(field: &Field) -> String {
    match field.ty.as_deref() {
        Some(ty) => TypeExpr::parse(ty)
            .map(|t| t.to_string())
            .unwrap_or_else(|_| ty.trim().to_owned()),
        None => "?".into(),
    }
}

fn has_object(field: &Field) -> bool {
    field
        .ty
        .as_deref()
        .and_then(|ty| TypeExpr::parse(ty).ok())
        .is_some_and(|t| *t.leaf() == TypeExpr::Object)
}

fn required(field: &Field) -> bool {
    field.required.unwrap_or(false)
}

/// The Rust name of a field: the snake_case of its `rust_name`, or of its wire name, without
/// characters an identifier cannot hold (as the generator derives it).
pub fn rust_field_name(field: &Field) -> String {
    let base = field.rust_name.as_deref().unwrap_or(&field.name);
    let clean: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    clean.trim_matches('_').to_snake_case()
}

fn values_kind(field: &Field) -> Option<ValuesKind> {
    if field.values.is_empty() {
        None
    } else {
        Some(field.values_kind.unwrap_or(ValuesKind::Closed))
    }
}

fn values_kind_text(kind: Option<ValuesKind>) -> String {
    match kind {
        None => "none".into(),
        Some(ValuesKind::Closed) => "closed".into(),
        Some(ValuesKind::Open) => "open".into(),
        Some(ValuesKind::Flags) => "flags".into(),
    }
}

fn field_summary(field: &Field) -> String {
    let mut text = type_text(field);
    if required(field) {
        text.push_str(", required");
    }
    if let Some(default) = &field.default {
        text.push_str(&format!(", default {}", scalar_text(default)));
    }
    text
}

/// Everything but the wire name, Rust name, aliases and docs: what a positional rename must
/// keep.
fn same_shape(a: &Field, b: &Field) -> bool {
    let strip = |f: &Field| Field {
        name: String::new(),
        rust_name: None,
        aliases: Vec::new(),
        docs: None,
        ty: Some(type_text(f)),
        required: Some(required(f)),
        fields: f.fields.iter().map(strip_docs).collect(),
        values: f
            .values
            .iter()
            .map(|v| crate::spec::PossibleValue {
                docs: String::new(),
                ..v.clone()
            })
            .collect(),
        ..f.clone()
    };
    strip(a) == strip(b)
}

fn strip_docs(f: &Field) -> Field {
    Field {
        docs: None,
        fields: f.fields.iter().map(strip_docs).collect(),
        values: f
            .values
            .iter()
            .map(|v| crate::spec::PossibleValue {
                docs: String::new(),
                ..v.clone()
            })
            .collect(),
        ..f.clone()
    }
}

fn compare_fields(sink: &mut Sink, old: &[Field], new: &[Field], prefix: &str, role: Role) {
    let new_index: BTreeMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let old_names: BTreeSet<&str> = old.iter().map(|f| f.name.as_str()).collect();
    let removed: Vec<usize> = (0..old.len())
        .filter(|i| !new_index.contains_key(old[*i].name.as_str()))
        .collect();
    let added: Vec<usize> = (0..new.len())
        .filter(|j| !old_names.contains(new[*j].name.as_str()))
        .collect();

    // old index -> (new index, found by alias)
    let mut renames: BTreeMap<usize, (usize, bool)> = BTreeMap::new();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    for &i in &removed {
        let by_alias: Vec<usize> = added
            .iter()
            .copied()
            .filter(|j| !taken.contains(j) && new[*j].aliases.contains(&old[i].name))
            .collect();
        if let [j] = by_alias[..] {
            renames.insert(i, (j, true));
            taken.insert(j);
        }
    }
    for &i in &removed {
        if renames.contains_key(&i) {
            continue;
        }
        if added.contains(&i) && !taken.contains(&i) && same_shape(&old[i], &new[i]) {
            renames.insert(i, (i, false));
            taken.insert(i);
        }
    }

    for (i, old_field) in old.iter().enumerate() {
        let path = format!("{prefix}.{}", old_field.name);
        if let Some(&j) = new_index.get(old_field.name.as_str()) {
            compare_field(sink, old_field, &new[j], &path, role, None);
        } else if let Some(&(j, by_alias)) = renames.get(&i) {
            let new_field = &new[j];
            let rust_before = rust_field_name(old_field);
            let rust_after = rust_field_name(new_field);
            sink.push(
                ChangeKind::FieldRenamed,
                &path,
                Some(old_field.name.clone()),
                Some(new_field.name.clone()),
                role,
                Detail::Rename {
                    by_alias,
                    rust_before,
                    rust_after,
                },
            );
            let new_path = format!("{prefix}.{}", new_field.name);
            compare_field(
                sink,
                old_field,
                new_field,
                &new_path,
                role,
                Some(&old_field.name),
            );
        } else {
            sink.push(
                ChangeKind::FieldRemoved,
                &path,
                Some(field_summary(old_field)),
                None,
                role,
                Detail::Field {
                    required: required(old_field),
                },
            );
        }
    }
    for &j in &added {
        if taken.contains(&j) {
            continue;
        }
        let field = &new[j];
        sink.push(
            ChangeKind::FieldAdded,
            format!("{prefix}.{}", field.name),
            None,
            Some(field_summary(field)),
            role,
            Detail::Field {
                required: required(field),
            },
        );
    }
}

/// Compares one field present on both sides. `renamed_from` is the old wire name of a
/// renamed field: its Rust name change is part of the rename, and the alias naming the old
/// name is expected.
fn compare_field(
    sink: &mut Sink,
    old: &Field,
    new: &Field,
    path: &str,
    role: Role,
    renamed_from: Option<&str>,
) {
    let push = |sink: &mut Sink, kind, before, after, detail| {
        sink.push(kind, path, before, after, role, detail)
    };

    if renamed_from.is_none() {
        let (before, after) = (rust_field_name(old), rust_field_name(new));
        if before != after {
            push(
                sink,
                ChangeKind::RustNameChanged,
                Some(before),
                Some(after),
                Detail::None,
            );
        }
    }
    let aliases = |f: &Field| -> BTreeSet<String> {
        f.aliases
            .iter()
            .filter(|a| Some(a.as_str()) != renamed_from)
            .cloned()
            .collect()
    };
    let (old_aliases, new_aliases) = (aliases(old), aliases(new));
    if old_aliases != new_aliases {
        let join = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "none".to_owned()
            } else {
                s.iter().cloned().collect::<Vec<_>>().join(", ")
            }
        };
        push(
            sink,
            ChangeKind::AliasesChanged,
            Some(join(&old_aliases)),
            Some(join(&new_aliases)),
            Detail::None,
        );
    }

    let (old_ty, new_ty) = (type_text(old), type_text(new));
    if old_ty != new_ty {
        push(
            sink,
            ChangeKind::TypeChanged,
            Some(old_ty),
            Some(new_ty),
            Detail::None,
        );
    }
    if old.type_name != new.type_name {
        let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "(derived)".into());
        push(
            sink,
            ChangeKind::TypeNameChanged,
            Some(name(&old.type_name)),
            Some(name(&new.type_name)),
            Detail::None,
        );
    }
    if required(old) != required(new) {
        let text = |r: bool| if r { "required" } else { "optional" }.to_owned();
        push(
            sink,
            ChangeKind::RequiredChanged,
            Some(text(required(old))),
            Some(text(required(new))),
            Detail::Required { now: required(new) },
        );
    }
    if old.default != new.default {
        push(
            sink,
            ChangeKind::DefaultChanged,
            old.default.as_ref().map(scalar_text),
            new.default.as_ref().map(scalar_text),
            Detail::None,
        );
    }
    if old.selector != new.selector {
        push(
            sink,
            ChangeKind::SelectorChanged,
            old.selector.clone(),
            new.selector.clone(),
            Detail::None,
        );
    }
    compare_limits(sink, old, new, path, role);
    compare_values(sink, old, new, path, role);
    if has_object(old) && has_object(new) {
        compare_fields(sink, &old.fields, &new.fields, path, role);
    }
    let (removed, added) = super::rules::rule_list_changes(&old.rules, &new.rules);
    let rules_path = format!("{path}.rules");
    for rule in removed {
        sink.push(
            ChangeKind::RuleRemoved,
            rules_path.clone(),
            Some(rule),
            None,
            role,
            Detail::None,
        );
    }
    for rule in added {
        sink.push(
            ChangeKind::RuleAdded,
            rules_path.clone(),
            None,
            Some(rule),
            role,
            Detail::None,
        );
    }
}

/// A limit's name and how to read it from a field.
type Bound = (&'static str, fn(&Field) -> Option<i128>);

/// Upper bounds: a smaller value or a new bound tightens.
const UPPER: &[Bound] = &[
    ("max_bytes", |f| f.max_bytes.map(i128::from)),
    ("max_chars", |f| f.max_chars.map(i128::from)),
    ("max", |f| f.max.map(i128::from)),
    ("max_items", |f| f.max_items.map(i128::from)),
    ("item_max_bytes", |f| f.item_max_bytes.map(i128::from)),
    ("item_max_chars", |f| f.item_max_chars.map(i128::from)),
];

/// Lower bounds: a larger value or a new bound tightens.
const LOWER: &[Bound] = &[
    ("min_len", |f| f.min_len.map(i128::from)),
    ("min", |f| f.min.map(i128::from)),
    ("min_items", |f| f.min_items.map(i128::from)),
];

fn limit_text(name: &str, value: Option<impl ToString>) -> String {
    match value {
        Some(v) => format!("{name}: {}", v.to_string()),
        None => format!("{name}: none"),
    }
}

fn compare_limits(sink: &mut Sink, old: &Field, new: &Field, path: &str, role: Role) {
    let mut push = |name: &'static str, tightened: bool, before: String, after: String| {
        let kind = if tightened {
            ChangeKind::LimitTightened
        } else {
            ChangeKind::LimitLoosened
        };
        sink.push(
            kind,
            path,
            Some(before),
            Some(after),
            role,
            Detail::Limit { name },
        );
    };
    for (upper, bounds) in [(true, UPPER), (false, LOWER)] {
        for (name, get) in bounds {
            let (a, b) = (get(old), get(new));
            let tightened = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a != b => (b < a) == upper,
                _ => continue,
            };
            push(name, tightened, limit_text(name, a), limit_text(name, b));
        }
    }
    for (name, tightened, before, after) in super::rules::text_limit_changes(old, new) {
        push(name, tightened, before, after);
    }
    if old.charset != new.charset {
        // A different charset can forbid characters the old one allowed; only dropping the
        // charset is sure to loosen.
        push(
            "charset",
            new.charset.is_some(),
            limit_text("charset", old.charset.as_ref()),
            limit_text("charset", new.charset.as_ref()),
        );
    }
    if old.max_items_default != new.max_items_default {
        sink.push(
            ChangeKind::CapDefaultChanged,
            path,
            Some(limit_text("max_items_default", old.max_items_default)),
            Some(limit_text("max_items_default", new.max_items_default)),
            role,
            Detail::None,
        );
    }
}

fn compare_values(sink: &mut Sink, old: &Field, new: &Field, path: &str, role: Role) {
    let (old_kind, new_kind) = (values_kind(old), values_kind(new));
    if old_kind != new_kind {
        sink.push(
            ChangeKind::ValuesKindChanged,
            path,
            Some(values_kind_text(old_kind)),
            Some(values_kind_text(new_kind)),
            role,
            Detail::None,
        );
    }
    let by_value = |f: &Field| -> BTreeMap<String, String> {
        f.values
            .iter()
            .map(|v| (scalar_text(&v.value), v.name.clone()))
            .collect()
    };
    let (old_values, new_values) = (by_value(old), by_value(new));
    let text = |value: &str, name: &str| format!("{value} {name}");
    // Sorted numerically when values are numbers.
    let mut keys: Vec<&String> = old_values.keys().chain(new_values.keys()).collect();
    keys.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => a.cmp(b),
    });
    keys.dedup();
    for value in keys {
        let (kind, before, after, field_kind) = match (old_values.get(value), new_values.get(value))
        {
            (Some(a), None) => (
                ChangeKind::ValueRemoved,
                Some(text(value, a)),
                None,
                old_kind,
            ),
            (None, Some(b)) => (ChangeKind::ValueAdded, None, Some(text(value, b)), new_kind),
            (Some(a), Some(b)) if a != b => (
                ChangeKind::ValueRenamed,
                Some(text(value, a)),
                Some(text(value, b)),
                new_kind,
            ),
            _ => continue,
        };
        sink.push(
            kind,
            path,
            before,
            after,
            role,
            Detail::Value {
                kind: field_kind.unwrap_or(ValuesKind::Closed),
            },
        );
    }
}

// ---------------------------------------------------------------------------------------
// The service file

/// Where each shared type is used, on either side; a type used nowhere counts as both.
fn type_roles(old: &Api, new: &Api) -> BTreeMap<String, Role> {
    let mut roles: BTreeMap<String, Role> = BTreeMap::new();
    for api in [old, new] {
        for action in &api.actions {
            for (fields, role) in [
                (&action.spec.request, Role::REQUEST),
                (&action.spec.response, Role::RESPONSE),
            ] {
                let mut seen = BTreeSet::new();
                mark_types(fields, &api.service.types, &mut seen);
                for name in seen {
                    let entry = roles.entry(name).or_default();
                    entry.request |= role.request;
                    entry.response |= role.response;
                }
            }
        }
    }
    for api in [old, new] {
        for name in api.service.types.keys() {
            let entry = roles.entry(name.clone()).or_default();
            if *entry == Role::NONE {
                *entry = Role::BOTH;
            }
        }
    }
    roles
}

fn mark_types(fields: &[Field], types: &BTreeMap<String, TypeDef>, seen: &mut BTreeSet<String>) {
    for field in fields {
        if let Some(Ok(ty)) = field.ty.as_deref().map(TypeExpr::parse)
            && let TypeExpr::Named(name) = ty.leaf()
            && seen.insert(name.clone())
            && let Some(def) = types.get(name)
        {
            mark_types(&def.fields, types, seen);
            for variant in &def.variants {
                mark_types(&variant.fields, types, seen);
            }
        }
        mark_types(&field.fields, types, seen);
    }
}

fn compare_service(
    sink: &mut Sink,
    old: &ServiceSpec,
    new: &ServiceSpec,
    roles: &BTreeMap<String, Role>,
) {
    sink.changed(
        ChangeKind::ServiceChanged,
        "hosts.default",
        old.hosts.default.clone(),
        new.hosts.default.clone(),
    );
    let hosts = |list: &[crate::spec::HostSpec]| -> BTreeMap<String, String> {
        list.iter()
            .map(|h| (h.id.clone(), h.host.clone()))
            .collect()
    };
    for (group, old_hosts, new_hosts) in [
        (
            "regions",
            hosts(&old.hosts.regions),
            hosts(&new.hosts.regions),
        ),
        (
            "services",
            hosts(&old.hosts.services),
            hosts(&new.hosts.services),
        ),
    ] {
        let ids: BTreeSet<&String> = old_hosts.keys().chain(new_hosts.keys()).collect();
        for id in ids {
            let path = format!("hosts.{group}.{id}");
            let (before, after) = (old_hosts.get(id).cloned(), new_hosts.get(id).cloned());
            let kind = match (&before, &after, group) {
                (None, Some(_), "regions") => ChangeKind::RegionAdded,
                (Some(_), None, "regions") => ChangeKind::RegionRemoved,
                (a, b, _) if a != b => ChangeKind::HostChanged,
                _ => continue,
            };
            sink.push(kind, path, before, after, Role::NONE, Detail::None);
        }
    }
    let signing = |s: &crate::spec::SigningSpec| {
        format!(
            "{} version {}, max skew {}",
            match s.scheme {
                crate::spec::SigningScheme::Md5Concat => "md5_concat",
            },
            s.version,
            s.max_skew_secs
                .map(|v| format!("{v}s"))
                .unwrap_or_else(|| "none".into())
        )
    };
    sink.changed(
        ChangeKind::ServiceChanged,
        "signing",
        signing(&old.signing),
        signing(&new.signing),
    );
    let envelope = |e: &crate::spec::EnvelopeSpec| {
        format!(
            "code {}, message {}, request id {}",
            e.code, e.message, e.request_id
        )
    };
    sink.changed(
        ChangeKind::ServiceChanged,
        "envelope",
        envelope(&old.envelope),
        envelope(&new.envelope),
    );
    let params = |p: &[crate::spec::PublicParam]| {
        p.iter()
            .map(|p| format!("{}: {}", p.name, p.ty))
            .collect::<Vec<_>>()
            .join(", ")
    };
    sink.changed(
        ChangeKind::ServiceChanged,
        "public_params",
        params(&old.public_params),
        params(&new.public_params),
    );
    compare_charsets(sink, &old.charsets, &new.charsets);
    compare_codes(
        sink,
        &global_codes(&old.return_codes),
        &global_codes(&new.return_codes),
    );
    compare_types(sink, &old.types, &new.types, roles);
}

/// Every character a charset allows.
fn charset_chars(charset: &CharsetSpec) -> BTreeSet<char> {
    let mut chars: BTreeSet<char> = charset.chars.chars().collect();
    for range in &charset.ranges {
        let mut ends = range.chars().filter(|c| *c != '-');
        if let (Some(start), Some(end)) = (ends.next(), ends.next()) {
            chars.extend(start..=end);
        }
    }
    chars
}

fn compare_charsets(
    sink: &mut Sink,
    old: &BTreeMap<String, CharsetSpec>,
    new: &BTreeMap<String, CharsetSpec>,
) {
    for (name, old_set) in old {
        let Some(new_set) = new.get(name) else {
            continue;
        };
        let (a, b) = (charset_chars(old_set), charset_chars(new_set));
        if a == b {
            continue;
        }
        let lost: String = a.difference(&b).collect();
        let gained: String = b.difference(&a).collect();
        let describe = |s: &str| {
            if s.is_empty() {
                "nothing".to_owned()
            } else {
                s.to_owned()
            }
        };
        let kind = if lost.is_empty() {
            ChangeKind::LimitLoosened
        } else {
            ChangeKind::LimitTightened
        };
        sink.push(
            kind,
            format!("charsets.{name}"),
            Some(format!("only before: {}", describe(&lost))),
            Some(format!("only after: {}", describe(&gained))),
            Role::REQUEST,
            Detail::Limit { name: "charset" },
        );
    }
}

fn compare_types(
    sink: &mut Sink,
    old: &BTreeMap<String, TypeDef>,
    new: &BTreeMap<String, TypeDef>,
    roles: &BTreeMap<String, Role>,
) {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        let path = format!("types.{name}");
        let role = roles.get(name).copied().unwrap_or(Role::BOTH);
        let shape = |t: &TypeDef| {
            if t.variants.is_empty() {
                "object".to_owned()
            } else {
                format!(
                    "variants selected by {}",
                    t.selector_type.as_deref().unwrap_or("?")
                )
            }
        };
        match (old.get(name), new.get(name)) {
            (Some(t), None) => sink.push(
                ChangeKind::SharedTypeRemoved,
                path,
                Some(shape(t)),
                None,
                role,
                Detail::None,
            ),
            (None, Some(t)) => sink.push(
                ChangeKind::SharedTypeAdded,
                path,
                None,
                Some(shape(t)),
                role,
                Detail::None,
            ),
            (Some(a), Some(b)) => {
                if shape(a) != shape(b) {
                    sink.push(
                        ChangeKind::TypeChanged,
                        &path,
                        Some(shape(a)),
                        Some(shape(b)),
                        role,
                        Detail::None,
                    );
                }
                compare_fields(sink, &a.fields, &b.fields, &path, role);
                compare_variants(sink, a, b, &path, role);
            }
            (None, None) => {}
        }
    }
}

fn compare_variants(sink: &mut Sink, old: &TypeDef, new: &TypeDef, path: &str, role: Role) {
    let text = |v: &crate::spec::VariantDef| {
        let when: Vec<String> = v.when.iter().map(scalar_text).collect();
        let encoding = match v.encoding {
            crate::spec::VariantEncoding::Object => "object",
            crate::spec::VariantEncoding::Text => "text",
            crate::spec::VariantEncoding::JsonText => "json_text",
            crate::spec::VariantEncoding::UrlEncodedJsonText => "url_encoded_json_text",
        };
        format!("when [{}], {encoding}", when.join(", "))
    };
    for old_variant in &old.variants {
        let path = format!("{path}.{}", old_variant.name);
        match new.variants.iter().find(|v| v.name == old_variant.name) {
            None => sink.push(
                ChangeKind::VariantRemoved,
                path,
                Some(text(old_variant)),
                None,
                role,
                Detail::None,
            ),
            Some(new_variant) => {
                if text(old_variant) != text(new_variant) {
                    sink.push(
                        ChangeKind::VariantChanged,
                        &path,
                        Some(text(old_variant)),
                        Some(text(new_variant)),
                        role,
                        Detail::None,
                    );
                }
                compare_fields(sink, &old_variant.fields, &new_variant.fields, &path, role);
            }
        }
    }
    for new_variant in &new.variants {
        if !old.variants.iter().any(|v| v.name == new_variant.name) {
            sink.push(
                ChangeKind::VariantAdded,
                format!("{path}.{}", new_variant.name),
                None,
                Some(text(new_variant)),
                role,
                Detail::None,
            );
        }
    }
}
