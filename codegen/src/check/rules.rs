//! Semantic rules: everything serde cannot see.
//!
//! Runs after every file deserialized: merges `use:` definitions into the fields that name
//! them, then checks the service file, the shared types and every action. Each rule reports
//! through the [`Reporter`] with the YAML path of the offending node and goes on.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::keys::did_you_mean;
use super::source_map::{join_index, join_key};
use super::{At, Code, Reporter};
use crate::spec::{
    ActionSpec, Field, Method, QpsScope, ReturnCodeRef, Scalar, ServiceSpec, TypeDef, TypeExpr,
    ValuesKind,
};

/// Deepest nesting of fields the checker follows.
const MAX_NESTING: usize = 64;

/// Merges `use:` definitions and checks the service and every action.
pub(crate) fn check(
    r: &mut Reporter<'_>,
    service_file: Option<usize>,
    mut service: Option<&mut ServiceSpec>,
    actions: &mut [(usize, ActionSpec)],
) {
    // 1. Merge `use:` everywhere but in the definitions themselves.
    let defs: BTreeMap<String, Field> = service
        .as_ref()
        .map(|s| s.fields.clone())
        .unwrap_or_default();
    let have_service = service.is_some();
    if let (Some(service), Some(file)) = (service.as_deref_mut(), service_file) {
        for (name, def) in service.types.iter_mut() {
            let base = join_key("types", name);
            merge_list(
                r,
                file,
                &join_key(&base, "fields"),
                &mut def.fields,
                &defs,
                &mut Merging::default(),
                0,
            );
            for (i, variant) in def.variants.iter_mut().enumerate() {
                let vpath = join_key(&join_index(&join_key(&base, "variants"), i), "fields");
                merge_list(
                    r,
                    file,
                    &vpath,
                    &mut variant.fields,
                    &defs,
                    &mut Merging::default(),
                    0,
                );
            }
        }
    }
    if let (Some(service), Some(file)) = (service.as_deref_mut(), service_file) {
        // Inside the definitions themselves: nested fields may `use:` other definitions.
        for (name, def) in service.fields.iter_mut() {
            let mut state = Merging {
                chain: vec![name.clone()],
                merges: 0,
            };
            let path = join_key(&join_key("fields", name), "fields");
            merge_list(r, file, &path, &mut def.fields, &defs, &mut state, 0);
        }
    }
    for (file, action) in actions.iter_mut() {
        if have_service {
            merge_list(
                r,
                *file,
                "request",
                &mut action.request,
                &defs,
                &mut Merging::default(),
                0,
            );
            merge_list(
                r,
                *file,
                "response",
                &mut action.response,
                &defs,
                &mut Merging::default(),
                0,
            );
        }
    }

    // `extends` and `values_add` build on the merged fields.
    super::extend::resolve(r, service_file, service.as_deref_mut(), actions);

    // 2. Check.
    let service: Option<&ServiceSpec> = service.map(|s| &*s);
    let mut cx = Cx {
        service,
        bad_defs: BTreeSet::new(),
    };
    if let (Some(service), Some(file)) = (service, service_file) {
        check_service(&mut cx, r, file, service);
    }
    let mut first_by_name: HashMap<String, usize> = HashMap::new();
    for (file, action) in actions.iter() {
        check_action(&cx, r, *file, action);
        match first_by_name.get(&action.name) {
            Some(first) => {
                let first_file = r
                    .files
                    .get(*first)
                    .map(|f| super::diagnostics::display_path(&f.shown))
                    .unwrap_or_default();
                r.report(
                    *file,
                    Code::DuplicateAction,
                    "name",
                    At::Value,
                    format!("action `{}` is defined twice", action.name),
                    Some(format!("the first definition is in `{first_file}`")),
                );
            }
            None => {
                first_by_name.insert(action.name.clone(), *file);
            }
        }
    }
}

struct Cx<'s> {
    service: Option<&'s ServiceSpec>,
    /// Reusable definitions that have errors of their own; fields that use them are not
    /// checked again for the same errors.
    bad_defs: BTreeSet<String>,
}

// ---------------------------------------------------------------------------------------
// `use:` merging

/// Most `use:` expansions in one file, a guard against definitions that multiply.
const MAX_MERGES: usize = 100_000;

/// Definitions being expanded (to find cycles) and how many were expanded so far.
#[derive(Default)]
struct Merging {
    chain: Vec<String>,
    merges: usize,
}

fn merge_list(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    fields: &mut [Field],
    defs: &BTreeMap<String, Field>,
    state: &mut Merging,
    depth: usize,
) {
    if depth > MAX_NESTING {
        r.report(
            file,
            Code::UnknownUse,
            path,
            At::Key,
            "`use:` definitions nest too deep (a definition that contains itself?)",
            Some("a reusable definition must not use itself inside its fields".into()),
        );
        return;
    }
    for (i, field) in fields.iter_mut().enumerate() {
        let fpath = join_index(path, i);
        let mut pushed = false;
        if let Some(name) = field.use_def.clone() {
            match defs.get(&name) {
                Some(_) if state.chain.contains(&name) => {
                    r.report(
                        file,
                        Code::UnknownUse,
                        &join_key(&fpath, "use"),
                        At::Value,
                        format!("`use: {name}` inside the definition `{name}` itself"),
                        Some("a reusable definition must not contain itself".into()),
                    );
                    continue;
                }
                Some(_) if state.merges >= MAX_MERGES => {
                    r.report(
                        file,
                        Code::UnknownUse,
                        &join_key(&fpath, "use"),
                        At::Value,
                        "`use:` definitions expand to too many fields",
                        Some("definitions that use each other several times multiply".into()),
                    );
                    continue;
                }
                Some(def) => {
                    merge_field(field, def);
                    state.merges += 1;
                    state.chain.push(name);
                    pushed = true;
                }
                None => {
                    r.report(
                        file,
                        Code::UnknownUse,
                        &join_key(&fpath, "use"),
                        At::Value,
                        format!("no reusable field definition named `{name}`"),
                        suggest(&name, defs.keys().map(String::as_str)).or_else(|| {
                            Some("definitions live under `fields:` in service.yaml".into())
                        }),
                    );
                }
            }
        }
        merge_list(
            r,
            file,
            &join_key(&fpath, "fields"),
            &mut field.fields,
            defs,
            state,
            depth + 1,
        );
        if pushed {
            state.chain.pop();
        }
    }
}

/// Keys given on the field win over the definition's.
pub(super) fn merge_field(field: &mut Field, def: &Field) {
    if field.name.is_empty() {
        field.name = def.name.clone();
    }
    fn or<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
        if mine.is_none() {
            mine.clone_from(theirs);
        }
    }
    fn or_vec<T: Clone>(mine: &mut Vec<T>, theirs: &[T]) {
        if mine.is_empty() {
            *mine = theirs.to_vec();
        }
    }
    or(&mut field.rust_name, &def.rust_name);
    or(&mut field.ty, &def.ty);
    or(&mut field.docs, &def.docs);
    or(&mut field.required, &def.required);
    or(&mut field.default, &def.default);
    or_vec(&mut field.fields, &def.fields);
    or(&mut field.type_name, &def.type_name);
    or(&mut field.selector, &def.selector);
    or_vec(&mut field.aliases, &def.aliases);
    or(&mut field.max_bytes, &def.max_bytes);
    or(&mut field.max_chars, &def.max_chars);
    or(&mut field.min_len, &def.min_len);
    or(&mut field.min, &def.min);
    or(&mut field.max, &def.max);
    or(&mut field.min_items, &def.min_items);
    or(&mut field.max_items, &def.max_items);
    or(&mut field.item_max_bytes, &def.item_max_bytes);
    or(&mut field.item_max_chars, &def.item_max_chars);
    or(&mut field.charset, &def.charset);
    or(&mut field.prefix, &def.prefix);
    or(&mut field.not_starting_with, &def.not_starting_with);
    or(&mut field.max_total_bytes, &def.max_total_bytes);
    or(&mut field.max_items_default, &def.max_items_default);
    or_vec(&mut field.values, &def.values);
    or(&mut field.values_kind, &def.values_kind);
}

