//! Updating an action the spec already has: the published page is the source of facts, the
//! spec of everything the page cannot say.
//!
//! Kept from the spec: category, Rust name, purpose, docs, `retry_safe`, pagination, recorded upstream
//! differences, QPS key/count/docs (when the scope agrees); for fields matched by wire name:
//! Rust and type names, docs, aliases, value names and docs, `values_kind`, response
//! requiredness (pages never state it), the integer width when the page gives none, and
//! what the page leaves unsaid, since pages state much only in prose the importer does not
//! read: limits it gives none of, a charset, a default, possible values; for return codes:
//! the names and texts of the action's own codes. So `sync` reports what a page states
//! differently, not what it leaves out.

use crate::spec::{ActionSpec, Field, ReturnCodeRef, TypeExpr};

use super::Imported;

/// Carries over from `base` (the spec's checked action, shared object types expanded)
/// what the page cannot say.
pub fn align(imported: &mut Imported, base: &ActionSpec) {
    let spec = &mut imported.spec;
    spec.category = base.category.clone();
    spec.rust_name = base.rust_name.clone();
    spec.purpose = base.purpose.clone();
    spec.docs = base.docs.clone();
    spec.retry_safe = base.retry_safe;
    spec.pagination = base.pagination.clone();
    spec.upstream = base.upstream.clone();
    if spec.qps.scope == base.qps.scope {
        spec.qps.key = base.qps.key.clone();
        spec.qps.count = base.qps.count.clone();
    }
    spec.qps.docs = base.qps.docs.clone();
    for code in &mut spec.return_codes {
        if let ReturnCodeRef::Own(own) = code
            && let Some(ReturnCodeRef::Own(theirs)) = base
                .return_codes
                .iter()
                .find(|c| matches!(c, ReturnCodeRef::Own(t) if t.code == own.code))
        {
            *own = theirs.clone();
        }
    }
    let unsized_ints = &imported.unsized_ints;
    align_fields(&mut spec.request, &base.request, "request", unsized_ints);
    align_fields(&mut spec.response, &base.response, "response", unsized_ints);
    imported
        .warnings
        .retain(|w| !w.starts_with("`purpose` is a placeholder") && !w.starts_with("`retry_safe"));
}

fn align_fields(
    fields: &mut [Field],
    base: &[Field],
    path: &str,
    unsized_ints: &std::collections::BTreeSet<String>,
) {
    for field in fields {
        let field_path = format!("{path}.{}", field.name);
        let Some(theirs) = base.iter().find(|b| b.name == field.name) else {
            continue;
        };
        field.rust_name = theirs.rust_name.clone();
        field.docs = theirs.docs.clone();
        field.aliases = theirs.aliases.clone();
        if field.fields.is_empty() == theirs.fields.is_empty() {
            field.type_name = theirs.type_name.clone();
        }
        if path.starts_with("response") {
            field.required = theirs.required;
        }
        if unsized_ints.contains(&field_path)
            && let (Some(ours), Some(their_ty)) = (&field.ty, &theirs.ty)
            && let (Ok(ours), Ok(their_expr)) = (TypeExpr::parse(ours), TypeExpr::parse(their_ty))
            && is_int(ours.leaf())
            && is_int(their_expr.leaf())
            && same_outside_leaf(&ours, &their_expr)
        {
            field.ty = Some(their_ty.clone());
        }
        // A limit the page does not state is not a statement that there is none: pages
        // state many limits only in prose the importer does not read.
        if field.max_bytes.is_none() && field.max_chars.is_none() {
            field.max_bytes = theirs.max_bytes;
            field.max_chars = theirs.max_chars;
        }
        if field.item_max_bytes.is_none() && field.item_max_chars.is_none() {
            field.item_max_bytes = theirs.item_max_bytes;
            field.item_max_chars = theirs.item_max_chars;
        }
        if field.min.is_none() && field.max.is_none() {
            field.min = theirs.min;
            field.max = theirs.max;
        }
        keep_if_unset(&mut field.min_items, theirs.min_items);
        keep_if_unset(&mut field.max_items, theirs.max_items);
        keep_if_unset(&mut field.min_len, theirs.min_len);
        if field.charset.is_none() {
            field.charset = theirs.charset.clone();
        }
        // Text rules and configurable caps live in prose only.
        if field.prefix.is_none() {
            field.prefix = theirs.prefix.clone();
        }
        if field.not_starting_with.is_none() {
            field.not_starting_with = theirs.not_starting_with.clone();
        }
        if field.max_total_bytes.is_none() {
            field.max_total_bytes = theirs.max_total_bytes.clone();
        }
        keep_if_unset(&mut field.max_items_default, theirs.max_items_default);
        if field.rules.is_empty() {
            field.rules = theirs.rules.clone();
        }
        // A page that gives the default cap as the maximum states the default, not a change.
        if theirs.max_items_default.is_some() && field.max_items == theirs.max_items_default {
            field.max_items = theirs.max_items;
        }
        if field.values.is_empty() {
            // Values the page lists in a form the importer does not read (a table, a link).
            field.values = theirs.values.clone();
        }
        if !field.values.is_empty() && !theirs.values.is_empty() {
            field.values_kind = theirs.values_kind;
        }
        if field.default.is_none()
            && let Some(default) = &theirs.default
            && (field.values.is_empty()
                || field.values_kind != Some(crate::spec::ValuesKind::Closed)
                || field.values.iter().any(|v| &v.value == default))
        {
            field.default = Some(default.clone());
        }
        for value in &mut field.values {
            if let Some(named) = theirs.values.iter().find(|v| v.value == value.value) {
                value.name = named.name.clone();
                value.docs = named.docs.clone();
            }
        }
        align_fields(&mut field.fields, &theirs.fields, &field_path, unsized_ints);
    }
}

fn keep_if_unset<T: Copy>(slot: &mut Option<T>, theirs: Option<T>) {
    if slot.is_none() {
        *slot = theirs;
    }
}

fn is_int(ty: &TypeExpr) -> bool {
    matches!(
        ty,
        TypeExpr::Int32 | TypeExpr::Int64 | TypeExpr::Uint32 | TypeExpr::Uint64
    )
}

/// Both have the same wrappers (`array<..>`, `map<..>`) around their leaf.
fn same_outside_leaf(a: &TypeExpr, b: &TypeExpr) -> bool {
    match (a, b) {
        (TypeExpr::Array(a), TypeExpr::Array(b))
        | (TypeExpr::Map(a), TypeExpr::Map(b))
        | (TypeExpr::Json(a), TypeExpr::Json(b)) => same_outside_leaf(a, b),
        (a, b) => is_int(a) && is_int(b),
    }
}
