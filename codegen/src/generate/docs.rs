//! Spec text as `#[doc = "..."]` attributes: spec strings only ever reach the output as
//! string literals, never as code.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc]` attribute per line of `text`; nothing for empty text.
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = text.trim();
    if text.is_empty() {
        return quote!();
    }
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote!(#(#[doc = #lines])*)
}