// ---------------------------------------------------------------------------------------
// Helpers

/// Comparisons of names [`suggest`] may make in one check run. Each unknown name is compared
/// with every candidate, so a file of thousands of unknown `use:`s against thousands of
/// definitions would cost their product (10,000 x 5,000 took 19 s); past the budget the hints
/// are left out, which keeps the check linear.
const SUGGESTION_BUDGET: usize = 200_000;

thread_local! {
    static SUGGESTIONS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(SUGGESTION_BUDGET) };
}

/// Gives [`suggest`] its whole budget again, for a new check run.
pub(crate) fn reset_suggestion_budget() {
    SUGGESTIONS_LEFT.with(|left| left.set(SUGGESTION_BUDGET));
}

/// Near names among `candidates`, as a "did you mean" hint. The candidates are not even read
/// once the budget is spent (collecting them per problem would be quadratic too).
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates = candidates.into_iter();
    let cost = candidates.size_hint().1.unwrap_or(usize::MAX);
    let affordable = SUGGESTIONS_LEFT.with(|left| {
        let now = left.get();
        left.set(now.saturating_sub(cost));
        now >= cost
    });
    if !affordable {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let best = scored.first()?.0;
    let near: Vec<String> = scored
        .into_iter()
        .filter(|(score, _)| best - score < 0.03)
        .take(2)
        .map(|(_, c)| c.to_owned())
        .collect();
    did_you_mean(&near)
}

/// Up to eight names, comma-separated, and how many more there are: a hint that lists the
/// choices stays short however many there are.
fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 8;
    let mut names = names.into_iter();
    let shown: Vec<&str> = names.by_ref().take(SHOWN).collect();
    let more = names.count();
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => format!("{s:?}"),
    }
}

/// The range of an integer type.
fn int_range(ty: &TypeExpr) -> Option<(i128, i128)> {
    match ty {
        TypeExpr::Int32 => Some((i32::MIN.into(), i32::MAX.into())),
        TypeExpr::Uint32 => Some((0, u32::MAX.into())),
        TypeExpr::Int64 => Some((i64::MIN.into(), i64::MAX.into())),
        TypeExpr::Uint64 => Some((0, u64::MAX.into())),
        _ => None,
    }
}

/// Whether a scalar can be a value of `ty`; `Err` says why not.
fn scalar_fits(ty: &TypeExpr, value: &Scalar) -> Result<(), String> {
    match (ty, value) {
        (TypeExpr::String, Scalar::Str(_)) | (TypeExpr::Bool, Scalar::Bool(_)) => Ok(()),
        (TypeExpr::String, other) => Err(format!(
            "{} is not a string; write it in quotes: \"{}\"",
            scalar_text(other),
            match other {
                Scalar::Bool(b) => b.to_string(),
                Scalar::Int(i) => i.to_string(),
                Scalar::Str(s) => s.clone(),
            }
        )),
        (t, Scalar::Int(i)) if t.is_integer() => match int_range(t) {
            Some((lo, hi)) if i128::from(*i) < lo || i128::from(*i) > hi => {
                Err(format!("{i} is outside the range of {t} ({lo}..={hi})"))
            }
            _ => Ok(()),
        },
        (t, other) => Err(format!("{} is not a value of type {t}", scalar_text(other))),
    }
}

/// The scalar type whose values a field lists: the type itself or the item type of an array.
fn value_type(ty: &TypeExpr) -> Option<&TypeExpr> {
    match ty {
        TypeExpr::String | TypeExpr::Bool => Some(ty),
        t if t.is_integer() => Some(t),
        TypeExpr::Array(inner) => match inner.as_ref() {
            TypeExpr::Array(_) => None,
            inner => value_type(inner),
        },
        _ => None,
    }
}

fn count_objects(ty: &TypeExpr) -> usize {
    match ty {
        TypeExpr::Object => 1,
        TypeExpr::Array(inner)
        | TypeExpr::Map(inner)
        | TypeExpr::Json(inner)
        | TypeExpr::TextOr(inner) => count_objects(inner),
        _ => 0,
    }
}

fn is_stringish(ty: &TypeExpr) -> bool {
    matches!(ty, TypeExpr::String | TypeExpr::Json(_))
}

/// The field's parsed type, when it has a valid one.
fn field_type(field: &Field) -> Option<TypeExpr> {
    field.ty.as_deref().and_then(|t| TypeExpr::parse(t).ok())
}

/// The Rust field name the generator gives `field` (its own function, so the two agree).
fn rust_name_of(field: &Field) -> String {
    let words = field.rust_name.as_deref().unwrap_or(&field.name);
    crate::generate::names::field_name(words)
}

// ---------------------------------------------------------------------------------------
// Service

fn check_service(cx: &mut Cx<'_>, r: &mut Reporter<'_>, file: usize, service: &ServiceSpec) {
    // Hosts.
    let mut seen_hosts: HashMap<&str, ()> = HashMap::new();
    for (list, hosts) in [
        ("hosts.regions", &service.hosts.regions),
        ("hosts.services", &service.hosts.services),
    ] {
        for (i, host) in hosts.iter().enumerate() {
            let path = join_key(&join_index(list, i), "id");
            if seen_hosts.insert(&host.id, ()).is_some() {
                r.report(
                    file,
                    Code::DuplicateField,
                    &path,
                    At::Value,
                    format!("host id `{}` is given twice", host.id),
                    Some("give every host its own id".into()),
                );
            }
            if !is_snake(&host.id) {
                r.report(
                    file,
                    Code::BadName,
                    &path,
                    At::Value,
                    format!("host id `{}` is not snake_case", host.id),
                    Some(format!("write it as `{}`", host.id.to_snake_case())),
                );
            }
        }
    }
    if !service
        .hosts
        .regions
        .iter()
        .any(|h| h.id == service.hosts.default)
    {
        let ids: Vec<&str> = service
            .hosts
            .regions
            .iter()
            .map(|h| h.id.as_str())
            .collect();
        r.report(
            file,
            Code::UnknownHost,
            "hosts.default",
            At::Value,
            format!(
                "the default region `{}` is not among `hosts.regions`",
                service.hosts.default
            ),
            suggest(&service.hosts.default, ids.iter().copied())
                .or_else(|| Some(format!("region ids: {}", ids.join(", ")))),
        );
    }

    // Public parameters.
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for (i, param) in service.public_params.iter().enumerate() {
        if seen.insert(&param.name, ()).is_some() {
            r.report(
                file,
                Code::DuplicateField,
                &join_key(&join_index("public_params", i), "name"),
                At::Value,
                format!("public parameter `{}` is listed twice", param.name),
                Some("remove one of them".into()),
            );
        }
        if let Err(err) = TypeExpr::parse(&param.ty) {
            let path = join_key(&join_index("public_params", i), "type");
            if err.too_deep {
                report_deep_type(r, file, &path, err);
            } else {
                r.report(
                    file,
                    Code::BadType,
                    &path,
                    At::Value,
                    err.message,
                    err.suggestion.map(|s| format!("did you mean `{s}`?")),
                );
            }
        }
    }

    // Charsets.
    for (name, charset) in &service.charsets {
        for (i, range) in charset.ranges.iter().enumerate() {
            let chars: Vec<char> = range.chars().collect();
            let ok = matches!(chars.as_slice(), [lo, '-', hi] if lo <= hi);
            if !ok {
                r.report(
                    file,
                    Code::WrongShape,
                    &join_index(&join_key(&join_key("charsets", name), "ranges"), i),
                    At::Value,
                    format!("`{range}` is not a character range"),
                    Some("write a range as two characters joined by `-`, low first: `a-z`".into()),
                );
            }
        }
    }

    // Global return codes.
    check_code_list(
        r,
        file,
        "return_codes",
        service
            .return_codes
            .iter()
            .map(|c| (c.code, Some(c.name.as_str()))),
    );

    // Reusable definitions.
    for (name, def) in &service.fields {
        let path = join_key("fields", name);
        let before = r.diagnostics.error_count();
        if def.use_def.is_some() {
            r.report(
                file,
                Code::UnknownUse,
                &join_key(&path, "use"),
                At::Key,
                "a reusable definition cannot itself `use:` another",
                Some("copy the keys it needs instead".into()),
            );
        }
        check_field(cx, r, file, &path, def, &[], Place::Shared);
        check_field_list(
            cx,
            r,
            file,
            &join_key(&path, "fields"),
            &def.fields,
            Place::Shared,
        );
        if r.diagnostics.error_count() > before {
            cx.bad_defs.insert(name.clone());
        }
    }

    // Shared types.
    for (name, def) in &service.types {
        check_type_def(cx, r, file, name, def);
    }
    check_recursion(r, file, service);
}

