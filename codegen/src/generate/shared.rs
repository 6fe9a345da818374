//! `charsets.rs` and `shared.rs`: what several actions use.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::spec::ServiceSpec;

use super::GenerateError;
use super::action::module_defs;
use super::docs::doc_attrs;
use super::ir::{Home, ModuleDefs, Resolver, SharedNames, Usage};
use super::names::{self, NameSet};

/// One `Charset` constant per spec charset.
pub fn charsets(service: &ServiceSpec) -> TokenStream {
    let items = service.charsets.iter().map(|(name, spec)| {
        let ident = names::ident(&names::snake(name).to_uppercase());
        let docs = doc_attrs(&spec.docs);
        let chars = &spec.chars;
        let ranges = spec.ranges.iter().filter_map(|range| {
            let mut parts = range.chars();
            let (lo, dash, hi, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
            match (lo, dash, hi, rest) {
                (Some(lo), Some('-'), Some(hi), None) => Some(quote!((#lo, #hi))),
                _ => None,
            }
        });
        quote! {
            #docs
            pub static #ident: ::zim_client::runtime::validate::Charset = ::zim_client::runtime::validate::Charset {
                name: #name,
                chars: #chars,
                ranges: &[#(#ranges),*],
            };
        }
    });
    quote! {
        //! Character sets that string fields are limited to.
        #(#items)*
    }
}

/// Shared types and reusable enums that the selected actions use, plus encoding helpers.
pub fn shared(
    service: &ServiceSpec,
    shared: &SharedNames,
    used: &BTreeMap<String, Usage>,
    request_de: bool,
) -> Result<(TokenStream, ModuleDefs, std::collections::BTreeSet<String>), GenerateError> {
    let mut taken: Vec<&str> = shared.types.values().map(|(n, _)| n.as_str()).collect();
    taken.extend(shared.field_enums.values().map(String::as_str));
    let mut resolver = Resolver::new(
        service,
        shared,
        Home::Shared,
        NameSet::with(&taken),
        "spec/service.yaml".into(),
    );
    for key in used.keys() {
        if let Some(def) = service.types.get(key) {
            resolver.reserve_stated(service, &def.fields);
            for variant in &def.variants {
                resolver.reserve_stated(service, &variant.fields);
            }
        }
    }
    for (key, usage) in used {
        if let Some(field_key) = key.strip_prefix("field:") {
            if let Some(field) = service.fields.get(field_key) {
                resolver.shared_field_enum(field_key, field, *usage)?;
            }
        } else if let Some(def) = service.types.get(key) {
            resolver.shared_type(key, def, *usage)?;
        }
    }
    let validated = super::validate::analyze(&resolver.defs, true, &Default::default());
    let ctx = super::validate::Ctx {
        in_shared: true,
        shared: &validated,
        local: &validated,
        request_de,
    };
    let defs = module_defs(&resolver.defs, &ctx);
    let de_cfg = super::types::request_de_cfg(request_de);
    let de_helpers = de_cfg.map(|cfg| {
        quote! {
            /// Reads a string holding JSON text of a value (requests decoded from JSON).
            #cfg
            pub fn deserialize_json_text<'de, T: ::serde::de::DeserializeOwned, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::serde_json::from_str(&text).map_err(::serde::de::Error::custom)
            }

            /// [`deserialize_json_text`] for optional fields.
            #cfg
            pub fn deserialize_json_text_opt<'de, T: ::serde::de::DeserializeOwned, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
                deserialize_json_text(deserializer).map(Some)
            }
        }
    });
    // Types as deep as the checker allows are clippy's taste, not a problem of the code.
    let lint = resolver
        .defs
        .has_deep_types([])
        .then(|| quote!(#![allow(clippy::type_complexity)]));
    let tokens = quote! {
        //! Types and value sets shared by several actions, and the encodings they use.
        #lint
        #defs

        /// Writes a value as JSON text inside a string (fields typed `json<T>`).
        pub fn serialize_json_text<T: ::serde::Serialize, S: ::serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
            let text = ::serde_json::to_string(value).map_err(::serde::ser::Error::custom)?;
            serializer.serialize_str(&text)
        }

        /// [`serialize_json_text`] for optional fields (skipped when `None`).
        pub fn serialize_json_text_opt<T: ::serde::Serialize, S: ::serde::Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serialize_json_text(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        #de_helpers

        /// Writes a value as URL-encoded JSON text inside a string.
        pub fn serialize_url_json_text<T: ::serde::Serialize, S: ::serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
            let text = ::serde_json::to_string(value).map_err(::serde::ser::Error::custom)?;
            let mut out = String::with_capacity(text.len() * 3);
            for byte in text.bytes() {
                if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            serializer.serialize_str(&out)
        }

        /// Reads a string holding JSON text; an empty string gives the default value.
        pub fn json_text_value<T: ::serde::de::DeserializeOwned + Default>(value: &::serde_json::Value) -> Result<T, ::serde_json::Error> {
            let text: String = ::zim_client::runtime::lenient::deserialize(value.clone())?;
            ::zim_client::runtime::lenient::decode_json_text(&text).map(Option::unwrap_or_default)
        }

        /// Reads a string holding URL-encoded JSON text (`%XX` escapes, `+` for space).
        pub fn url_json_text_value<T: ::serde::de::DeserializeOwned + Default>(value: &::serde_json::Value) -> Result<T, ::serde_json::Error> {
            let text: String = ::zim_client::runtime::lenient::deserialize(value.clone())?;
            let bytes = text.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut index = 0;
            while let Some(&byte) = bytes.get(index) {
                let hex = bytes
                    .get(index + 1..index + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match (byte, hex) {
                    (b'%', Some(decoded)) => {
                        out.push(decoded);
                        index += 3;
                    }
                    (b'+', _) => {
                        out.push(b' ');
                        index += 1;
                    }
                    _ => {
                        out.push(byte);
                        index += 1;
                    }
                }
            }
            let text = String::from_utf8_lossy(&out);
            ::zim_client::runtime::lenient::decode_json_text(&text).map(Option::unwrap_or_default)
        }
    };
    Ok((tokens, resolver.defs, validated))
}
