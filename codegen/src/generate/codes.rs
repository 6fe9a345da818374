//! Return codes: the global `ReturnCode` enum and table, and one code enum per action.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::spec::{ActionSpec, ReturnCodeRef, ReturnCodeSpec, ServiceSpec};

use super::docs::doc_attrs;
use super::names::{self, NameSet};

fn num(value: i64) -> proc_macro2::Literal {
    proc_macro2::Literal::i64_unsuffixed(value)
}

/// A `CodeInfo` literal.
fn info_literal(code: &ReturnCodeSpec, name: &str) -> TokenStream {
    let value = num(code.code);
    let meaning = code.meaning.trim();
    let fix = code.fix.trim();
    let retry = code.retry;
    quote! {
        ::zim_client::CodeInfo { code: #value, name: #name, meaning: #meaning, fix: #fix, retry: #retry }
    }
}

fn code_doc(code: &ReturnCodeSpec) -> String {
    let mut text = format!("`{}`: {}", code.code, code.meaning.trim());
    if !code.fix.trim().is_empty() {
        text.push_str(&format!(" Fix: {}", code.fix.trim()));
    }
    if code.retry {
        text.push_str(" (retried)");
    }
    text.replace('\n', " ")
}

/// An enum over `codes` with an `Unknown(i64)` catch-all. With `action` (the request type),
/// it implements `zim_client::ReturnCodeEnum`, which supplies `info`, `meaning` and `fix`
/// from the action's table; without (the global enum), `info` looks a code up in the global
/// table and the methods are its own.
fn code_enum(
    name: &str,
    docs: &str,
    codes: &[(String, ReturnCodeSpec)],
    action: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let ident = names::ident(name);
    let docs = doc_attrs(docs);
    let variants: Vec<_> = codes
        .iter()
        .map(|(variant, code)| {
            (
                names::ident(variant),
                num(code.code),
                doc_attrs(&code_doc(code)),
            )
        })
        .collect();
    let decls = variants.iter().map(|(v, _, d)| quote!(#d #v,));
    let to_code = variants.iter().map(|(v, n, _)| quote!(Self::#v => #n,));
    let from_code = variants.iter().map(|(v, n, _)| quote!(#n => Self::#v,));
    let (code_body, from_body) = if variants.is_empty() {
        (
            quote!(let Self::Unknown(code) = self; code),
            quote!(Self::Unknown(code)),
        )
    } else {
        (
            quote!(match self { #(#to_code)* Self::Unknown(code) => code, }),
            quote!(match code { #(#from_code)* other => Self::Unknown(other), }),
        )
    };
    let methods = match action {
        Some(request) => quote! {
            impl ::zim_client::ReturnCodeEnum for #ident {
                type Action = #request;
                fn code(self) -> i64 {
                    #code_body
                }
            }
        },
        None => quote! {
            impl #ident {
            /// The numeric code.
            pub fn code(self) -> i64 {
                #code_body
            }
            /// What the spec says about this code, if it knows it.
            pub fn info(self) -> Option<&'static ::zim_client::CodeInfo> {
                code_info(self.code())
            }
            /// What happened.
            pub fn meaning(self) -> &'static str {
                self.info().map_or("unknown return code", |info| info.meaning)
            }
            /// What the caller should do.
            pub fn fix(self) -> &'static str {
                self.info().map_or("", |info| info.fix)
            }
            }
        },
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #ident {
            #(#decls)*
            /// A code this action does not document.
            Unknown(i64),
        }
        #methods
        impl From<i64> for #ident {
            fn from(code: i64) -> Self {
                #from_body
            }
        }
    }
}

/// `return_codes.rs`: the codes every action can return.
pub fn global(service: &ServiceSpec) -> TokenStream {
    let mut taken = NameSet::with(&["Unknown"]);
    let mut codes: Vec<(String, ReturnCodeSpec)> = Vec::new();
    let mut sorted = service.return_codes.clone();
    sorted.sort_by_key(|c| c.code);
    sorted.dedup_by_key(|c| c.code);
    for code in sorted {
        codes.push((taken.claim(&names::type_name(&code.name)), code));
    }
    let entries = codes.iter().map(|(name, code)| info_literal(code, name));
    let count = proc_macro2::Literal::usize_unsuffixed(codes.len());
    let code_enum = code_enum(
        "ReturnCode",
        "A return code of the global table, which any action can return.",
        &codes,
        None,
    );
    quote! {
        /// The global table, sorted by code.
        pub static CODES: [::zim_client::CodeInfo; #count] = [#(#entries),*];

        /// What the global table says about `code`.
        pub fn code_info(code: i64) -> Option<&'static ::zim_client::CodeInfo> {
            CODES
                .binary_search_by_key(&code, |info| info.code)
                .ok()
                .and_then(|index| CODES.get(index))
        }

        #code_enum
    }
}

/// The codes an action lists, resolved against the global table: (variant, spec, own).
pub fn action_codes(
    service: &ServiceSpec,
    action: &ActionSpec,
) -> Vec<(String, ReturnCodeSpec, bool)> {
    let mut taken = NameSet::with(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for entry in &action.return_codes {
        let (spec, own) = match entry {
            ReturnCodeRef::Own(spec) => (spec.clone(), true),
            ReturnCodeRef::Global(code) => {
                match service.return_codes.iter().find(|c| c.code == *code) {
                    Some(spec) => (spec.clone(), false),
                    None => (
                        ReturnCodeSpec {
                            code: *code,
                            name: format!("Code{code}"),
                            meaning: String::new(),
                            fix: String::new(),
                            retry: false,
                        },
                        true,
                    ),
                }
            }
        };
        if !seen.insert(spec.code) {
            continue;
        }
        out.push((taken.claim(&names::type_name(&spec.name)), spec, own));
    }
    out
}

/// The action's code enum and its own table (codes it defines or refines).
pub fn action(
    action: &ActionSpec,
    codes: &[(String, ReturnCodeSpec, bool)],
    request: &proc_macro2::Ident,
) -> TokenStream {
    let enum_name = format!("{}Code", names::action_type_base(action));
    let pairs: Vec<(String, ReturnCodeSpec)> = codes
        .iter()
        .map(|(n, c, _)| (n.clone(), c.clone()))
        .collect();
    let mut own: Vec<&(String, ReturnCodeSpec, bool)> = codes.iter().filter(|c| c.2).collect();
    own.sort_by_key(|c| c.1.code);
    let entries = own.iter().map(|(name, code, _)| info_literal(code, name));
    let count = proc_macro2::Literal::usize_unsuffixed(own.len());
    let table = format_ident!("CODES");
    let code_enum = code_enum(
        &enum_name,
        &format!(
            "Return codes `{}` documents; `info`, `meaning` and `fix` come from `zim_client::ReturnCodeEnum`.",
            action.name
        ),
        &pairs,
        Some(request),
    );
    if own.is_empty() {
        return code_enum;
    }
    quote! {
        /// Codes this action defines or words in its own way; the global table covers the rest.
        static #table: [::zim_client::CodeInfo; #count] = [#(#entries),*];
        #code_enum
    }
}
