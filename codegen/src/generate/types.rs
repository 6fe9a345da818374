//! Objects, enums, flag sets and variant types: their Rust definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::spec::{Scalar, ValuesKind, VariantEncoding};

use super::docs::{doc_attrs, spec_text};
use super::ir::{EnumDef, FieldIr, Home, NamedKind, ObjectDef, Prim, Ty, Usage, VariantTypeDef};
use super::names;
use super::response_ser;
use super::validate;

/// The zim-client feature that turns on `Deserialize` for request types (reading requests
/// from JSON, as the sample tests do); off by default, as it costs compile time.
pub const REQUEST_DE_FEATURE: &str = "deserialize-requests";

/// `#[cfg(feature = ...)]` for items that only decode requests; `None` when request types
/// get no `Deserialize` at all (see [`super::Settings::deserialize_requests`]).
pub fn request_de_cfg(enabled: bool) -> Option<TokenStream> {
    enabled.then(|| quote!(#[cfg(feature = #REQUEST_DE_FEATURE)]))
}

/// `#[cfg_attr(feature = ..., derive(Deserialize))]` for request-only types.
fn request_de_derive(enabled: bool) -> TokenStream {
    if enabled {
        quote!(#[cfg_attr(feature = #REQUEST_DE_FEATURE, derive(::serde::Deserialize))])
    } else {
        quote!()
    }
}

pub fn prim_tokens(prim: Prim) -> TokenStream {
    match prim {
        Prim::String => quote!(String),
        Prim::Bool => quote!(bool),
        Prim::I32 => quote!(i32),
        Prim::I64 => quote!(i64),
        Prim::U32 => quote!(u32),
        Prim::U64 => quote!(u64),
    }
}

/// Path of a named type as seen from the module being generated.
pub fn named_path(name: &str, home: Home) -> TokenStream {
    let ident = names::ident(name);
    match home {
        Home::Local => quote!(#ident),
        Home::Shared => quote!(super::super::shared::#ident),
    }
}

/// The Rust type of a value of `ty` in a struct travelling in direction `usage`.
pub fn value_tokens(ty: &Ty, usage: Usage) -> TokenStream {
    value_tokens_at(ty, usage, false)
}

/// JSON text is typed only where it is written as a field of a request-only struct; inside
/// arrays or maps, and wherever responses read it, it is kept as text.
fn value_tokens_at(ty: &Ty, usage: Usage, nested: bool) -> TokenStream {
    match ty {
        Ty::Prim(prim) => prim_tokens(*prim),
        Ty::Vec(inner) => {
            let inner = value_tokens_at(inner, usage, true);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = value_tokens_at(inner, usage, true);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Ty::Json(inner) => {
            if usage.response || nested {
                quote!(::zim_client::runtime::lenient::JsonText)
            } else {
                value_tokens_at(inner, usage, false)
            }
        }
        Ty::TextOr(inner) => {
            let inner = value_tokens_at(inner, usage, true);
            quote!(::zim_client::TextOrObject<#inner>)
        }
        Ty::Named {
            name,
            home,
            kind: NamedKind::Variant,
        } => {
            if usage.response {
                quote!(::serde_json::Value)
            } else {
                named_path(name, *home)
            }
        }
        Ty::Named { name, home, .. } => named_path(name, *home),
    }
}

/// Whether the field is `Option<T>` in a struct of this usage.
pub fn is_optional(field: &FieldIr, usage: Usage) -> bool {
    usage.request && !field.required
}

fn json_inner(ty: &Ty) -> Option<&Ty> {
    match ty {
        Ty::Json(inner) => Some(inner),
        _ => None,
    }
}

/// One struct field with its serde attributes.
fn field_tokens(field: &FieldIr, usage: Usage, ctx: &validate::Ctx<'_>) -> TokenStream {
    let in_shared = ctx.in_shared;
    let ident = &field.ident;
    let wire = &field.wire;
    let mut ty = value_tokens(&field.ty, usage);
    let docs = doc_attrs(&field_docs(field));
    let mut attrs = Vec::new();
    // The struct renames its fields to PascalCase; only wire names that differ from that are
    // spelled out.
    if !pascal_matches(field) {
        attrs.push(quote!(rename = #wire));
    }
    // Responses decode leniently; requests (when they decode at all) strictly, by wire name
    // and aliases.
    if usage.response || ctx.request_de {
        for alias in &field.spec.aliases {
            attrs.push(quote!(alias = #alias));
        }
    }
    // Responses need no per-field leniency: the runtime reads every response through
    // `zim_client::runtime::lenient::LenientDeserializer`.
    let optional = is_optional(field, usage);
    if usage.request && json_inner(&field.ty).is_some() && !usage.response {
        let prefix = if in_shared {
            ""
        } else {
            "super::super::shared::"
        };
        let opt = if optional { "_opt" } else { "" };
        let with = format!("{prefix}serialize_json_text{opt}");
        attrs.push(quote!(serialize_with = #with));
        if ctx.request_de {
            let de_with = format!("{prefix}deserialize_json_text{opt}");
            attrs.push(quote!(deserialize_with = #de_with));
            if optional {
                attrs.push(quote!(default));
            }
        }
    }
    if optional {
        ty = quote!(Option<#ty>);
        attrs.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let attrs = if attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#attrs),*)])
    };
    quote! {
        #docs
        #attrs
        pub #ident: #ty,
    }
}

/// Whether serde's `rename_all = "PascalCase"` turns the field's Rust name into its wire name
/// (the same rule as serde: drop `r#`, upper-case the first letter and each letter after `_`,
/// drop the underscores).
fn pascal_matches(field: &FieldIr) -> bool {
    let ident = field.ident.to_string();
    let ident = ident.strip_prefix("r#").unwrap_or(&ident);
    let mut pascal = String::with_capacity(ident.len());
    let mut upper = true;
    for c in ident.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            pascal.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            pascal.push(c);
        }
    }
    pascal == field.wire
}

/// A field's docs, with its limits and default appended.
pub fn field_docs(field: &FieldIr) -> String {
    let spec = &field.spec;
    let mut text = spec.docs.as_deref().map(spec_text).unwrap_or_default();
    let mut notes = Vec::new();
    let unit = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if let Some(n) = spec.max_bytes {
        notes.push(format!("at most {}", unit(n, "byte", "bytes")));
    }
    if let Some(n) = spec.max_chars {
        notes.push(format!("at most {}", unit(n, "character", "characters")));
    }
    if let Some(n) = spec.min_len {
        notes.push(format!("at least {}", unit(n, "character", "characters")));
    }
    if let Some(n) = spec.min {
        notes.push(format!("at least {n}"));
    }
    if let Some(n) = spec.max {
        notes.push(format!("at most {n}"));
    }
    if let Some(n) = spec.min_items {
        notes.push(format!("at least {}", unit(n, "item", "items")));
    }
    if let Some(n) = spec.max_items {
        notes.push(format!("at most {}", unit(n, "item", "items")));
    }
    if let Some(n) = spec.item_max_bytes {
        notes.push(format!("items at most {}", unit(n, "byte", "bytes")));
    }
    if let Some(n) = spec.item_max_chars {
        notes.push(format!(
            "items at most {}",
            unit(n, "character", "characters")
        ));
    }
    if let Some(name) = &spec.charset {
        notes.push(format!("characters of the `{name}` set"));
    }
    notes.extend(super::rules::limit_notes(spec));
    let mut extra = Vec::new();
    if !notes.is_empty() {
        extra.push(format!("Limits: {}.", notes.join(", ")));
    }
    if has_text_or(&field.ty) {
        extra.push(
            "Sent as text or as an object: text stays text as sent (even when it holds JSON; \
             `TextOrObject::parse_object` reads that), an object decodes into the typed form."
                .to_owned(),
        );
    }
    if field.narrowed.is_some() {
        let allowed: Vec<String> = spec
            .values
            .iter()
            .map(|v| format!("`{}` ({})", v.name, scalar_text(&v.value)))
            .collect();
        extra.push(format!("Only these values here: {}.", allowed.join(", ")));
    }
    if let Some(default) = &spec.default {
        extra.push(format!("Server default: {}.", scalar_text(default)));
    }
    if !extra.is_empty() {
        // On the description's last line: a paragraph of its own costs two lines per field.
        // Not on a code fence, though: the notes would become part of the code.
        text.truncate(text.trim_end().len());
        let last = text.lines().last().unwrap_or_default().trim_start();
        if last.starts_with("```") || last.starts_with("~~~") {
            text.push_str("\n\n");
        } else if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&extra.join(" "));
    }
    text
}

fn has_text_or(ty: &Ty) -> bool {
    match ty {
        Ty::TextOr(_) => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Json(inner) => has_text_or(inner),
        _ => false,
    }
}

pub fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => format!("{s:?}"),
    }
}

/// Constructor parameter type and the expression that stores it.
fn param(field: &FieldIr, usage: Usage) -> (TokenStream, TokenStream) {
    let ident = &field.ident;
    match &field.ty {
        Ty::Prim(Prim::String) => (quote!(impl Into<String>), quote!(#ident.into())),
        ty => (value_tokens(ty, usage), quote!(#ident)),
    }
}

/// A generated object: struct, constructor and chainable setters, validator.
pub fn object(def: &ObjectDef, nested: bool, ctx: &validate::Ctx<'_>) -> TokenStream {
    let name = names::ident(&def.name);
    let usage = def.usage;
    let docs = doc_attrs(&def.docs);
    let fields = def.fields.iter().map(|f| field_tokens(f, usage, ctx));
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    let mut container = Vec::new();
    let rename_all = def
        .fields
        .iter()
        .any(pascal_matches)
        .then(|| quote!(rename_all = "PascalCase"));
    if usage.response {
        derives.push(quote!(Default));
        derives.push(quote!(::serde::Deserialize));
        let rename_all = rename_all.iter();
        container.push(quote!(#[serde(default #(, #rename_all)*)]));
    } else if let Some(rename_all) = &rename_all {
        container.push(quote!(#[serde(#rename_all)]));
    }
    if usage.response && !usage.request {
        container.push(response_ser::derive(ctx.request_de));
    }
    if usage.request {
        if !usage.response && def.fields.iter().all(|f| !f.required) {
            derives.push(quote!(Default));
        }
        derives.push(quote!(::serde::Serialize));
    }
    let resolving = if usage.request && !usage.response {
        resolving_deserialize(def, ctx)
    } else {
        None
    };
    if usage.request && !usage.response && resolving.is_none() {
        container.push(request_de_derive(ctx.request_de));
    }
    let builder = if usage.request {
        builder(def)
    } else {
        quote!()
    };
    let validator = validate::object_impl(def, ctx);
    let decoders = decoders(def);
    let _ = nested;
    let (resolving_attr, resolving_impls) = resolving.unwrap_or_default();
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #(#container)*
        #resolving_attr
        pub struct #name {
            #(#fields)*
        }
        #resolving_impls
        #builder
        #decoders
        #validator
    }
}

/// For a request struct holding variant fields whose selector is a sibling: `Deserialize`
/// that reads the struct as sent, then each variant value in the shape its selector chooses.
/// Derived with `serde(remote = "Self")`, which makes both derives inherent functions, so the
/// trait impls are written out around them. Returns the struct attribute and the impls.
fn resolving_deserialize(
    def: &ObjectDef,
    ctx: &validate::Ctx<'_>,
) -> Option<(TokenStream, TokenStream)> {
    let cfg = request_de_cfg(ctx.request_de)?;
    let usage = def.usage;
    let steps: Vec<TokenStream> = def
        .fields
        .iter()
        .filter_map(|field| {
            let Ty::Named {
                name: type_name,
                home,
                kind: NamedKind::Variant,
            } = &field.ty
            else {
                return None;
            };
            let path = named_path(type_name, *home);
            let selector = field
                .spec
                .selector
                .as_ref()
                .and_then(|s| def.fields.iter().find(|f| &f.wire == s))?;
            let ident = &field.ident;
            let sel_ident = &selector.ident;
            let optional_selector = is_optional(selector, usage);
            let sel_expr = if optional_selector {
                validate::selector_expr(selector, &validate::Val::Ref(quote!(selector)))
            } else {
                validate::selector_expr(selector, &validate::Val::Place(quote!(this.#sel_ident)))
            };
            let resolve = if is_optional(field, usage) {
                quote! {
                    this.#ident = match this.#ident.take() {
                        Some(value) => Some(value.resolve(selector).map_err(::serde::de::Error::custom)?),
                        None => None,
                    };
                }
            } else {
                quote! {
                    let value = ::std::mem::replace(&mut this.#ident, #path::Unknown(::serde_json::Value::Null));
                    this.#ident = value.resolve(selector).map_err(::serde::de::Error::custom)?;
                }
            };
            Some(if optional_selector {
                quote! {
                    if let Some(selector) = &this.#sel_ident {
                        let selector = #sel_expr;
                        #resolve
                    }
                }
            } else {
                quote! {
                    {
                        let selector = #sel_expr;
                        #resolve
                    }
                }
            })
        })
        .collect();
    if steps.is_empty() {
        return None;
    }
    let name = names::ident(&def.name);
    let attr = quote! {
        #[cfg_attr(feature = #REQUEST_DE_FEATURE, derive(::serde::Deserialize), serde(remote = "Self"))]
    };
    let impls = quote! {
        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #name::serialize(self, serializer)
            }
        }
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut this = #name::deserialize(deserializer)?;
                #(#steps)*
                Ok(this)
            }
        }
    };
    Some((attr, impls))
}

/// Spec text `a`, then generated text `b`.
fn join_docs(a: &str, b: &str) -> String {
    let a = spec_text(a);
    match (a.is_empty(), b.is_empty()) {
        (_, true) => a,
        (true, false) => b.to_owned(),
        (false, false) => format!("{a}\n\n{b}"),
    }
}

/// `new(required...)` and `with_<optional>(value)` for request-side structs.
fn builder(def: &ObjectDef) -> TokenStream {
    let name = names::ident(&def.name);
    let usage = def.usage;
    let required: Vec<&FieldIr> = def.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let ident = &f.ident;
        let (ty, _) = param(f, usage);
        quote!(#ident: #ty)
    });
    let inits = def.fields.iter().map(|f| {
        let ident = &f.ident;
        if f.required {
            let (_, expr) = param(f, usage);
            if *ident == expr.to_string() {
                quote!(#ident)
            } else {
                quote!(#ident: #expr)
            }
        } else {
            quote!(#ident: None)
        }
    });
    let too_many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let new_doc = doc_attrs(&format!(
        "A value with its required fields set{}.",
        if required.is_empty() {
            " (it has none)"
        } else {
            ""
        }
    ));
    let setters = def.fields.iter().filter(|f| !f.required).map(|f| {
        let ident = &f.ident;
        let method = format_ident!("with_{}", names::plain(ident));
        let (ty, expr) = param(f, usage);
        let doc = doc_attrs(&format!("Sets `{}`.", f.wire));
        quote! {
            #doc
            pub fn #method(mut self, #ident: #ty) -> Self {
                self.#ident = Some(#expr);
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #too_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// `decode_<field>()` for response fields holding JSON text or a variant shape.
fn decoders(def: &ObjectDef) -> TokenStream {
    if !def.usage.response {
        return quote!();
    }
    let mut methods = Vec::new();
    for field in &def.fields {
        let ident = &field.ident;
        let method = format_ident!("decode_{}", names::plain(ident));
        let wire = &field.wire;
        match &field.ty {
            Ty::Json(inner) => {
                let inner = value_tokens(inner, def.usage);
                let doc = doc_attrs(&format!(
                    "Parses the JSON text of `{wire}`; `None` when it is empty."
                ));
                let body = if is_optional(field, def.usage) {
                    quote!(self.#ident.as_ref().map_or(Ok(None), |text| text.decode()))
                } else {
                    quote!(self.#ident.decode())
                };
                methods.push(quote! {
                    #doc
                    pub fn #method(&self) -> Result<Option<#inner>, ::serde_json::Error> {
                        #body
                    }
                });
            }
            Ty::Named {
                name,
                home,
                kind: NamedKind::Variant,
            } => {
                let path = named_path(name, *home);
                let Some(selector) = field
                    .spec
                    .selector
                    .as_ref()
                    .and_then(|s| def.fields.iter().find(|f| &f.wire == s))
                else {
                    continue;
                };
                let selector_wire = &selector.wire;
                let sel_ident = &selector.ident;
                let body_optional = is_optional(field, def.usage);
                let (ret, bind, wrap) = if body_optional {
                    (
                        quote!(Option<#path>),
                        quote!(let Some(value) = &self.#ident else { return Ok(None); };),
                        quote!(.map(Some)),
                    )
                } else {
                    (quote!(#path), quote!(let value = &self.#ident;), quote!())
                };
                let (sel_bind, value_expr) = if is_optional(selector, def.usage) {
                    let unknown = if body_optional {
                        quote!(Some(#path::Unknown(value.clone())))
                    } else {
                        quote!(#path::Unknown(value.clone()))
                    };
                    (
                        quote!(let Some(selector) = &self.#sel_ident else { return Ok(#unknown); };),
                        validate::selector_expr(selector, &validate::Val::Ref(quote!(selector))),
                    )
                } else {
                    (
                        quote!(),
                        validate::selector_expr(
                            selector,
                            &validate::Val::Place(quote!(self.#sel_ident)),
                        ),
                    )
                };
                let doc = doc_attrs(&format!(
                    "Reads `{wire}` in the shape that `{selector_wire}` selects."
                ));
                methods.push(quote! {
                    #doc
                    pub fn #method(&self) -> Result<#ret, ::serde_json::Error> {
                        #bind
                        #sel_bind
                        #path::from_wire(#value_expr, value)#wrap
                    }
                });
            }
            _ => {}
        }
    }
    if methods.is_empty() {
        return quote!();
    }
    let name = names::ident(&def.name);
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// A closed or open enum, or a flag set.
pub fn enumeration(def: &EnumDef, ctx: &validate::Ctx<'_>) -> TokenStream {
    if def.kind == ValuesKind::Flags {
        return flags(def, ctx);
    }
    let name = names::ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let prim = prim_tokens(def.prim);
    let catch_all = if def.kind == ValuesKind::Closed {
        format_ident!("Unknown")
    } else {
        format_ident!("Other")
    };
    let catch_doc = doc_attrs(if def.kind == ValuesKind::Closed {
        "A value this client does not know; requests holding it fail validation."
    } else {
        "Any other value."
    });
    let variants: Vec<_> = def
        .values
        .iter()
        .map(|(value, variant, docs)| {
            (lit(value, def.prim), names::ident(variant), doc_attrs(docs))
        })
        .collect();
    let decls = variants.iter().map(|(_, v, d)| quote!(#d #v,));
    let is_string = def.prim == Prim::String;
    let (from_arms, to_arms): (Vec<_>, Vec<_>) = variants
        .iter()
        .map(|(lit, v, _)| (quote!(#lit => Self::#v,), quote!(Self::#v => #lit,)))
        .unzip();
    let (copy, value_fn, from_impl, ser_impl, de_impl, default_value) = if is_string {
        (
            quote!(),
            quote! {
                /// The wire value.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#to_arms)*
                        Self::#catch_all(value) => value,
                    }
                }
            },
            quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #(#from_arms)*
                            other => Self::#catch_all(other.to_owned()),
                        }
                    }
                }
            },
            quote! {
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        s.serialize_str(self.as_str())
                    }
                }
            },
            if def.usage.response {
                quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            ::zim_client::runtime::lenient::deserialize::<D, String>(d).map(|v| Self::from(v.as_str()))
                        }
                    }
                }
            } else if let Some(cfg) = request_de_cfg(ctx.request_de) {
                quote! {
                    #cfg
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            <String as ::serde::Deserialize>::deserialize(d).map(|v| Self::from(v.as_str()))
                        }
                    }
                }
            } else {
                quote!()
            },
            quote!(Self::from("")),
        )
    } else {
        (
            quote!(Copy, Eq, Hash,),
            quote! {
                /// The wire value.
                pub fn value(self) -> #prim {
                    match self {
                        #(#to_arms)*
                        Self::#catch_all(value) => value,
                    }
                }
            },
            quote! {
                impl From<#prim> for #name {
                    fn from(value: #prim) -> Self {
                        match value {
                            #(#from_arms)*
                            other => Self::#catch_all(other),
                        }
                    }
                }
                impl From<#name> for #prim {
                    fn from(value: #name) -> Self {
                        value.value()
                    }
                }
            },
            // Serialized through `From<Self> for #prim` (see the derive below).
            quote!(),
            if def.usage.response {
                quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            ::zim_client::runtime::lenient::deserialize::<D, #prim>(d).map(Self::from)
                        }
                    }
                }
            } else if let Some(cfg) = request_de_cfg(ctx.request_de) {
                quote! {
                    #cfg
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            <#prim as ::serde::Deserialize>::deserialize(d).map(Self::from)
                        }
                    }
                }
            } else {
                quote!()
            },
            quote!(Self::from(0)),
        )
    };
    let validator = if def.usage.request && def.kind == ValuesKind::Closed {
        validate::enum_impl(def)
    } else {
        quote!()
    };
    let ser_impl = if def.usage.request {
        ser_impl
    } else {
        response_ser::gated(ctx.request_de, ser_impl)
    };
    let default_impl = if def.usage.response {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    #default_value
                }
            }
        }
    } else {
        quote!()
    };
    let derive_ser = if def.usage.request && !is_string {
        let into = prim.to_string();
        quote! {
            #[derive(::serde::Serialize)]
            #[serde(into = #into)]
        }
    } else if !is_string {
        response_ser::derive_into(ctx.request_de, &prim.to_string())
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, #copy PartialEq)]
        #derive_ser
        pub enum #name {
            #(#decls)*
            #catch_doc
            #catch_all(#prim),
        }
        impl #name {
            #value_fn
        }
        #default_impl
        #from_impl
        #ser_impl
        #de_impl
        #validator
    }
}

/// A literal of a possible value, typed as the enum's scalar.
pub fn lit(value: &Scalar, prim: Prim) -> TokenStream {
    match (value, prim) {
        (Scalar::Str(s), _) => quote!(#s),
        (Scalar::Bool(b), _) => quote!(#b),
        (Scalar::Int(i), _) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
    }
}

/// A bit-flag set over an integer.
fn flags(def: &EnumDef, ctx: &validate::Ctx<'_>) -> TokenStream {
    let name = names::ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let prim = prim_tokens(def.prim);
    let mut mask: i64 = 0;
    let consts = def
        .values
        .iter()
        .map(|(value, konst, docs)| {
            if let Scalar::Int(bits) = value {
                mask |= *bits;
            }
            let konst = names::ident(konst);
            let lit = lit(value, def.prim);
            let docs = doc_attrs(docs);
            quote!(#docs pub const #konst: Self = Self(#lit);)
        })
        .collect::<Vec<_>>();
    let mask_lit = lit(&Scalar::Int(mask), def.prim);
    let validator = if def.usage.request {
        validate::flags_impl(def, mask)
    } else {
        quote!()
    };
    let (ser, transparent) = if def.usage.request && !def.usage.response {
        let de = request_de_derive(ctx.request_de);
        (
            quote!(, ::serde::Serialize),
            quote!(#de #[serde(transparent)]),
        )
    } else if def.usage.request {
        (quote!(, ::serde::Serialize), quote!(#[serde(transparent)]))
    } else {
        (quote!(), response_ser::derive_transparent(ctx.request_de))
    };
    let de_impl = if def.usage.response {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    ::zim_client::runtime::lenient::deserialize::<D, #prim>(d).map(Self)
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash #ser)]
        #transparent
        pub struct #name(pub #prim);
        impl #name {
            #(#consts)*
            /// Every documented flag.
            pub const ALL: Self = Self(#mask_lit);
            /// Whether every flag of `other` is set in `self`.
            pub fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
        }
        impl ::std::ops::BitOr for #name {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }
        impl ::std::ops::BitOrAssign for #name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }
        #de_impl
        #validator
    }
}

/// A value whose shape a selector field chooses.
pub fn variant_type(def: &VariantTypeDef, ctx: &validate::Ctx<'_>) -> TokenStream {
    let name = names::ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let string_selector = def.selector == Prim::String;
    let decls = def.shapes.iter().map(|shape| {
        let variant = names::ident(&shape.variant);
        let when: Vec<String> = shape.when.iter().map(scalar_text).collect();
        let docs = doc_attrs(&join_docs(
            &shape.docs,
            &format!("Selected by {}.", when.join(", ")),
        ));
        let payload = match &shape.payload {
            Some(payload) => {
                let p = names::ident(payload);
                quote!(#p)
            }
            None => quote!(String),
        };
        quote!(#docs #variant(#payload),)
    });
    let selects_arms = def.shapes.iter().map(|shape| {
        let variant = names::ident(&shape.variant);
        let pats = patterns(&shape.when);
        quote!(Self::#variant(_) => matches!(selector, #(#pats)|*),)
    });
    let selector_ty = if string_selector {
        quote!(&str)
    } else {
        quote!(i64)
    };
    let mut items = Vec::new();
    if def.usage.request {
        let arms = def.shapes.iter().map(|shape| {
            let variant = names::ident(&shape.variant);
            let body = match shape.encoding {
                VariantEncoding::Object => quote!(::serde::Serialize::serialize(value, serializer)),
                VariantEncoding::Text => quote!(serializer.serialize_str(value)),
                VariantEncoding::JsonText => quote!(serialize_json_text(value, serializer)),
                VariantEncoding::UrlEncodedJsonText => {
                    quote!(serialize_url_json_text(value, serializer))
                }
            };
            quote!(Self::#variant(value) => #body,)
        });
        items.push(quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#arms)*
                        Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        });
        if let Some(cfg) = request_de_cfg(ctx.request_de) {
            let arms = def.shapes.iter().filter_map(|shape| {
                let variant = names::ident(&shape.variant);
                let pats = patterns(&shape.when);
                let body = match shape.encoding {
                    VariantEncoding::Object | VariantEncoding::Text => {
                        quote!(::serde_json::from_value(value))
                    }
                    VariantEncoding::JsonText => quote! {
                        ::serde_json::from_value::<String>(value)
                            .and_then(|text| ::serde_json::from_str(&text))
                    },
                    // Kept as sent: the text is checked by the server.
                    VariantEncoding::UrlEncodedJsonText => return None,
                };
                Some(quote!(#(#pats)|* => #body.map(Self::#variant),))
            });
            items.push(quote! {
                #cfg
                impl #name {
                    /// A value decoded as sent (`Unknown`) read in the shape `selector` chooses;
                    /// other values, and selectors this client does not know, stay as they are.
                    pub fn resolve(self, selector: #selector_ty) -> Result<Self, ::serde_json::Error> {
                        let Self::Unknown(value) = self else {
                            return Ok(self);
                        };
                        match selector {
                            #(#arms)*
                            _ => Ok(Self::Unknown(value)),
                        }
                    }
                }
            });
            // The shape depends on a sibling field, which a value alone cannot see: the value
            // is kept as sent, and the struct holding both resolves it (see `resolve`).
            items.push(quote! {
                #cfg
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        <::serde_json::Value as ::serde::Deserialize>::deserialize(d).map(Self::Unknown)
                    }
                }
            });
        }
    }
    if def.usage.response {
        let arms = def.shapes.iter().map(|shape| {
            let variant = names::ident(&shape.variant);
            let pats = patterns(&shape.when);
            let body = match shape.encoding {
                VariantEncoding::Object => {
                    quote!(::zim_client::runtime::lenient::from_value(value.clone()))
                }
                VariantEncoding::Text => {
                    quote!(::zim_client::runtime::lenient::deserialize(value.clone()))
                }
                VariantEncoding::JsonText => quote!(json_text_value(value)),
                VariantEncoding::UrlEncodedJsonText => quote!(url_json_text_value(value)),
            };
            quote!(#(#pats)|* => #body.map(Self::#variant),)
        });
        items.push(quote! {
            impl #name {
                /// Reads a wire value in the shape `selector` chooses; unknown selectors keep
                /// the value as is.
                pub fn from_wire(selector: #selector_ty, value: &::serde_json::Value) -> Result<Self, ::serde_json::Error> {
                    match selector {
                        #(#arms)*
                        _ => Ok(Self::Unknown(value.clone())),
                    }
                }
            }
        });
    }
    let validator = validate::variant_impl(def, ctx);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            /// A shape this client does not know, kept as sent.
            Unknown(::serde_json::Value),
        }
        impl #name {
            /// Whether this shape is the one `selector` chooses.
            pub fn selects(&self, selector: #selector_ty) -> bool {
                match self {
                    #(#selects_arms)*
                    Self::Unknown(_) => true,
                }
            }
        }
        #(#items)*
        #validator
    }
}

/// Match patterns for `values`, with runs of consecutive integers written as ranges.
pub fn patterns(values: &[Scalar]) -> Vec<TokenStream> {
    let mut ints: Vec<i64> = values
        .iter()
        .filter_map(|v| match v {
            Scalar::Int(i) => Some(*i),
            _ => None,
        })
        .collect();
    ints.sort_unstable();
    ints.dedup();
    let mut out = Vec::new();
    let mut index = 0;
    while let Some(&start) = ints.get(index) {
        let mut end = start;
        while ints.get(index + 1) == Some(&(end + 1)) {
            end += 1;
            index += 1;
        }
        index += 1;
        let lo = proc_macro2::Literal::i64_unsuffixed(start);
        let hi = proc_macro2::Literal::i64_unsuffixed(end);
        out.push(if start == end {
            quote!(#lo)
        } else {
            quote!(#lo..=#hi)
        });
    }
    out.extend(
        values
            .iter()
            .filter(|v| !matches!(v, Scalar::Int(_)))
            .map(selector_pattern),
    );
    out
}

fn selector_pattern(value: &Scalar) -> TokenStream {
    match value {
        Scalar::Int(i) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
        Scalar::Str(s) => quote!(#s),
        Scalar::Bool(b) => quote!(#b),
    }
}
