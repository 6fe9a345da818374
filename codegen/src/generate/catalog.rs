//! `catalog.rs`: every action as data (zim-client's `catalog` feature), for tools that work
//! from names and JSON, such as the `zim` command line.
//!
//! One `ActionInfo` per action: its facts, its fields with types, limits, defaults, possible
//! values and nested fields, its return codes, and function pointers to the runtime's generic
//! JSON entry points (`zim_client::runtime::catalog`) monomorphised for its request type. The
//! file is data only; what the entries do is written once in the runtime.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::spec::{
    CheckedAction, Field, Method, PaginationStyle, Scalar, ServiceSpec, TypeExpr, ValuesKind,
};

use super::codes;
use super::names;
use super::table;
use super::types::scalar_text;

/// The runtime module the generated entries point to.
fn rt() -> TokenStream {
    quote!(::zim_client::runtime::catalog)
}

/// The whole `catalog.rs`.
pub fn catalog(service: &ServiceSpec, actions: &[&CheckedAction]) -> TokenStream {
    let rt = rt();
    let mut shared = SharedStatics::default();
    let entries: Vec<TokenStream> = actions
        .iter()
        .map(|checked| action_info(service, checked, &mut shared))
        .collect();
    let statics = shared.statics(service);
    let count = proc_macro2::Literal::usize_unsuffixed(entries.len());
    quote! {
        //! Every action as data, with JSON entry points (see `zim_client::runtime::catalog`).
        //! Sorted by category, then name.
        /// Every action of the spec.
        pub static ACTIONS: [#rt::ActionInfo; #count] = [#(#entries),*];
        /// Return codes any action can produce (the global table).
        pub static GLOBAL_CODES: &[::zim_client::CodeInfo] = &super::return_codes::CODES;
        #statics
    }
}

fn action_info(
    service: &ServiceSpec,
    checked: &CheckedAction,
    shared: &mut SharedStatics,
) -> TokenStream {
    let rt = rt();
    let action = &checked.spec;
    let name = &action.name;
    let category = &action.category;
    let purpose = action.purpose.trim();
    let docs = action.docs.as_deref().unwrap_or("").trim();
    let method = match action.method {
        Method::Get => quote!(::zim_client::Method::Get),
        Method::Post => quote!(::zim_client::Method::Post),
    };
    let host = option_str(action.host.as_deref());
    let qps = table::qps(action);
    let retry_safe = action.retry_safe;
    let pagination = match &action.pagination {
        Some(p) => {
            let style = match p.style {
                PaginationStyle::NumericNext => "numeric next",
                PaginationStyle::StringNext => "string next",
                PaginationStyle::NextFlag => "next flag",
                PaginationStyle::StartFlag => "start flag",
            };
            let (cursor, next, items) = (&p.cursor, &p.next, &p.items);
            quote!(Some(#rt::PageInfo { style: #style, cursor: #cursor, next: #next, items: #items }))
        }
        None => quote!(None),
    };
    let request = fields(&action.request, shared);
    let response = fields(&action.response, shared);
    let codes = codes::action_codes(service, action).into_iter().map(|(_, code, _)| {
        let value = proc_macro2::Literal::i64_unsuffixed(code.code);
        let (code_name, meaning, fix, retry) =
            (&code.name, code.meaning.trim(), code.fix.trim(), code.retry);
        quote!(::zim_client::CodeInfo { code: #value, name: #code_name, meaning: #meaning, fix: #fix, retry: #retry })
    });
    let request_type = {
        let module = names::ident(&names::module_name(category));
        let ty = names::ident(&format!("{}Request", names::type_name(name)));
        quote!(super::#module::#ty)
    };
    let items = if action.pagination.is_some() {
        quote!(Some(#rt::items::<#request_type> as #rt::ItemsFn))
    } else {
        quote!(None)
    };
    quote! {
        #rt::ActionInfo {
            name: #name,
            category: #category,
            purpose: #purpose,
            docs: #docs,
            method: #method,
            host: #host,
            qps: #qps,
            retry_safe: #retry_safe,
            pagination: #pagination,
            request: &[#(#request),*],
            response: &[#(#response),*],
            codes: &[#(#codes),*],
            call: #rt::call::<#request_type>,
            prepare: #rt::prepare::<#request_type>,
            items: #items,
        }
    }
}

fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// Shared types met in fields: each gets one static of its fields (or shapes), so types that
/// hold themselves through arrays are described without recursion.
#[derive(Default)]
struct SharedStatics {
    used: BTreeSet<String>,
}

impl SharedStatics {
    fn ident(key: &str, shapes: bool) -> proc_macro2::Ident {
        let suffix = if shapes { "_SHAPES" } else { "_FIELDS" };
        names::ident(&format!("{}{suffix}", names::snake(key).to_uppercase()))
    }

    /// The statics of every shared type reachable from the fields described so far.
    fn statics(&mut self, service: &ServiceSpec) -> TokenStream {
        let rt = rt();
        let mut done = BTreeSet::new();
        let mut out = Vec::new();
        while let Some(key) = self.used.difference(&done).next().cloned() {
            done.insert(key.clone());
            let Some(def) = service.types.get(&key) else {
                continue;
            };
            let doc = format!(" Fields of the shared type `{key}`.");
            if def.variants.is_empty() {
                let ident = Self::ident(&key, false);
                let list = fields(&def.fields, self);
                let count = proc_macro2::Literal::usize_unsuffixed(list.len());
                out.push(quote! {
                    #[doc = #doc]
                    pub static #ident: [#rt::FieldInfo; #count] = [#(#list),*];
                });
            } else {
                let ident = Self::ident(&key, true);
                let shapes: Vec<TokenStream> = def
                    .variants
                    .iter()
                    .map(|shape| {
                        let name = &shape.name;
                        let when: Vec<String> = shape.when.iter().map(scalar_text).collect();
                        let when = when.join(", ");
                        let docs = shape.docs.trim();
                        let list = fields(&shape.fields, self);
                        quote!(#rt::VariantInfo { name: #name, when: #when, docs: #docs, fields: &[#(#list),*] })
                    })
                    .collect();
                let count = proc_macro2::Literal::usize_unsuffixed(shapes.len());
                let doc = format!(" Shapes of the shared type `{key}`.");
                out.push(quote! {
                    #[doc = #doc]
                    pub static #ident: [#rt::VariantInfo; #count] = [#(#shapes),*];
                });
            }
        }
        quote!(#(#out)*)
    }
}

fn fields(list: &[Field], shared: &mut SharedStatics) -> Vec<TokenStream> {
    list.iter().map(|field| field_info(field, shared)).collect()
}

fn field_info(field: &Field, shared: &mut SharedStatics) -> TokenStream {
    let rt = rt();
    let name = &field.name;
    let ty_text = field.ty.as_deref().unwrap_or("");
    let expr = TypeExpr::parse(ty_text).ok();
    let kind = match expr.as_ref().map(kind) {
        Some(kind) => kind,
        None => quote!(Json),
    };
    let required = field.required.unwrap_or(false);
    let docs = field.docs.as_deref().unwrap_or("").trim();
    let limits = limits_text(field);
    let default = option_str(field.default.as_ref().map(scalar_text).as_deref());
    let values_kind = option_str((!field.values.is_empty()).then(|| {
        match field.values_kind.unwrap_or(ValuesKind::Closed) {
            ValuesKind::Closed => "closed",
            ValuesKind::Open => "open",
            ValuesKind::Flags => "flags",
        }
    }));
    let values = field.values.iter().map(|v| {
        let value = json_text(&v.value);
        let (value_name, value_docs) = (&v.name, v.docs.trim());
        quote!(#rt::ValueInfo { value: #value, name: #value_name, docs: #value_docs })
    });
    let named = match expr.as_ref().map(TypeExpr::leaf) {
        Some(TypeExpr::Named(key)) => {
            shared.used.insert(key.clone());
            Some(key.clone())
        }
        _ => None,
    };
    let (nested, variants) = match &named {
        Some(key) if field.selector.is_some() => {
            let ident = SharedStatics::ident(key, true);
            (quote!(&[]), quote!(&#ident))
        }
        Some(key) => {
            let ident = SharedStatics::ident(key, false);
            (quote!(&#ident), quote!(&[]))
        }
        None => {
            let list = fields(&field.fields, shared);
            (quote!(&[#(#list),*]), quote!(&[]))
        }
    };
    let selector = option_str(field.selector.as_deref());
    quote! {
        #rt::FieldInfo {
            name: #name,
            ty: #ty_text,
            kind: #rt::FieldKind::#kind,
            required: #required,
            docs: #docs,
            limits: #limits,
            default: #default,
            values_kind: #values_kind,
            values: &[#(#values),*],
            fields: #nested,
            selector: #selector,
            variants: #variants,
        }
    }
}

/// How a value of `expr` is written on a command line.
fn kind(expr: &TypeExpr) -> TokenStream {
    let scalar = |expr: &TypeExpr| match expr {
        TypeExpr::String | TypeExpr::Json(_) => Some(0),
        TypeExpr::Bool => Some(1),
        e if e.is_integer() => Some(2),
        _ => None,
    };
    match expr {
        TypeExpr::Array(inner) => match scalar(inner) {
            Some(0) => quote!(TextList),
            Some(1) => quote!(BoolList),
            Some(_) => quote!(IntegerList),
            None => quote!(Json),
        },
        other => match scalar(other) {
            Some(0) => quote!(Text),
            Some(1) => quote!(Bool),
            Some(_) => quote!(Integer),
            None => quote!(Json),
        },
    }
}

/// A possible value as JSON text.
fn json_text(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => serde_json::Value::String(s.clone()).to_string(),
    }
}

/// The field's limits in words, `, `-separated; empty when it has none.
fn limits_text(field: &Field) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut notes = Vec::new();
    if let Some(n) = field.min_len {
        notes.push(format!("at least {}", plural(n, "character", "characters")));
    }
    if let Some(n) = field.max_chars {
        notes.push(format!("at most {}", plural(n, "character", "characters")));
    }
    if let Some(n) = field.max_bytes {
        notes.push(format!("at most {}", plural(n, "byte", "bytes")));
    }
    if let Some(n) = field.min {
        notes.push(format!("at least {n}"));
    }
    if let Some(n) = field.max {
        notes.push(format!("at most {n}"));
    }
    if let Some(n) = field.min_items {
        notes.push(format!("at least {}", plural(n, "item", "items")));
    }
    if let Some(n) = field.max_items {
        notes.push(format!("at most {}", plural(n, "item", "items")));
    }
    if let Some(n) = field.item_max_chars {
        notes.push(format!(
            "items at most {}",
            plural(n, "character", "characters")
        ));
    }
    if let Some(n) = field.item_max_bytes {
        notes.push(format!("items at most {}", plural(n, "byte", "bytes")));
    }
    if let Some(name) = &field.charset {
        notes.push(format!("characters of the `{name}` set"));
    }
    notes.join(", ")
}
