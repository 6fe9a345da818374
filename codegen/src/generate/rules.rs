//! Validation and docs of the rules across fields (`rules:` of an action) and of the text
//! rules of one field (`prefix`, `not_starting_with`, `max_total_bytes`, `max_items_default`).
//! Every rule becomes one call of a `zim_client::Validator` method.

use proc_macro2::TokenStream;
use quote::quote;

use crate::spec::{Condition, CrossFieldRule, Field, Scalar, ValuesKind};

use super::ir::{FieldIr, NamedKind, Prim, Ty, Usage};
use super::names;
use super::types::is_optional;
use super::validate::{Val, selector_expr};

/// `prefix` / `not_starting_with` checks of one text value (`value` is a `&` expression).
pub fn text_checks(spec: &Field, field: &str, value: &TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(prefix) = &spec.prefix {
        out.push(quote!(v.prefix(#field, #value, #prefix);));
    }
    if let Some(text) = &spec.not_starting_with {
        out.push(quote!(v.not_starting_with(#field, #value, #text);));
    }
    out
}

/// The `max_total_bytes` check of an `array<object>` or `map<string>` (`recv` is the value).
pub fn total_check(spec: &Field, ty: &Ty, field: &str, recv: &TokenStream) -> Option<TokenStream> {
    let total = spec.max_total_bytes.as_ref()?;
    let max = proc_macro2::Literal::u64_unsuffixed(total.max);
    let texts = match ty {
        Ty::Map(_) => {
            quote!(#recv.iter().flat_map(|(key, value)| [Some(key.as_str()), Some(value.as_str())]))
        }
        Ty::Vec(_) => {
            // The items' fields (of a shared type: copied in by `with_item_fields`).
            let parts = total.of.iter().map(|name| {
                let item = spec.fields.iter().find(|f| &f.name == name);
                let rust = item.and_then(|f| f.rust_name.as_deref()).unwrap_or(name);
                let ident = names::field_ident(rust);
                match item {
                    // A string with values is an enum of the client.
                    Some(f) if !f.values.is_empty() && f.required == Some(true) => {
                        quote!(Some(item.#ident.as_str()))
                    }
                    Some(f) if !f.values.is_empty() => {
                        quote!(item.#ident.as_ref().map(|text| text.as_str()))
                    }
                    _ => quote!(::zim_client::CheckText::checked_text(&item.#ident)),
                }
            });
            quote!(#recv.iter().flat_map(|item| [#(#parts),*]))
        }
        _ => return None,
    };
    Some(quote!(v.total_bytes(#field, #texts, #max);))
}

/// Notes on a field's docs for the keys of this module.
pub fn limit_notes(spec: &Field) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(prefix) = &spec.prefix {
        notes.push(format!("starts with `{prefix}`"));
    }
    if let Some(text) = &spec.not_starting_with {
        notes.push(format!("does not start with `{text}`"));
    }
    if let Some(total) = &spec.max_total_bytes {
        if total.of.is_empty() {
            notes.push(format!(
                "keys and values together at most {} bytes",
                total.max
            ));
        } else {
            let of: Vec<String> = total.of.iter().map(|f| format!("`{f}`")).collect();
            notes.push(format!(
                "{} of all items together at most {} bytes",
                of.join(" and "),
                total.max
            ));
        }
    }
    if let (Some(default), Some(hard)) = (spec.max_items_default, spec.max_items) {
        notes.push(format!(
            "the server allows {default} items unless ZEGOCLOUD raised the app's cap (the client checks only the highest cap, {hard})"
        ));
    }
    notes
}

/// Whether a field is set, as the rules count it: present, and not empty for lists and maps
/// (ZEGO reads an empty list as none; an empty string is a value, such as "clear it").
fn is_set(field: &FieldIr, usage: Usage) -> TokenStream {
    let ident = &field.ident;
    if !is_optional(field, usage) {
        return quote!(true);
    }
    match &field.ty {
        Ty::Vec(_) | Ty::Map(_) => {
            quote!(self.#ident.as_ref().is_some_and(|value| !value.is_empty()))
        }
        _ => quote!(self.#ident.is_some()),
    }
}

/// The condition of a `required_if`, as a `bool` expression.
fn condition(when: &Condition, field: &FieldIr, spec: &Field, usage: Usage) -> TokenStream {
    let ident = &field.ident;
    let test = |value: Val| -> TokenStream {
        let recv = value.recv();
        match (&field.ty, &when.equals) {
            (
                Ty::Named {
                    kind: NamedKind::Enum(prim, ValuesKind::Flags),
                    ..
                },
                _,
            ) => {
                let mask: i64 = spec
                    .values
                    .iter()
                    .filter(|v| when.has_flag.contains(&v.name))
                    .filter_map(|v| match v.value {
                        Scalar::Int(i) => Some(i),
                        _ => None,
                    })
                    .fold(0, |m, i| m | i);
                let mask = proc_macro2::Literal::i64_unsuffixed(mask);
                let bits = match prim {
                    Prim::I64 => quote!(#recv.0),
                    Prim::U64 => quote!(i64::try_from(#recv.0).unwrap_or(i64::MAX)),
                    _ => quote!(i64::from(#recv.0)),
                };
                quote!(#bits & #mask != 0)
            }
            (Ty::Prim(Prim::Bool), Some(Scalar::Bool(b))) => {
                let copy = value.by_copy();
                quote!(#copy == #b)
            }
            (_, Some(Scalar::Str(s))) => {
                let sel = selector_expr(field, &value);
                quote!(#sel == #s)
            }
            (_, Some(Scalar::Int(i))) => {
                let sel = selector_expr(field, &value);
                let i = proc_macro2::Literal::i64_unsuffixed(*i);
                quote!(#sel == #i)
            }
            _ => quote!(false),
        }
    };
    if is_optional(field, usage) {
        let body = test(Val::Ref(quote!(value)));
        quote!(self.#ident.as_ref().is_some_and(|value| #body))
    } else {
        test(Val::Place(quote!(self.#ident)))
    }
}

/// The condition in words, for the violation and the docs.
fn condition_text(when: &Condition) -> String {
    match &when.equals {
        Some(value) => format!("`{}` is {}", when.field, plain(value)),
        None => {
            let flags: Vec<String> = when.has_flag.iter().map(|f| format!("`{f}`")).collect();
            format!("`{}` has flag {}", when.field, flags.join(" or "))
        }
    }
}

fn plain(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => format!("{s:?}"),
    }
}

/// One validator call per rule of the request `fields`.
pub fn rule_checks(rules: &[CrossFieldRule], fields: &[FieldIr], usage: Usage) -> Vec<TokenStream> {
    let find = |name: &str| fields.iter().find(|f| f.wire == name);
    let mut out = Vec::new();
    for rule in rules {
        for (list, method) in [
            (&rule.one_of, quote!(one_of)),
            (&rule.at_least_one_of, quote!(at_least_one_of)),
        ] {
            let Some(names) = list else { continue };
            let found: Vec<&FieldIr> = names.iter().filter_map(|n| find(n)).collect();
            let wires = found.iter().map(|f| &f.wire);
            let set = found.iter().map(|f| is_set(f, usage));
            out.push(quote!(v.#method(&[#(#wires),*], &[#(#set),*]);));
        }
        if let Some(required_if) = &rule.required_if
            && let (Some(target), Some(when)) =
                (find(&required_if.field), find(&required_if.when.field))
        {
            let wire = &target.wire;
            let set = is_set(target, usage);
            let holds = condition(&required_if.when, when, &when.spec, usage);
            let text = condition_text(&required_if.when);
            out.push(quote!(v.required_if(#wire, #set, #holds, #text);));
        }
    }
    out
}

/// Appends each rule to the docs of the fields it names.
pub fn annotate(fields: &mut [FieldIr], rules: &[CrossFieldRule]) {
    let mut notes: Vec<(String, String)> = Vec::new();
    for rule in rules {
        for (list, what) in [
            (&rule.one_of, "Exactly one of"),
            (&rule.at_least_one_of, "At least one of"),
        ] {
            let Some(names) = list else { continue };
            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let note = format!("{what} {} must be set.", listed.join(", "));
            notes.extend(names.iter().map(|n| (n.clone(), note.clone())));
        }
        if let Some(required_if) = &rule.required_if {
            notes.push((
                required_if.field.clone(),
                format!("Required when {}.", condition_text(&required_if.when)),
            ));
        }
    }
    for (name, note) in notes {
        if let Some(field) = fields.iter_mut().find(|f| f.wire == name) {
            let docs = field.spec.docs.get_or_insert_with(String::new);
            let trimmed = docs.trim_end().len();
            docs.truncate(trimmed);
            if !docs.is_empty() {
                docs.push(' ');
            }
            docs.push_str(&note);
        }
    }
}

/// Copies the fields of a shared item type into the spec of every field with a
/// `max_total_bytes` over items of that type, so its check can name the items' fields.
pub fn with_item_fields(fields: &mut [FieldIr], service: &crate::spec::ServiceSpec) {
    for field in fields {
        if field.spec.max_total_bytes.is_none() || !field.spec.fields.is_empty() {
            continue;
        }
        if let Some(Ok(crate::spec::TypeExpr::Array(inner))) =
            field.spec.ty.as_deref().map(crate::spec::TypeExpr::parse)
            && let crate::spec::TypeExpr::Named(name) = *inner
            && let Some(def) = service.types.get(&name)
        {
            field.spec.fields = def.fields.clone();
        }
    }
}
