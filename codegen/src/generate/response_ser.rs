//! `Serialize` on response types, behind zim-client's `serialize-responses` feature.
//!
//! Responses only deserialize by default; the parts that write them (a fake ZIM, the command
//! line's JSON output) turn the feature on. What is serialized is the wire form: the same
//! names, JSON text kept as text, enums as their wire values, so serialize-then-decode gives
//! the same value. Emitted only where the output is compiled inside zim-client, which
//! declares the feature (the same condition as request deserialization).

use proc_macro2::TokenStream;
use quote::quote;

/// The zim-client feature that turns on `Serialize` for response types.
pub const FEATURE: &str = "serialize-responses";

/// `#[cfg_attr(feature = ..., derive(Serialize))]` for a response-only struct.
pub fn derive(enabled: bool) -> TokenStream {
    if enabled {
        quote!(#[cfg_attr(feature = #FEATURE, derive(::serde::Serialize))])
    } else {
        quote!()
    }
}

/// The derive for a response-only integer enum, written through its wire integer.
pub fn derive_into(enabled: bool, into: &str) -> TokenStream {
    if enabled {
        quote!(#[cfg_attr(feature = #FEATURE, derive(::serde::Serialize), serde(into = #into))])
    } else {
        quote!()
    }
}

/// The derive for a response-only flag set, written as its integer.
pub fn derive_transparent(enabled: bool) -> TokenStream {
    if enabled {
        quote!(#[cfg_attr(feature = #FEATURE, derive(::serde::Serialize), serde(transparent))])
    } else {
        quote!()
    }
}

/// A hand-written `Serialize` impl, compiled only with the feature; nothing when disabled.
pub fn gated(enabled: bool, item: TokenStream) -> TokenStream {
    if enabled && !item.is_empty() {
        quote!(#[cfg(feature = #FEATURE)] #item)
    } else {
        quote!()
    }
}
