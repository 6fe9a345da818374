//! `impl Validate`: one runtime `Validator` call per limit of the spec.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::spec::{Field, Scalar, ValuesKind};

use super::ir::{
    EnumDef, FieldIr, Home, ModuleDefs, NamedKind, ObjectDef, Prim, Ty, Usage, VariantTypeDef,
};
use super::names;
use super::types::{is_optional, scalar_text};

/// Where validation code is generated, and which named types have something to check
/// (types without rules get no `Validate` impl and are not walked).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// Generating `shared.rs` (paths to sibling modules differ).
    pub in_shared: bool,
    /// Validated types of `shared.rs`.
    pub shared: &'a BTreeSet<String>,
    /// Validated types of the module being generated.
    pub local: &'a BTreeSet<String>,
    /// Request types also get `Deserialize`, behind zim-client's `deserialize-requests`
    /// feature.
    pub request_de: bool,
}

impl Ctx<'_> {
    pub fn validated(&self, name: &str, home: Home) -> bool {
        match home {
            Home::Shared => self.shared.contains(name),
            Home::Local => self.local.contains(name),
        }
    }
}

/// The types of `defs` that have something to check: closed enums and flag sets sent in
/// requests, and request objects or variants holding a field with a rule.
pub fn analyze(defs: &ModuleDefs, in_shared: bool, shared: &BTreeSet<String>) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = defs
        .enums
        .iter()
        .filter(|e| e.usage.request && e.kind != ValuesKind::Open)
        .map(|e| e.name.clone())
        .collect();
    loop {
        let current = set.clone();
        let ctx = Ctx {
            in_shared,
            shared: if in_shared { &current } else { shared },
            local: &current,
            request_de: false,
        };
        for object in defs.objects.iter().filter(|o| o.usage.request) {
            if !object.rules.is_empty()
                || !field_checks(&object.fields, object.usage, &ctx).is_empty()
            {
                set.insert(object.name.clone());
            }
        }
        for variant in defs.variants.iter().filter(|v| v.usage.request) {
            if variant
                .shapes
                .iter()
                .filter_map(|s| s.payload.as_ref())
                .any(|p| current.contains(p))
            {
                set.insert(variant.name.clone());
            }
        }
        if set.len() == current.len() {
            return set;
        }
    }
}

/// A value being checked: a place (`self.x`) or a reference binding (`value`).
#[derive(Clone)]
pub enum Val {
    Place(TokenStream),
    Ref(TokenStream),
}