/// Shared types a type holds by value (not behind an array or map), with the path of the
/// `type:` that holds each.
fn held_types(def: &TypeDef, base: &str) -> Vec<(String, String)> {
    fn walk(fields: &[Field], path: &str, out: &mut Vec<(String, String)>, depth: usize) {
        if depth > MAX_NESTING {
            return;
        }
        for (i, field) in fields.iter().enumerate() {
            let fpath = join_index(path, i);
            let Some(ty) = field_type(field) else {
                continue;
            };
            let mut inner = &ty;
            while let TypeExpr::Json(next) | TypeExpr::TextOr(next) = inner {
                inner = next;
            }
            match inner {
                TypeExpr::Named(name) => out.push((name.clone(), join_key(&fpath, "type"))),
                TypeExpr::Object => {
                    walk(&field.fields, &join_key(&fpath, "fields"), out, depth + 1)
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&def.fields, &join_key(base, "fields"), &mut out, 0);
    for (i, variant) in def.variants.iter().enumerate() {
        let vpath = join_key(&join_index(&join_key(base, "variants"), i), "fields");
        walk(&variant.fields, &vpath, &mut out, 0);
    }
    out
}

/// Reports each shared type that reaches itself through fields held by value.
fn check_recursion(r: &mut Reporter<'_>, file: usize, service: &ServiceSpec) {
    let edges: BTreeMap<&str, Vec<(String, String)>> = service
        .types
        .iter()
        .map(|(name, def)| (name.as_str(), held_types(def, &join_key("types", name))))
        .collect();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in edges.keys() {
        // Depth-first search for a way back to `start`.
        let mut stack: Vec<(String, Vec<String>, String)> = edges[start]
            .iter()
            .map(|(to, path)| (to.clone(), vec![(*start).to_owned()], path.clone()))
            .collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some((at, chain, first_path)) = stack.pop() {
            if at == *start {
                let mut members = chain.clone();
                members.sort();
                if reported.insert(members.join(",")) {
                    let mut shown = chain.clone();
                    shown.push((*start).to_owned());
                    r.report(
                        file,
                        Code::RecursiveType,
                        &first_path,
                        At::Value,
                        format!("shared type `{start}` holds itself: {}", shown.join(" -> ")),
                        Some("hold it through `array<..>` or `map<..>`, or drop the field".into()),
                    );
                }
                break;
            }
            if !seen.insert(at.clone()) {
                continue;
            }
            if let Some(next) = edges.get(at.as_str()) {
                for (to, _) in next {
                    let mut chain = chain.clone();
                    chain.push(at.clone());
                    stack.push((to.clone(), chain, first_path.clone()));
                }
            }
        }
    }
}

fn check_type_def(cx: &Cx<'_>, r: &mut Reporter<'_>, file: usize, name: &str, def: &TypeDef) {
    let path = join_key("types", name);
    if !is_upper_camel(name) {
        r.report(
            file,
            Code::BadName,
            &path,
            At::Key,
            format!("shared type name `{name}` is not UpperCamelCase"),
            Some(format!("write it as `{}`", name.to_upper_camel_case())),
        );
    }
    match (def.fields.is_empty(), def.variants.is_empty()) {
        (false, false) => r.report(
            file,
            Code::TypeDefShape,
            &join_key(&path, "variants"),
            At::Key,
            format!("shared type `{name}` has both `fields` and `variants`"),
            Some("an object type has `fields`; a variant type has `variants` only".into()),
        ),
        (true, true) => r.report(
            file,
            Code::TypeDefShape,
            &path,
            At::Key,
            format!("shared type `{name}` has neither `fields` nor `variants`"),
            Some("give its `fields` (an object) or its `variants` (a variant type)".into()),
        ),
        _ => {}
    }
    if def.variants.is_empty() {
        if def.selector_type.is_some() {
            r.report(
                file,
                Code::TypeDefShape,
                &join_key(&path, "selector_type"),
                At::Key,
                format!("`selector_type` on `{name}`, which has no variants"),
                Some("remove it; only variant types have a selector".into()),
            );
        }
        check_field_list(
            cx,
            r,
            file,
            &join_key(&path, "fields"),
            &def.fields,
            Place::Shared,
        );
        return;
    }
    let selector_type = match def.selector_type.as_deref() {
        Some(t @ ("int32" | "string")) => TypeExpr::parse(t).ok(),
        Some(other) => {
            r.report(
                file,
                Code::TypeDefShape,
                &join_key(&path, "selector_type"),
                At::Value,
                format!("selector type `{other}` is neither `int32` nor `string`"),
                Some("a selector is an `int32` or a `string` field".into()),
            );
            None
        }
        None => {
            r.report(
                file,
                Code::TypeDefShape,
                &path,
                At::Key,
                format!("variant type `{name}` has no `selector_type`"),
                Some("add `selector_type: int32` or `selector_type: string`".into()),
            );
            None
        }
    };
    let mut names: HashMap<&str, ()> = HashMap::new();
    let mut whens: HashMap<String, &str> = HashMap::new();
    for (i, variant) in def.variants.iter().enumerate() {
        let vpath = join_index(&join_key(&path, "variants"), i);
        if !is_upper_camel(&variant.name) {
            r.report(
                file,
                Code::BadName,
                &join_key(&vpath, "name"),
                At::Value,
                format!("variant name `{}` is not UpperCamelCase", variant.name),
                Some(format!(
                    "write it as `{}`",
                    variant.name.to_upper_camel_case()
                )),
            );
        }
        if names.insert(&variant.name, ()).is_some() {
            r.report(
                file,
                Code::DuplicateField,
                &join_key(&vpath, "name"),
                At::Value,
                format!("variant `{}` is given twice in `{name}`", variant.name),
                Some("give each variant its own name".into()),
            );
        }
        if variant.when.is_empty() {
            r.report(
                file,
                Code::TypeDefShape,
                &join_key(&vpath, "when"),
                At::Key,
                format!("variant `{}` is picked by no selector value", variant.name),
                Some("list the selector values that pick it: `when: [1]`".into()),
            );
        }
        for (j, value) in variant.when.iter().enumerate() {
            let wpath = join_index(&join_key(&vpath, "when"), j);
            if let Some(t) = &selector_type
                && let Err(why) = scalar_fits(t, value)
            {
                r.report(
                    file,
                    Code::ValueType,
                    &wpath,
                    At::Value,
                    format!("selector value does not fit the selector type {t}"),
                    Some(why),
                );
            }
            let key = scalar_text(value);
            if let Some(other) = whens.get(&key) {
                r.report(
                    file,
                    Code::DuplicateValue,
                    &wpath,
                    At::Value,
                    format!("selector value {key} already picks variant `{other}`"),
                    Some("each selector value picks one variant".into()),
                );
            } else {
                whens.insert(key, &variant.name);
            }
        }
        check_field_list(
            cx,
            r,
            file,
            &join_key(&vpath, "fields"),
            &variant.fields,
            Place::Shared,
        );
    }
}

fn check_code_list<'a>(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    codes: impl Iterator<Item = (i64, Option<&'a str>)>,
) {
    let mut seen: HashMap<i64, ()> = HashMap::new();
    let mut names: HashMap<&str, ()> = HashMap::new();
    for (i, (code, name)) in codes.enumerate() {
        let item = join_index(path, i);
        let code_path = if name.is_some() {
            join_key(&item, "code")
        } else {
            item.clone()
        };
        if seen.insert(code, ()).is_some() {
            r.report(
                file,
                Code::DuplicateReturnCode,
                &code_path,
                At::Value,
                format!("return code {code} is listed twice"),
                Some("list each code once".into()),
            );
        }
        if let Some(name) = name {
            let name_path = join_key(&item, "name");
            if !is_upper_camel(name) {
                r.report(
                    file,
                    Code::BadName,
                    &name_path,
                    At::Value,
                    format!("return code name `{name}` is not UpperCamelCase"),
                    Some(format!("write it as `{}`", name.to_upper_camel_case())),
                );
            } else if names.insert(name, ()).is_some() {
                r.report(
                    file,
                    Code::DuplicateValue,
                    &name_path,
                    At::Value,
                    format!("return code name `{name}` is used twice"),
                    Some("each code needs its own name".into()),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Actions

fn check_action(cx: &Cx<'_>, r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    check_file_location(r, file, action);
    if !is_upper_camel(&action.name) {
        r.report(
            file,
            Code::BadName,
            "name",
            At::Value,
            format!("action name `{}` is not UpperCamelCase", action.name),
            Some("action names are sent as is and name the Rust types".into()),
        );
    }
    if let Some(rust_name) = &action.rust_name
        && !is_snake(rust_name)
    {
        r.report(
            file,
            Code::BadName,
            "rust_name",
            At::Value,
            format!("Rust name `{rust_name}` is not a snake_case identifier"),
            Some(format!("write it as `{}`", rust_name.to_snake_case())),
        );
    }
    if !is_snake(&action.category) {
        r.report(
            file,
            Code::BadName,
            "category",
            At::Value,
            format!("category `{}` is not snake_case", action.category),
            Some(format!("write it as `{}`", action.category.to_snake_case())),
        );
    }
    if let (Some(host), Some(service)) = (&action.host, cx.service)
        && !service.hosts.services.iter().any(|h| &h.id == host)
    {
        let ids: Vec<&str> = service
            .hosts
            .services
            .iter()
            .map(|h| h.id.as_str())
            .collect();
        let hint = suggest(host, ids.iter().copied()).or_else(|| {
            if ids.is_empty() {
                Some("service.yaml lists no `hosts.services`".into())
            } else {
                Some(format!("service hosts: {}", ids.join(", ")))
            }
        });
        r.report(
            file,
            Code::UnknownHost,
            "host",
            At::Value,
            format!("no service host with id `{host}`"),
            hint,
        );
    }

    let place = Place::Request {
        get: action.method == Method::Get,
    };
    check_field_list(cx, r, file, "request", &action.request, place);
    check_field_list(cx, r, file, "response", &action.response, Place::Response);
    check_qps(r, file, action);
    check_pagination(r, file, action);
    check_partial_failure(cx, r, file, action);
    check_return_codes(cx, r, file, action);
    check_upstream(r, file, action);
    super::cross_field::check(r, file, action);
}

/// Paths a recorded upstream difference may name besides `request.*` and `response.*`.
const UPSTREAM_ROOTS: &[&str] = &[
    "action",
    "method",
    "host",
    "qps",
    "return_codes",
    "partial_failure",
    "response_wrapper",
];

/// `upstream:` entries name a part of an action and give a reason, once each.
fn check_upstream(r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    let mut seen = Vec::new();
    for (i, entry) in action.upstream.iter().enumerate() {
        let at = format!("upstream[{i}]");
        let field_path = ["request.", "response."].iter().any(|root| {
            entry
                .path
                .strip_prefix(root)
                .is_some_and(|rest| !rest.is_empty())
        });
        if !field_path && !UPSTREAM_ROOTS.contains(&entry.path.as_str()) {
            r.report(
                file,
                Code::WrongShape,
                &format!("{at}.path"),
                At::Value,
                format!("`{}` names no part of an action", entry.path),
                Some(format!(
                    "use a field path as `diff` prints it (`request.Limit`), or one of: {}",
                    UPSTREAM_ROOTS.join(", ")
                )),
            );
        }
        if entry.why.trim().is_empty() {
            r.report(
                file,
                Code::WrongShape,
                &format!("{at}.why"),
                At::Value,
                "a recorded difference needs its reason",
                Some("say in a sentence why the spec differs from the page".into()),
            );
        }
        let key = (entry.path.as_str(), entry.differs);
        if seen.contains(&key) {
            r.report(
                file,
                Code::DuplicateValue,
                &at,
                At::Key,
                format!("the difference at `{}` is recorded twice", entry.path),
                Some("keep one entry".into()),
            );
        }
        seen.push(key);
    }
}

/// `actions/<category>/<name>.yaml`.
fn check_file_location(r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    let Some(rel) = r.files.get(file).map(|f| f.rel.clone()) else {
        return;
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let expected = format!("actions/{}/{}.yaml", action.category, action.name);
    let shown = super::diagnostics::display_path(&rel);
    if shown == expected {
        return;
    }
    let (path, what) = match parts.as_slice() {
        [.., last] if !last.ends_with(".yaml") => ("name", "the `.yaml` ending of action files"),
        [top, category, _] if top == "actions" && *category != action.category => {
            ("category", "its category")
        }
        [top, _, stem] if top == "actions" && Path::new(stem).extension().is_some() => {
            ("name", "its name")
        }
        _ => ("name", "its name and category"),
    };
    r.report(
        file,
        Code::FileLocation,
        path,
        At::Value,
        format!("the file `{shown}` does not match {what}"),
        Some(format!("move the file to `{expected}`")),
    );
}

fn check_qps(r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    let qps = &action.qps;
    if qps.limit == 0 {
        r.report(
            file,
            Code::QpsZero,
            "qps.limit",
            At::Value,
            "a rate limit of 0 calls per second allows no call at all",
            Some("give the documented limit; if the page gives none, use the common 20".into()),
        );
    }
    if qps.per_day == Some(0) {
        r.report(
            file,
            Code::QpsZero,
            "qps.per_day",
            At::Value,
            "a daily cap of 0 allows no call at all",
            Some("give the documented cap or remove `per_day`".into()),
        );
    }
    let request_names: Vec<&str> = action.request.iter().map(|f| f.name.as_str()).collect();
    match qps.scope {
        QpsScope::Group | QpsScope::Room => {
            let what = if qps.scope == QpsScope::Group {
                "group"
            } else {
                "room"
            };
            match &qps.key {
                None => r.report(
                    file,
                    Code::QpsKey,
                    "qps.scope",
                    At::Value,
                    format!(
                        "a per-{what} limit needs `key:`, the request field with the {what} id"
                    ),
                    Some(format!(
                        "add `key:` naming the request field with the {what} id"
                    )),
                ),
                Some(key) => match action.request.iter().find(|f| &f.name == key) {
                    None => r.report(
                        file,
                        Code::QpsKey,
                        "qps.key",
                        At::Value,
                        format!("`qps.key` names `{key}`, which is not a request field"),
                        suggest(key, request_names.iter().copied()),
                    ),
                    Some(field) => {
                        if let Some(t) = field_type(field)
                            && !(t == TypeExpr::String || t.is_integer())
                        {
                            r.report(
                                file,
                                Code::QpsKey,
                                "qps.key",
                                At::Value,
                                format!("`qps.key` names `{key}`, of type {t}, not an id"),
                                Some("name a string or integer request field".into()),
                            );
                        }
                    }
                },
            }
        }
        QpsScope::App | QpsScope::Message => {
            if qps.key.is_some() {
                r.report(
                    file,
                    Code::QpsKey,
                    "qps.key",
                    At::Key,
                    "`qps.key` is only for the `group` and `room` scopes",
                    Some("remove it, or set the scope it belongs to".into()),
                );
            }
        }
    }
    match (&qps.count, qps.scope) {
        (None, QpsScope::Message) => r.report(
            file,
            Code::QpsKey,
            "qps.scope",
            At::Value,
            "a per-message limit needs `count:`, the request array whose items are counted",
            Some("add `count:` naming a request array field".into()),
        ),
        (Some(count), QpsScope::Message) => {
            match action.request.iter().find(|f| &f.name == count) {
                None => r.report(
                    file,
                    Code::QpsKey,
                    "qps.count",
                    At::Value,
                    format!("`qps.count` names `{count}`, which is not a request field"),
                    suggest(count, request_names.iter().copied()),
                ),
                Some(field) => {
                    if let Some(t) = field_type(field)
                        && !matches!(t, TypeExpr::Array(_))
                    {
                        r.report(
                            file,
                            Code::QpsKey,
                            "qps.count",
                            At::Value,
                            format!("`qps.count` names `{count}`, of type {t}, not an array"),
                            Some("name the request array whose items count".into()),
                        );
                    }
                }
            }
        }
        (Some(_), _) => r.report(
            file,
            Code::QpsKey,
            "qps.count",
            At::Key,
            "`qps.count` is only for the `message` scope",
            Some("remove it, or set `scope: message`".into()),
        ),
        (None, _) => {}
    }
}

fn check_pagination(r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    use crate::spec::PaginationStyle as S;
    let Some(p) = &action.pagination else {
        return;
    };
    let numeric = matches!(p.style, S::NumericNext | S::StartFlag);
    let cursor_kind = if numeric { "an integer" } else { "a string" };
    let fits_cursor = |t: &TypeExpr| {
        if numeric {
            t.is_integer()
        } else {
            *t == TypeExpr::String
        }
    };
    let request = Side::new("request", &action.request);
    let response = Side::new("response", &action.response);

    let cursors = [
        (&request, "pagination.cursor", "the cursor", &p.cursor),
        (&response, "pagination.next", "the next cursor", &p.next),
    ];
    for (side, path, what, name) in cursors {
        if let Some(t) = side.type_of(r, file, path, what, name)
            && !fits_cursor(&t)
        {
            r.report(
                file,
                Code::Pagination,
                path,
                At::Value,
                format!("{what} `{name}` is {t}, but this paging style needs {cursor_kind}"),
                Some("change the field's type or the paging style".into()),
            );
        }
    }
    if let Some(t) = response.type_of(r, file, "pagination.items", "the items field", &p.items)
        && !matches!(t, TypeExpr::Array(_))
    {
        r.report(
            file,
            Code::Pagination,
            "pagination.items",
            At::Value,
            format!("the items field `{}` is {t}, not an array", p.items),
            Some("name the response array that holds one page".into()),
        );
    }
    let done = &p.done_when;
    let what = "the end condition's field";
    let Some(t) = response.type_of(r, file, "pagination.done_when.field", what, &done.field) else {
        return;
    };
    if done.values.is_empty() {
        r.report(
            file,
            Code::Pagination,
            "pagination.done_when.in",
            At::Key,
            "the end condition lists no value",
            Some("list the values that mark the last page: `in: [0]`".into()),
        );
    }
    for (i, value) in done.values.iter().enumerate() {
        if let Err(why) = scalar_fits(&t, value) {
            r.report(
                file,
                Code::Pagination,
                &join_index("pagination.done_when.in", i),
                At::Value,
                format!(
                    "end value {} does not fit `{}`, of type {t}",
                    scalar_text(value),
                    done.field
                ),
                Some(why),
            );
        }
    }
}

/// The request or the response fields of an action, for the paging checks that name one.
struct Side<'a> {
    label: &'static str,
    fields: &'a [Field],
}

impl<'a> Side<'a> {
    fn new(label: &'static str, fields: &'a [Field]) -> Self {
        Side { label, fields }
    }

    /// The type of the field `name`; reports it at `path` (with the nearest name as a hint)
    /// when this side has no such field. `None` too when the field's type is unknown, which
    /// is reported where the field is declared.
    fn type_of(
        &self,
        r: &mut Reporter<'_>,
        file: usize,
        path: &str,
        what: &str,
        name: &str,
    ) -> Option<TypeExpr> {
        match self.fields.iter().find(|f| f.name == name) {
            Some(field) => field_type(field),
            None => {
                r.report(
                    file,
                    Code::Pagination,
                    path,
                    At::Value,
                    format!("{what} `{name}` is not a {} field", self.label),
                    suggest(name, self.fields.iter().map(|f| f.name.as_str())),
                );
                None
            }
        }
    }
}

fn check_partial_failure(cx: &Cx<'_>, r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    let Some(pf) = &action.partial_failure else {
        return;
    };
    let response_names: Vec<&str> = action.response.iter().map(|f| f.name.as_str()).collect();
    let Some(list) = action.response.iter().find(|f| f.name == pf.list) else {
        r.report(
            file,
            Code::PartialFailure,
            "partial_failure.list",
            At::Value,
            format!("the failure list `{}` is not a response field", pf.list),
            suggest(&pf.list, response_names.iter().copied()),
        );
        return;
    };
    let Some(ty) = field_type(list) else {
        return;
    };
    // The item fields: inline `array<object>` or an array of a shared object type.
    let items: Option<&[Field]> = match &ty {
        TypeExpr::Array(inner) => match inner.as_ref() {
            TypeExpr::Object => Some(&list.fields),
            TypeExpr::Named(name) => cx
                .service
                .and_then(|s| s.types.get(name))
                .filter(|d| d.variants.is_empty())
                .map(|d| d.fields.as_slice()),
            _ => None,
        },
        _ => None,
    };
    let Some(items) = items else {
        r.report(
            file,
            Code::PartialFailure,
            "partial_failure.list",
            At::Value,
            format!(
                "the failure list `{}` is {ty}, not an array of objects",
                pf.list
            ),
            Some("name the response array of failed items".into()),
        );
        return;
    };
    let item_names: Vec<&str> = items.iter().map(|f| f.name.as_str()).collect();
    let mut need = |key: &str, name: &str, integer: bool| {
        let path = join_key("partial_failure", key);
        match items.iter().find(|f| f.name == name) {
            None => r.report(
                file,
                Code::PartialFailure,
                &path,
                At::Value,
                format!("`{name}` is not a field of the items of `{}`", pf.list),
                suggest(name, item_names.iter().copied()).or_else(|| {
                    Some(format!(
                        "the items have: {}",
                        listed(item_names.iter().copied())
                    ))
                }),
            ),
            Some(field) => {
                if integer
                    && let Some(t) = field_type(field)
                    && !t.is_integer()
                {
                    r.report(
                        file,
                        Code::PartialFailure,
                        &path,
                        At::Value,
                        format!("the failure code `{name}` is {t}, not an integer"),
                        Some("name the integer field that holds each item's code".into()),
                    );
                }
            }
        }
    };
    if let Some(id) = &pf.id {
        need("id", id, false);
    }
    need("code", &pf.code, true);
    if let Some(message) = &pf.message {
        need("message", message, false);
    }
}

fn check_return_codes(cx: &Cx<'_>, r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    check_code_list(
        r,
        file,
        "return_codes",
        action.return_codes.iter().map(|c| match c {
            ReturnCodeRef::Global(code) => (*code, None),
            ReturnCodeRef::Own(spec) => (spec.code, Some(spec.name.as_str())),
        }),
    );
    let Some(service) = cx.service else {
        return;
    };
    for (i, code) in action.return_codes.iter().enumerate() {
        if let ReturnCodeRef::Global(code) = code
            && !service.return_codes.iter().any(|c| c.code == *code)
        {
            r.report(
                file,
                Code::UnknownReturnCode,
                &join_index("return_codes", i),
                At::Value,
                format!("return code {code} is not in the global table of service.yaml"),
                Some(format!(
                    "write it out here: `- {{ code: {code}, name: ..., meaning: ..., fix: ... }}`, \
                     or add it to `return_codes` in service.yaml"
                )),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fields

/// Where a list of fields sits; some rules depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Top-level request fields (and, nested, their object fields).
    Request {
        get: bool,
    },
    Response,
    /// Fields of shared types and reusable definitions.
    Shared,
}

fn check_field_list(
    cx: &Cx<'_>,
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    fields: &[Field],
    place: Place,
) {
    check_field_list_at(cx, r, file, path, fields, place, 0, true);
}

#[allow(clippy::too_many_arguments)]
fn check_field_list_at(
    cx: &Cx<'_>,
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    fields: &[Field],
    place: Place,
    depth: usize,
    top: bool,
) {
    if depth > MAX_NESTING {
        return;
    }
    let mut wire: HashMap<&str, usize> = HashMap::new();
    let mut rust: HashMap<String, &str> = HashMap::new();
    for (i, field) in fields.iter().enumerate() {
        let fpath = join_index(path, i);
        // A field that `use:`s an unknown definition is reported as such.
        let unknown_use = field
            .use_def
            .as_ref()
            .is_some_and(|u| cx.service.is_none_or(|s| !s.fields.contains_key(u)));
        if field.name.is_empty() && unknown_use {
            // Reported as an unknown `use:`.
        } else if field.name.is_empty() {
            r.report(
                file,
                Code::BadName,
                &fpath,
                At::Value,
                "the field has no name",
                Some("add `name:` with the wire name, or `use:` a definition".into()),
            );
        } else {
            for (k, wire_name) in std::iter::once(&field.name)
                .chain(field.aliases.iter())
                .enumerate()
            {
                let npath = if k == 0 {
                    join_key(&fpath, "name")
                } else {
                    join_index(&join_key(&fpath, "aliases"), k - 1)
                };
                match wire.get(wire_name.as_str()) {
                    Some(first) if *first != i || k > 0 => r.report(
                        file,
                        Code::DuplicateField,
                        &npath,
                        At::Value,
                        format!("the wire name `{wire_name}` is used twice in this object"),
                        Some(format!("`{path}[{first}]` has it already")),
                    ),
                    Some(_) => {}
                    None => {
                        wire.insert(wire_name, i);
                    }
                }
            }
            let rust_name = rust_name_of(field);
            if let Some(rn) = &field.rust_name
                && !is_snake(rn)
            {
                r.report(
                    file,
                    Code::BadName,
                    &join_key(&fpath, "rust_name"),
                    At::Value,
                    format!("Rust name `{rn}` is not a snake_case identifier"),
                    Some(format!("write it as `{}`", rn.to_snake_case())),
                );
            }
            match rust.get(&rust_name) {
                Some(other) if *other != field.name => r.report(
                    file,
                    Code::RustNameCollision,
                    &join_key(&fpath, "name"),
                    At::Value,
                    format!(
                        "`{}` and `{other}` both become the Rust field `{rust_name}`",
                        field.name
                    ),
                    Some("give one of them a `rust_name:`".into()),
                ),
                Some(_) => {}
                None => {
                    rust.insert(rust_name, &field.name);
                }
            }
        }
        check_field(cx, r, file, &fpath, field, fields, place);
        if top && let Place::Request { get: true } = place {
            check_query_field(cx, r, file, &fpath, field);
        }
        check_field_list_at(
            cx,
            r,
            file,
            &join_key(&fpath, "fields"),
            &field.fields,
            place,
            depth + 1,
            false,
        );
    }
}

/// Rules for a top-level request field of a GET action.
fn check_query_field(cx: &Cx<'_>, r: &mut Reporter<'_>, file: usize, path: &str, field: &Field) {
    if let Some(service) = cx.service
        && service.public_params.iter().any(|p| p.name == field.name)
    {
        r.report(
            file,
            Code::PublicParamClash,
            &join_key(path, "name"),
            At::Value,
            format!(
                "`{}` is a public parameter; a GET action cannot send a field of that name",
                field.name
            ),
            Some("rename the field, or make the action POST if the server takes a body".into()),
        );
    }
    let Some(t) = field_type(field) else {
        return;
    };
    let leaf = match &t {
        TypeExpr::Array(inner) => inner.as_ref(),
        other => other,
    };
    let structured = match leaf {
        TypeExpr::Object | TypeExpr::Map(_) | TypeExpr::Array(_) | TypeExpr::TextOr(_) => true,
        TypeExpr::Named(name) => cx.service.is_none_or(|s| s.types.contains_key(name)),
        _ => false,
    };
    if structured {
        r.report(
            file,
            Code::QueryObject,
            &join_key(path, "type"),
            At::Value,
            format!(
                "`{}` is {t}, which a GET query string cannot carry",
                field.name
            ),
            Some(
                "GET fields are scalars or arrays of scalars; send it as `json<..>` text or make \
                 the action POST"
                    .into(),
            ),
        );
    }
}

/// Every rule of one field but those about its siblings' names.
fn check_field(
    cx: &Cx<'_>,
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    siblings: &[Field],
    place: Place,
) {
    if let Some(def) = &field.use_def
        && cx.bad_defs.contains(def)
    {
        return;
    }
    super::numbers::check_field_limits(r, file, path, field);
    let Some(text) = field.ty.as_deref() else {
        // With `use:`, the problem is reported where it lies: an unknown or cyclic `use:`,
        // or a definition without a type.
        if field.use_def.is_none() {
            r.report(
                file,
                Code::MissingType,
                path,
                At::Key,
                format!("field `{}` has no type", field.name),
                Some("add `type:` (`string`, `int32`, `array<string>`, ...) or `use:` a definition that has one".into()),
            );
        }
        return;
    };
    let type_path = join_key(path, "type");
    let ty = match TypeExpr::parse(text) {
        Ok(ty) => ty,
        Err(err) if err.too_deep => {
            report_deep_type(r, file, &type_path, err);
            return;
        }
        Err(err) => {
            r.report(
                file,
                Code::BadType,
                &type_path,
                At::Value,
                format!("bad type `{text}`: {}", err.message),
                err.suggestion
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| {
                        Some("types: string, bool, int32, int64, uint32, uint64, object, array<T>, map<T>, json<T>, string | T, or a shared type".into())
                    }),
            );
            return;
        }
    };
    if let TypeExpr::Named(name) = ty.leaf()
        && let Some(service) = cx.service
        && !service.types.contains_key(name)
    {
        r.report(
            file,
            Code::UnknownType,
            &type_path,
            At::Value,
            format!("no shared type named `{name}`"),
            suggest(name, service.types.keys().map(String::as_str))
                .or_else(|| Some("shared types live under `types:` in service.yaml".into())),
        );
    }
    if !super::text_or::check(r, file, &type_path, field, &ty, cx.service) {
        return;
    }
    if count_objects(&ty) > 1 {
        r.report(
            file,
            Code::BadType,
            &type_path,
            At::Value,
            format!("`{text}` has more than one `object`"),
            Some("one field describes one object; give the inner one a shared type".into()),
        );
    }

    check_object_fields(r, file, path, field, &ty);
    super::cross_field::check_nested(
        r,
        file,
        path,
        field,
        count_objects(&ty) > 0,
        matches!(place, Place::Request { .. }),
    );
    check_limits(cx, r, file, path, field, &ty);
    super::text_rules::check(r, file, path, field, &ty, cx.service);
    check_values(r, file, path, field, &ty);
    check_selector(cx, r, file, path, field, &ty, siblings);

    if let Some(name) = &field.type_name
        && !is_upper_camel(name)
    {
        r.report(
            file,
            Code::BadName,
            &join_key(path, "type_name"),
            At::Value,
            format!("type name `{name}` is not UpperCamelCase"),
            Some(format!("write it as `{}`", name.to_upper_camel_case())),
        );
    }
    if field.required == Some(true) && field.default.is_some() && place != Place::Shared {
        r.report(
            file,
            Code::RequiredWithDefault,
            &join_key(path, "default"),
            At::Key,
            format!("field `{}` is required and also has a default", field.name),
            Some(
                "a default only matters when the field may be left out; drop one of the two".into(),
            ),
        );
    }
}

/// A type expression nested deeper than [`crate::spec::types::MAX_TYPE_DEPTH`] (its text is
/// not repeated: it can be as long as the file).
fn report_deep_type(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    err: crate::spec::types::TypeExprError,
) {
    r.report(
        file,
        Code::TypeTooDeep,
        path,
        At::Value,
        err.message,
        Some(
            "no API value nests this deep; name inner objects as shared types in service.yaml"
                .into(),
        ),
    );
}

fn check_object_fields(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    ty: &TypeExpr,
) {
    let has_object = count_objects(ty) > 0;
    if has_object && field.fields.is_empty() {
        r.report(
            file,
            Code::ObjectFields,
            &join_key(path, "type"),
            At::Value,
            format!("`{}` is an object without `fields`", field.name),
            Some("list its fields under `fields:`, or use a shared type".into()),
        );
    }
    if !has_object && !field.fields.is_empty() {
        r.report(
            file,
            Code::ObjectFields,
            &join_key(path, "fields"),
            At::Key,
            format!(
                "`{}` has `fields`, but its type {ty} has no `object`",
                field.name
            ),
            Some("make the type `object` (or `array<object>`), or remove `fields`".into()),
        );
    }
}

fn check_limits(
    cx: &Cx<'_>,
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    ty: &TypeExpr,
) {
    let name = &field.name;
    let string_item = matches!(ty, TypeExpr::Array(inner) if **inner == TypeExpr::String);
    let mut misplaced = |key: &str, what: &str, hint: String| {
        r.report(
            file,
            Code::LimitType,
            &join_key(path, key),
            At::Key,
            format!("`{key}` limits {what}, but `{name}` is {ty}"),
            Some(hint),
        );
    };
    let length_hint = || -> String {
        if string_item {
            "use `item_max_bytes` / `item_max_chars` to limit each item, `max_items` for the count"
                .into()
        } else if ty.is_integer() {
            "use `min` / `max` to bound a number".into()
        } else if matches!(ty, TypeExpr::Array(_) | TypeExpr::Map(_)) {
            "use `min_items` / `max_items` to bound the number of items".into()
        } else {
            "remove it".into()
        }
    };
    for (key, set) in [
        ("max_bytes", field.max_bytes.is_some()),
        ("max_chars", field.max_chars.is_some()),
        ("min_len", field.min_len.is_some()),
    ] {
        if set && !is_stringish(ty) {
            misplaced(key, "the length of a string", length_hint());
        }
    }
    for (key, set) in [("min", field.min.is_some()), ("max", field.max.is_some())] {
        if set && !ty.is_integer() {
            let hint = if is_stringish(ty) {
                "use `min_len` / `max_chars` / `max_bytes` to bound a string's length".into()
            } else if matches!(ty, TypeExpr::Array(_) | TypeExpr::Map(_)) {
                "use `min_items` / `max_items` to bound the number of items".into()
            } else {
                "remove it".into()
            };
            misplaced(key, "an integer", hint);
        }
    }
    for (key, set) in [
        ("min_items", field.min_items.is_some()),
        ("max_items", field.max_items.is_some()),
    ] {
        if set && !matches!(ty, TypeExpr::Array(_) | TypeExpr::Map(_)) {
            let hint = if is_stringish(ty) {
                "use `max_chars` / `max_bytes` to limit a string's length".into()
            } else {
                "remove it".into()
            };
            misplaced(key, "the items of an array or map", hint);
        }
    }
    for (key, set) in [
        ("item_max_bytes", field.item_max_bytes.is_some()),
        ("item_max_chars", field.item_max_chars.is_some()),
    ] {
        if set && !string_item {
            let hint = if is_stringish(ty) {
                format!(
                    "use `{}` to limit the string itself",
                    key.trim_start_matches("item_")
                )
            } else {
                "item lengths apply to `array<string>` only".into()
            };
            misplaced(key, "the string items of an array", hint);
        }
    }
    if let Some(charset) = &field.charset {
        if !(*ty == TypeExpr::String || string_item) {
            misplaced(
                "charset",
                "the characters of a string",
                "charsets apply to `string` and `array<string>`".into(),
            );
        }
        if let Some(service) = cx.service
            && !service.charsets.contains_key(charset)
        {
            let names = service.charsets.keys().map(String::as_str);
            r.report(
                file,
                Code::UnknownCharset,
                &join_key(path, "charset"),
                At::Value,
                format!("no charset named `{charset}`"),
                suggest(charset, names.clone()).or_else(|| {
                    Some(format!(
                        "charsets of service.yaml: {}",
                        if service.charsets.is_empty() {
                            "none".to_owned()
                        } else {
                            listed(names)
                        }
                    ))
                }),
            );
        }
    }

    // Numbers outside the type's range.
    if let Some((lo, hi)) = int_range(ty) {
        for (key, value) in [("min", field.min), ("max", field.max)] {
            if let Some(v) = value
                && (i128::from(v) < lo || i128::from(v) > hi)
            {
                r.report(
                    file,
                    Code::LimitType,
                    &join_key(path, key),
                    At::Value,
                    format!("`{key}: {v}` is outside the range of {ty} ({lo}..={hi})"),
                    Some("give a bound the type can hold, or widen the type".into()),
                );
            }
        }
    }

    // Limits against each other.
    let mut conflict = |key: &str, message: String, hint: &str| {
        r.report(
            file,
            Code::LimitConflict,
            &join_key(path, key),
            At::Key,
            message,
            Some(hint.to_owned()),
        );
    };
    if let (Some(min), Some(max)) = (field.min, field.max)
        && min > max
    {
        conflict(
            "min",
            format!("`min` ({min}) is above `max` ({max}); no value fits"),
            "swap them or fix the one that is wrong",
        );
    }
    if let (Some(min), Some(max)) = (field.min_items, field.max_items)
        && min > max
    {
        conflict(
            "min_items",
            format!("`min_items` ({min}) is above `max_items` ({max}); no value fits"),
            "swap them or fix the one that is wrong",
        );
    }
    if let Some(min) = field.min_len {
        if let Some(max) = field.max_chars
            && min > max
        {
            conflict(
                "min_len",
                format!("`min_len` ({min}) is above `max_chars` ({max}); no value fits"),
                "fix the one that is wrong",
            );
        } else if let Some(max) = field.max_bytes
            && min > max
        {
            conflict(
                "min_len",
                format!("`min_len` ({min} characters) is above `max_bytes` ({max}); no value fits"),
                "a character takes at least one byte; fix the one that is wrong",
            );
        }
    }
    for (key, value) in [
        ("max_bytes", field.max_bytes),
        ("max_chars", field.max_chars),
        ("max_items", field.max_items),
        ("item_max_bytes", field.item_max_bytes),
        ("item_max_chars", field.item_max_chars),
    ] {
        if value == Some(0) {
            conflict(
                key,
                format!("`{key}: 0` allows nothing but empty values"),
                "give the documented limit, or remove the key if there is none",
            );
        }
    }
}

fn check_values(r: &mut Reporter<'_>, file: usize, path: &str, field: &Field, ty: &TypeExpr) {
    let vt = value_type(ty);
    if field.values.is_empty() {
        if field.values_kind.is_some() {
            r.report(
                file,
                Code::ValuesKind,
                &join_key(path, "values_kind"),
                At::Key,
                format!("`values_kind` on `{}`, which lists no `values`", field.name),
                Some("list the values under `values:`, or remove `values_kind`".into()),
            );
        }
    } else {
        let values_path = join_key(path, "values");
        match vt {
            None => r.report(
                file,
                Code::ValueType,
                &values_path,
                At::Key,
                format!(
                    "`{}` is {ty}, which cannot list possible values",
                    field.name
                ),
                Some("possible values belong to strings, booleans and integers".into()),
            ),
            Some(vt) => {
                if field.values_kind == Some(ValuesKind::Flags) && !vt.is_integer() {
                    r.report(
                        file,
                        Code::ValuesKind,
                        &join_key(path, "values_kind"),
                        At::Value,
                        format!(
                            "bit flags need an integer field, but `{}` is {ty}",
                            field.name
                        ),
                        Some("use `closed` or `open`".into()),
                    );
                }
                let mut seen_values: HashMap<String, ()> = HashMap::new();
                let mut seen_names: HashMap<String, &str> = HashMap::new();
                for (i, value) in field.values.iter().enumerate() {
                    let vpath = join_index(&values_path, i);
                    if let Err(why) = scalar_fits(vt, &value.value) {
                        r.report(
                            file,
                            Code::ValueType,
                            &join_key(&vpath, "value"),
                            At::Value,
                            format!(
                                "possible value {} does not fit `{}`, of type {ty}",
                                scalar_text(&value.value),
                                field.name
                            ),
                            Some(why),
                        );
                    }
                    if seen_values.insert(scalar_text(&value.value), ()).is_some() {
                        r.report(
                            file,
                            Code::DuplicateValue,
                            &join_key(&vpath, "value"),
                            At::Value,
                            format!(
                                "possible value {} is listed twice",
                                scalar_text(&value.value)
                            ),
                            Some("list each value once".into()),
                        );
                    }
                    if !is_upper_camel(&value.name) {
                        r.report(
                            file,
                            Code::BadName,
                            &join_key(&vpath, "name"),
                            At::Value,
                            format!("value name `{}` is not UpperCamelCase", value.name),
                            Some(format!(
                                "write it as `{}`",
                                value.name.to_upper_camel_case()
                            )),
                        );
                    } else if let Some(first) = seen_names.get(&value.name.to_upper_camel_case()) {
                        r.report(
                            file,
                            Code::DuplicateValue,
                            &join_key(&vpath, "name"),
                            At::Value,
                            format!("value name `{}` is taken by `{first}` already", value.name),
                            Some("give each value its own name".into()),
                        );
                    } else {
                        seen_names.insert(value.name.to_upper_camel_case(), &value.name);
                    }
                }
            }
        }
    }

    if let Some(default) = &field.default {
        let dpath = join_key(path, "default");
        let scalar_ty = match ty {
            TypeExpr::Array(_) => None,
            other => value_type(other),
        };
        match scalar_ty {
            None => r.report(
                file,
                Code::DefaultType,
                &dpath,
                At::Value,
                format!("`{}` is {ty}, which cannot have a default", field.name),
                Some("defaults belong to strings, booleans and integers".into()),
            ),
            Some(vt) => {
                if let Err(why) = scalar_fits(vt, default) {
                    r.report(
                        file,
                        Code::DefaultType,
                        &dpath,
                        At::Value,
                        format!(
                            "default {} does not fit `{}`, of type {ty}",
                            scalar_text(default),
                            field.name
                        ),
                        Some(why),
                    );
                } else if !field.values.is_empty()
                    && field.values_kind.unwrap_or(ValuesKind::Closed) == ValuesKind::Closed
                    && !field.values.iter().any(|v| &v.value == default)
                {
                    r.report(
                        file,
                        Code::DefaultType,
                        &dpath,
                        At::Value,
                        format!(
                            "default {} is not one of the listed values",
                            scalar_text(default)
                        ),
                        Some("add it to `values`, or mark them `values_kind: open`".into()),
                    );
                }
            }
        }
    }
}

fn check_selector(
    cx: &Cx<'_>,
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    ty: &TypeExpr,
    siblings: &[Field],
) {
    if let (TypeExpr::Named(name), Some(service)) = (ty.leaf(), cx.service)
        && !service.types.contains_key(name)
    {
        return;
    }
    let variant_def = match ty.leaf() {
        TypeExpr::Named(name) => cx
            .service
            .and_then(|s| s.types.get(name))
            .filter(|d| !d.variants.is_empty())
            .map(|d| (name, d)),
        _ => None,
    };
    let spath = join_key(path, "selector");
    match (&field.selector, variant_def) {
        (None, Some((name, _))) => r.report(
            file,
            Code::Selector,
            path,
            At::Key,
            format!(
                "`{}` is of the variant type `{name}` but has no `selector:`",
                field.name
            ),
            Some("add `selector:` naming the sibling field whose value picks the shape".into()),
        ),
        (Some(_), None) => r.report(
            file,
            Code::Selector,
            &spath,
            At::Key,
            format!(
                "`selector:` on `{}`, whose type {ty} is not a variant type",
                field.name
            ),
            Some("only fields of a shared type with `variants` take a selector".into()),
        ),
        (Some(selector), Some((name, def))) => {
            match siblings.iter().find(|f| &f.name == selector) {
                None => {
                    let names = siblings
                        .iter()
                        .filter(|f| f.name != field.name)
                        .map(|f| f.name.as_str());
                    r.report(
                        file,
                        Code::Selector,
                        &spath,
                        At::Value,
                        format!(
                            "the selector `{selector}` is not a field next to `{}`",
                            field.name
                        ),
                        suggest(selector, names)
                            .or_else(|| Some("name a field of the same object".into())),
                    );
                }
                Some(sibling) => {
                    let want = def.selector_type.as_deref().unwrap_or("int32");
                    if let (Some(have), Ok(want_ty)) = (field_type(sibling), TypeExpr::parse(want))
                        && have != want_ty
                        && !(have.is_integer() && want_ty.is_integer())
                    {
                        r.report(
                            file,
                            Code::Selector,
                            &spath,
                            At::Value,
                            format!(
                                "the selector `{selector}` is {have}, but `{name}` is selected by {want}"
                            ),
                            Some(format!("make `{selector}` {want}")),
                        );
                    }
                }
            }
        }
        (None, None) => {}
    }
}