impl Val {
    fn by_ref(&self) -> TokenStream {
        match self {
            Val::Place(p) => quote!(&#p),
            Val::Ref(r) => r.clone(),
        }
    }
    pub(super) fn by_copy(&self) -> TokenStream {
        match self {
            Val::Place(p) => p.clone(),
            Val::Ref(r) => quote!(*#r),
        }
    }
    /// Receiver for method calls (auto-ref applies).
    pub(super) fn recv(&self) -> TokenStream {
        match self {
            Val::Place(p) | Val::Ref(p) => p.clone(),
        }
    }
}

/// An `i64` from an integer value.
fn as_i64(prim: Prim, val: &Val) -> TokenStream {
    let copy = val.by_copy();
    match prim {
        Prim::I64 => copy,
        Prim::U64 => quote!(i64::try_from(#copy).unwrap_or(i64::MAX)),
        _ => quote!(i64::from(#copy)),
    }
}

/// The selector's wire value (`i64` or `&str`) from the selector field's value.
pub fn selector_expr(field: &FieldIr, val: &Val) -> TokenStream {
    let recv = val.recv();
    match &field.ty {
        Ty::Prim(Prim::String) => quote!(#recv.as_str()),
        Ty::Prim(prim) => as_i64(*prim, val),
        Ty::Named {
            kind: NamedKind::Enum(Prim::String, _),
            ..
        } => quote!(#recv.as_str()),
        Ty::Named {
            kind: NamedKind::Enum(prim, _),
            ..
        } => as_i64(*prim, &Val::Place(quote!(#recv.value()))),
        _ => quote!(0),
    }
}

/// Runtime path of a charset constant, from the module being generated.
fn charset_path(name: &str, in_shared: bool) -> TokenStream {
    let ident = names::ident(&names::snake(name).to_uppercase());
    if in_shared {
        quote!(super::charsets::#ident)
    } else {
        quote!(super::super::charsets::#ident)
    }
}

/// Checks of one value of `ty`; `name` is the wire name to report, `None` for the current path.
fn checks(
    ty: &Ty,
    spec: &Field,
    val: &Val,
    name: Option<&str>,
    top: bool,
    usage: Usage,
    ctx: &Ctx<'_>,
) -> TokenStream {
    let field = name.unwrap_or("");
    match ty {
        Ty::Prim(Prim::String) => {
            let value = val.by_ref();
            let mut out = Vec::new();
            let max_bytes = if top {
                spec.max_bytes
            } else {
                spec.item_max_bytes.or(spec.max_bytes)
            };
            let max_chars = if top {
                spec.max_chars
            } else {
                spec.item_max_chars.or(spec.max_chars)
            };
            if let Some(n) = max_bytes.map(num) {
                out.push(quote!(v.max_bytes(#field, #value, #n);));
            }
            if let Some(n) = max_chars.map(num) {
                out.push(quote!(v.max_chars(#field, #value, #n);));
            }
            if let Some(n) = spec.min_len.map(num) {
                out.push(quote!(v.min_len(#field, #value, #n);));
            }
            if let Some(charset) = &spec.charset {
                let path = charset_path(charset, ctx.in_shared);
                out.push(quote!(v.charset(#field, #value, &#path);));
            }
            out.extend(super::rules::text_checks(spec, field, &value));
            quote!(#(#out)*)
        }
        Ty::Prim(Prim::Bool) => quote!(),
        Ty::Prim(_) => {
            if spec.min.is_none() && spec.max.is_none() {
                return quote!();
            }
            let min = opt(spec.min);
            let max = opt(spec.max);
            // `Validator::range` takes any integer, optional or not (`CheckInt`).
            let value = val.by_copy();
            quote!(v.range(#field, #value, #min, #max);)
        }
        Ty::Vec(inner) | Ty::Map(inner) => {
            let mut out = Vec::new();
            if top && (spec.min_items.is_some() || spec.max_items.is_some()) {
                let min = opt(spec.min_items);
                let max = opt(spec.max_items);
                let recv = val.recv();
                out.push(quote!(v.items(#field, #recv.len(), #min, #max);));
            }
            if top {
                out.extend(super::rules::total_check(spec, ty, field, &val.recv()));
            }
            let item = Val::Ref(quote!(item));
            let inner_checks = checks(inner, spec, &item, None, false, usage, ctx);
            if !inner_checks.is_empty() {
                let recv = val.recv();
                if let (Ty::Vec(_), Ty::Named { .. }, Some(name)) = (ty, &**inner, name) {
                    // `Vec<T: Validate>` walks itself.
                    out.push(quote!(v.at_field(#name, |v| #recv.validate_into(v));));
                    return quote!(#(#out)*);
                }
                // The runtime walks the items (`Validator::each`, `each_entry`).
                let walk = if matches!(ty, Ty::Vec(_)) {
                    quote!(each)
                } else {
                    quote!(each_entry)
                };
                let items = val.by_ref();
                let body = closure_body(inner_checks);
                out.push(quote!(v.#walk(#field, #items, |v, item| #body);));
            }
            quote!(#(#out)*)
        }
        // Typed only at top level of request-only structs; elsewhere it is the JSON text.
        Ty::Json(inner) if top && !usage.response => {
            checks(inner, &Field::default(), val, name, false, usage, ctx)
        }
        Ty::Json(_) => quote!(),
        // Only the object form has rules (its own); text is taken as sent.
        Ty::TextOr(inner) => {
            let recv = val.recv();
            text_or_checks(inner, quote!(#recv.as_object()), name, usage, ctx)
        }
        // Kept as raw JSON in structs that responses use.
        Ty::Named {
            kind: NamedKind::Variant,
            ..
        } if usage.response => quote!(),
        Ty::Named {
            name: type_name,
            home,
            ..
        } if !ctx.validated(type_name, *home) => quote!(),
        Ty::Named { .. } => {
            let recv = val.recv();
            match name {
                Some(name) => quote!(v.at_field(#name, |v| #recv.validate_into(v));),
                None => quote!(#recv.validate_into(v);),
            }
        }
    }
}

/// Checks of the object form of a `string | T` value; `object` is an `Option<&T>` expression.
fn text_or_checks(
    inner: &Ty,
    object: TokenStream,
    name: Option<&str>,
    usage: Usage,
    ctx: &Ctx<'_>,
) -> TokenStream {
    let bound = Val::Ref(quote!(object));
    let inner_checks = checks(inner, &Field::default(), &bound, name, false, usage, ctx);
    if inner_checks.is_empty() {
        return quote!();
    }
    quote!(if let Some(object) = #object { #inner_checks })
}

/// A closure body for `checks`: one check as an expression (one formatted line), several
/// as a block.
fn closure_body(checks: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let mut trees: Vec<TokenTree> = checks.clone().into_iter().collect();
    let is_semi = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ';');
    let semis = trees.iter().filter(|t| is_semi(t)).count();
    if semis == 1 && trees.last().is_some_and(is_semi) {
        trees.pop();
        trees.into_iter().collect()
    } else {
        quote!({ #checks })
    }
}

fn opt<T: Into<i128>>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => {
            let lit = proc_macro2::Literal::i128_unsuffixed(v.into());
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}

fn num<T: Into<i128>>(value: T) -> proc_macro2::Literal {
    proc_macro2::Literal::i128_unsuffixed(value.into())
}

/// The checks of every field of a request-side struct.
pub fn field_checks(fields: &[FieldIr], usage: Usage, ctx: &Ctx<'_>) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for field in fields {
        let ident = &field.ident;
        let optional = is_optional(field, usage);
        // Scalar checks take optional values as they are (`CheckText`, `CheckInt`).
        let unwrap = optional && !matches!(field.ty, Ty::Prim(_));
        let val = if unwrap {
            Val::Ref(quote!(value))
        } else {
            Val::Place(quote!(self.#ident))
        };
        if let (Ty::TextOr(inner), true) = (&field.ty, unwrap) {
            // One `if let` over both options: nested ones would be a collapsible `if`.
            let object = quote!(self.#ident.as_ref().and_then(|value| value.as_object()));
            let body = text_or_checks(inner, object, Some(&field.wire), usage, ctx);
            if !body.is_empty() {
                out.push(body);
            }
        }
        let body = match &field.ty {
            Ty::TextOr(_) if unwrap => quote!(),
            ty => checks(ty, &field.spec, &val, Some(&field.wire), true, usage, ctx),
        };
        if !body.is_empty() {
            out.push(if unwrap {
                quote!(if let Some(value) = &self.#ident { #body })
            } else {
                body
            });
        }
        // A variant field must hold the shape its selector chooses (when it is typed).
        if usage.response {
            continue;
        }
        if let Some(check) = narrowed_check(field, optional) {
            out.push(check);
        }
        if let (
            Ty::Named {
                kind: NamedKind::Variant,
                ..
            },
            Some(selector),
        ) = (
            &field.ty,
            field
                .spec
                .selector
                .as_ref()
                .and_then(|s| fields.iter().find(|f| &f.wire == s)),
        ) {
            let wire = &field.wire;
            let selector_wire = &selector.wire;
            let sel_ident = &selector.ident;
            let sel_optional = is_optional(selector, usage);
            let sel_val = if sel_optional {
                Val::Ref(quote!(selector))
            } else {
                Val::Place(quote!(self.#sel_ident))
            };
            let sel = selector_expr(selector, &sel_val);
            let (sel, bind) = if sel_optional {
                (quote!(selected), quote!(let selected = #sel;))
            } else {
                (sel, quote!())
            };
            let mismatch = if optional {
                quote!(self.#ident.as_ref().is_some_and(|body| !body.selects(#sel)))
            } else {
                quote!(!self.#ident.selects(#sel))
            };
            let check = quote! {
                #bind
                if #mismatch {
                    v.report(#wire, ::zim_client::Rule::Selector(#selector_wire), #sel);
                }
            };
            out.push(if sel_optional {
                quote!(if let Some(selector) = &self.#sel_ident { #check })
            } else {
                check
            });
        }
    }
    out
}

/// A field of a shared enum type that allows fewer values than the enum knows: values outside
/// its own list are violations (a local `values:` narrowing a `use:` definition).
fn narrowed_check(field: &FieldIr, optional: bool) -> Option<TokenStream> {
    let allowed = field.narrowed.as_ref()?;
    let Ty::Named {
        kind: NamedKind::Enum(prim, _),
        ..
    } = &field.ty
    else {
        return None;
    };
    let ident = &field.ident;
    let wire = &field.wire;
    let patterns = super::types::patterns(allowed);
    let texts: Vec<String> = allowed.iter().map(plain_text).collect();
    let value = if *prim == Prim::String {
        quote!(value.as_str())
    } else {
        quote!(value.value())
    };
    let check = quote! {
        if !matches!(#value, #(#patterns)|*) {
            v.report(#wire, ::zim_client::Rule::OneOf(&[#(#texts),*]), #value);
        }
    };
    Some(if optional {
        quote!(if let Some(value) = &self.#ident { #check })
    } else {
        quote!({ let value = &self.#ident; #check })
    })
}

fn validate_impl(name: &str, body: Vec<TokenStream>) -> TokenStream {
    let name = names::ident(name);
    let v = if body.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl ::zim_client::Validate for #name {
            fn validate_into(&self, #v: &mut ::zim_client::Validator) {
                #(#body)*
            }
        }
    }
}

/// `impl Validate` of an object that travels in requests.
pub fn object_impl(def: &ObjectDef, ctx: &Ctx<'_>) -> TokenStream {
    if !def.usage.request || !ctx.local.contains(&def.name) {
        return quote!();
    }
    let mut checks = field_checks(&def.fields, def.usage, ctx);
    checks.extend(super::rules::rule_checks(
        &def.rules,
        &def.fields,
        def.usage,
    ));
    validate_impl(&def.name, checks)
}

/// A closed enum refuses unknown values; an open one accepts anything.
pub fn enum_impl(def: &EnumDef) -> TokenStream {
    if def.kind != ValuesKind::Closed {
        return validate_impl(&def.name, Vec::new());
    }
    let allowed: Vec<String> = def
        .values
        .iter()
        .map(|(value, _, _)| plain_text(value))
        .collect();
    validate_impl(
        &def.name,
        vec![quote! {
            if let Self::Unknown(value) = self {
                v.report("", ::zim_client::Rule::OneOf(&[#(#allowed),*]), value);
            }
        }],
    )
}

fn plain_text(value: &Scalar) -> String {
    match value {
        Scalar::Str(s) => s.clone(),
        other => scalar_text(other),
    }
}

/// A flag set refuses bits outside its documented flags.
pub fn flags_impl(def: &EnumDef, mask: i64) -> TokenStream {
    let mask = num(mask);
    let value = as_i64(def.prim, &Val::Place(quote!(self.0)));
    validate_impl(
        &def.name,
        vec![quote! {
            if #value & !#mask != 0 {
                v.report("", ::zim_client::Rule::Flags(#mask), self.0);
            }
        }],
    )
}

/// A variant value checks its payload.
pub fn variant_impl(def: &VariantTypeDef, ctx: &Ctx<'_>) -> TokenStream {
    if !def.usage.request || !ctx.local.contains(&def.name) {
        return quote!();
    }
    let arms = def
        .shapes
        .iter()
        .filter(|s| s.payload.as_ref().is_some_and(|p| ctx.local.contains(p)))
        .map(|shape| {
            let variant = names::ident(&shape.variant);
            quote!(Self::#variant(value))
        });
    let arms: Vec<TokenStream> = arms.collect();
    let body = if let [pattern] = arms.as_slice() {
        quote!(if let #pattern = self { value.validate_into(v); })
    } else {
        quote! {
            match self {
                #(#arms => value.validate_into(v),)*
                _ => {}
            }
        }
    };
    validate_impl(&def.name, vec![body])
}
